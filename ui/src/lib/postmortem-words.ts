// A postmortem's notifications in the composer (who is told when it is
// published), in the app's two languages; kept apart from i18n.ts so the
// feature stays in its own files. What is chosen is Rust's answer.
import type { UiLang } from "./i18n";

const words = {
  ja: {
    heading: "通知",
    subscribers: "購読者に通知する",
    twitter: "Twitter にも投稿する",
    saving: "保存しています…",
  },
  en: {
    heading: "Notifications",
    subscribers: "Notify subscribers",
    twitter: "Post to Twitter",
    saving: "Saving…",
  },
};

export type PostmortemWords = (typeof words)["ja"];

export function postmortemWordsFor(lang: UiLang): PostmortemWords {
  return words[lang];
}
