// The app's own words, in its two UI languages. Japanese is the default.
export type UiLang = "ja" | "en";

const words = {
  ja: {
    appName: "Incident Desk",
    incidents: "インシデント",
    open: "対応中",
    closed: "終了",
    upcoming: "予定",
    noIncidents: "インシデントはまだありません。",
    loading: "読み込み中…",
    unreadable: "読み込めません",
    updates: (n: number) => `更新 ${n} 件`,
    preview: "プレビュー",
    previewHint: "Statuspage に掲載される内容です。",
    combined: "日英まとめて",
    perLanguage: "言語別",
    japanese: "日本語",
    english: "英語",
    timeline: "更新履歴",
    chooseIncident: "左の一覧からインシデントを選んでください。",
    uiLanguage: "表示言語",
    kindIncident: "障害",
    kindMaintenance: "メンテナンス",
  },
  en: {
    appName: "Incident Desk",
    incidents: "Incidents",
    open: "Open",
    closed: "Closed",
    upcoming: "Upcoming",
    noIncidents: "No incidents yet.",
    loading: "Loading…",
    unreadable: "Cannot be read",
    updates: (n: number) => (n === 1 ? "1 update" : `${n} updates`),
    preview: "Preview",
    previewHint: "Exactly what Statuspage will show.",
    combined: "Both languages",
    perLanguage: "Side by side",
    japanese: "Japanese",
    english: "English",
    timeline: "Updates",
    chooseIncident: "Choose an incident from the list.",
    uiLanguage: "Language",
    kindIncident: "Incident",
    kindMaintenance: "Maintenance",
  },
} as const;

export type Words = (typeof words)[UiLang];

export function wordsFor(lang: UiLang): Words {
  return words[lang];
}
