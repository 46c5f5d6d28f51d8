// The list search's words, in the app's two languages (kept apart from
// i18n.ts so the feature stays in its own files).
import type { UiLang } from "./i18n";

const words = {
  ja: {
    region: "インシデントの検索",
    label: "検索（日本語・英語、スペース区切りですべて含むもの）",
    placeholder: "例：遅延 メール",
    filters: "絞り込み",
    status: "状態",
    kind: "種別",
    any: "すべて",
    from: "開始日（から）",
    to: "開始日（まで）",
    clear: "検索をクリア",
    escHint: "Esc で検索をクリアします。",
    searching: "検索しています…",
    count: (n: number, more: boolean) => (more ? `${n} 件以上見つかりました` : `${n} 件見つかりました`),
    none: "該当するインシデントはありません。",
    inUpdate: (i: number, lang: "ja" | "en") => `更新 ${i + 1}・${lang === "ja" ? "日本語" : "英語"}`,
    more: "さらに表示",
    similarHeading: "似た過去のインシデント",
    similarNone: "似た過去のインシデントは見つかりませんでした。",
    similarShared: "共通する文",
    similarOpen: (title: string) => `「${title}」のプレビューを表示（下書きはそのまま）`,
    similarBack: "このプレビューを閉じる",
  },
  en: {
    region: "Search incidents",
    label: "Search (Japanese or English; incidents containing every word)",
    placeholder: "e.g. delayed email",
    filters: "Filters",
    status: "Status",
    kind: "Kind",
    any: "All",
    from: "Opened from",
    to: "Opened until",
    clear: "Clear the search",
    escHint: "Esc clears the search.",
    searching: "Searching…",
    count: (n: number, more: boolean) => (more ? `${n} or more found` : n === 1 ? "1 incident found" : `${n} incidents found`),
    none: "No incident matches.",
    inUpdate: (i: number, lang: "ja" | "en") => `update ${i + 1}, ${lang === "ja" ? "Japanese" : "English"}`,
    more: "Show more",
    similarHeading: "Similar past incidents",
    similarNone: "No similar past incident was found.",
    similarShared: "Sentence in common",
    similarOpen: (title: string) => `Show the preview of "${title}" (the draft stays)`,
    similarBack: "Close this preview",
  },
} as const;

export type SearchWords = (typeof words)["ja"] | (typeof words)["en"];

export function searchWordsFor(lang: UiLang): SearchWords {
  return words[lang];
}
