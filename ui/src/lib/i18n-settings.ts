// The settings screen's and the countdown's words, in the app's two languages
// (kept apart from i18n.ts so each screen owns its words).
import type { UiLang } from "./i18n";

const words = {
  ja: {
    settings: "設定",
    target: "公開先",
    sandbox: "ローカルのサンドボックス",
    statuspage: "Statuspage",
    pages: "Statuspage のページ",
    mode: "公開のしかた",
    modeCombined: "1 つのページに日本語と英語をまとめて掲載",
    modeSplit: "日本語のページと英語のページに分けて掲載",
    pageId: "ページ ID",
    jaPageId: "日本語ページの ID",
    enPageId: "英語ページの ID",
    pageIdHint: "Statuspage の管理画面の URL（/pages/ の後ろ）にある ID です。",
    save: "保存",
    saved: "保存しました",
    apiKey: "API キー",
    keySet: "API キーは設定済みです（表示はできません）。",
    keyNotSet: "API キーは未設定です。",
    keyStoredIn: (inMemory: boolean) => `保管場所: ${inMemory ? "テスト用のメモリ内キーチェーン（終了すると消えます）" : "OS のキーチェーン"}`,
    newKey: "新しい API キー",
    setKey: "キーを設定",
    replaceKey: "キーを置き換え",
    removeKey: "キーを削除",
    keychainUnavailable: "OS のキーチェーンを利用できないため、API キーを保存できません。",
    components: "コンポーネント連携",
    notifications: "購読者への通知",
    notificationsHint: "チェックした状態の更新は、既定で購読者に通知します。更新ごとに作成者が変えられます。",
    fetchComponents: "ページのコンポーネントを取得",
    componentsOf: (page: string) => `ページ ${page} のコンポーネント`,
    ours: "インシデントでの名前",
    theirs: "ページのコンポーネント",
    noMatch: "（一致なし: 公開が止まります）",
    restoreOnResolve: "解決・完了時にコンポーネントを「稼働中」に戻す",
    glossary: "用語集",
    glossaryHint: "製品名・機能名の正しい表記です。チェックで表記ゆれを指摘します。",
    termJa: "日本語の表記",
    termEn: "英語の表記（同じなら空欄）",
    note: "メモ",
    add: "追加",
    remove: "削除",
    noTerms: "用語はまだありません。",
    language: "表示言語",
    nextUpdate: "次の更新の予定",
    dueIn: (d: string) => `あと ${d}`,
    overdue: (d: string) => `${d}過ぎています`,
    dueNow: "次の更新の時刻です",
    notifyFailed: "デスクトップ通知を表示できませんでした",
  },
  en: {
    settings: "Settings",
    target: "Publishing to",
    sandbox: "the local sandbox",
    statuspage: "Statuspage",
    pages: "Statuspage pages",
    mode: "How both languages are published",
    modeCombined: "One page with the Japanese and English text together",
    modeSplit: "A Japanese page and an English page",
    pageId: "Page id",
    jaPageId: "Japanese page id",
    enPageId: "English page id",
    pageIdHint: "The id in the Statuspage management URL (after /pages/).",
    save: "Save",
    saved: "Saved",
    apiKey: "API key",
    keySet: "An API key is set (it cannot be shown).",
    keyNotSet: "No API key is set.",
    keyStoredIn: (inMemory: boolean) => `Kept in: ${inMemory ? "an in-memory test keychain (gone when the app quits)" : "the OS keychain"}`,
    newKey: "New API key",
    setKey: "Set key",
    replaceKey: "Replace key",
    removeKey: "Remove key",
    keychainUnavailable: "The OS keychain is not available, so no API key can be kept.",
    components: "Component sync",
    notifications: "Notifying subscribers",
    notificationsHint: "Updates in the checked statuses notify subscribers by default. The author can change it per update.",
    fetchComponents: "Fetch the page's components",
    componentsOf: (page: string) => `Components of page ${page}`,
    ours: "Name in incidents",
    theirs: "Page component",
    noMatch: "(no match: publishing would stop)",
    restoreOnResolve: "Set components back to operational on resolved/completed",
    glossary: "Glossary",
    glossaryHint: "How product and feature names are spelt. The checks point out other spellings.",
    termJa: "Japanese spelling",
    termEn: "English spelling (empty if the same)",
    note: "Note",
    add: "Add",
    remove: "Remove",
    noTerms: "No terms yet.",
    language: "Language",
    nextUpdate: "Next update promised",
    dueIn: (d: string) => `in ${d}`,
    overdue: (d: string) => `${d} overdue`,
    dueNow: "The next update is due",
    notifyFailed: "The desktop notification could not be shown",
  },
} as const;

export type SettingsWords = (typeof words)[UiLang];

export function settingsWordsFor(lang: UiLang): SettingsWords {
  return words[lang];
}

/** A span of time in the app's language: "1時間5分" / "1 h 5 min"; seconds only under ten minutes. */
export function formatSpan(ms: number, lang: UiLang): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  const unit = lang === "ja" ? { d: "日", h: "時間", m: "分", s: "秒" } : { d: " d", h: " h", m: " min", s: " s" };
  if (days) parts.push(`${days}${unit.d}`);
  if (hours) parts.push(`${hours}${unit.h}`);
  if (!days && minutes) parts.push(`${minutes}${unit.m}`);
  if (!days && !hours && minutes < 10) parts.push(`${seconds}${unit.s}`);
  return parts.join(lang === "ja" ? "" : " ");
}
