// The update prompt's and the menu notices' words, in the app's two
// languages (Rust decides what is offered and whether it installs; these
// only say it).
import type { UiLang } from "./i18n";

const words = {
  ja: {
    heading: "新しいバージョンがあります",
    versions: (next: string, current: string) => `Incident Desk ${next}（お使いのバージョンは ${current}）`,
    published: (date: string) => `公開日: ${date}`,
    notes: "変更内容",
    noNotes: "変更内容の説明はありません。",
    explain: "インストールすると、書きかけの下書きを保存してからアプリが再起動します。署名を確認できない更新はインストールされません。",
    install: "保存してインストール・再起動",
    later: "あとで",
    saving: "下書きを保存しています…",
    installing: "ダウンロードして署名を確認しています…",
    notSaved: "下書きを保存できなかったため、インストールしませんでした。下書きはそのまま残っています。",
    dismiss: "閉じる",
  },
  en: {
    heading: "A new version is available",
    versions: (next: string, current: string) => `Incident Desk ${next} (you have ${current})`,
    published: (date: string) => `Published: ${date}`,
    notes: "What is new",
    noNotes: "This release has no notes.",
    explain: "Installing saves the draft you are writing, then restarts the app. An update whose signature does not verify is never installed.",
    install: "Save, install and restart",
    later: "Later",
    saving: "Saving your draft…",
    installing: "Downloading and checking the signature…",
    notSaved: "Your draft could not be saved, so nothing was installed. The draft is still here.",
    dismiss: "Dismiss",
  },
} as const;

export type UpdateWords = (typeof words)[UiLang];

export function updateWordsFor(lang: UiLang): UpdateWords {
  return words[lang];
}

/** The release date in the UI's language (the feed gives UTC; shown in local time). */
export function releaseDate(iso: string, lang: UiLang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(lang === "ja" ? "ja-JP" : "en-GB", { year: "numeric", month: "long", day: "numeric" });
}
