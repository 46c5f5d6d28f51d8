// The translation memory's words in the composer and on the approver's
// screen, in the app's two languages (kept apart from i18n.ts so the feature
// stays in its own files).
import type { UiLang } from "./i18n";

/** Where a remembered sentence came from, as the backend names it. */
type Words = { ja: string; en: string };
type Source = { incident: number; update: number; title: string };

const words = {
  ja: {
    heading: (to: "ja" | "en") => `翻訳メモリ：${to === "en" ? "英語" : "日本語"}の候補`,
    idle: "本文の文や箇条書きにカーソルを置くと、過去の更新から訳文の候補を表示します。",
    forText: "原文",
    count: (n: number) => (n === 0 ? "候補はありません" : `候補 ${n} 件`),
    none: "この文に近い過去の訳文はありません。",
    similarity: "類似度",
    source: (s: Source) => (s.update === 0 ? `「${s.title}」より` : `「${s.title}」更新 ${s.update} より`),
    incomplete: (missing: Words[]) =>
      missing.length > 0 ? `引き継げなかった値：${missing.map((m) => m.ja).join("、")}（挿入後に確認してください）` : "入力した日時や数値の一部を引き継げませんでした（挿入後に確認してください）",
    noTarget: "挿入先が見つかりません（もう一方の本文に対応する節がありません）。",
    insert: "挿入",
    insertInto: (to: "ja" | "en") => `（${to === "en" ? "英語" : "日本語"}の本文へ）`,
    keys: "Alt+Enter で最上位の候補を、Alt+1〜5 でその番号の候補を、もう一方の本文の対応する箇所に挿入します。キーを押すまで何も挿入されません。",
    inserted: (to: "ja" | "en") => `${to === "en" ? "英語" : "日本語"}の本文に候補を挿入しました。`,
    markTitle: (s: Source) => `翻訳メモリから挿入（${s.update === 0 ? `「${s.title}」` : `「${s.title}」更新 ${s.update}`}）。編集するとこの印は消えます。`,
    // The approver's screen.
    reviewHeading: "翻訳メモリから挿入された文",
    reviewLegend: "印の付いた文は、過去の更新から挿入され、その後編集されていない文です。",
    reviewNone: "この版に翻訳メモリから挿入された文はありません。",
    reviewMarkStart: "翻訳メモリから：",
    reviewMarkEnd: "ここまで",
  },
  en: {
    heading: (to: "ja" | "en") => `Translation memory: ${to === "en" ? "English" : "Japanese"} suggestions`,
    idle: "Put the cursor in a sentence or list item of a text to see translations from earlier updates.",
    forText: "For",
    count: (n: number) => (n === 0 ? "No suggestions" : n === 1 ? "1 suggestion" : `${n} suggestions`),
    none: "Nothing close to this sentence has been translated before.",
    similarity: "Similarity",
    source: (s: Source) => (s.update === 0 ? `from “${s.title}”` : `from “${s.title}”, update ${s.update}`),
    incomplete: (missing: Words[]) =>
      missing.length > 0 ? `Not carried over: ${missing.map((m) => m.en).join(", ")} (check after inserting)` : "Some of the typed dates or numbers were not carried over (check after inserting)",
    noTarget: "No place to insert it (the other text has no matching section).",
    insert: "Insert",
    insertInto: (to: "ja" | "en") => ` (into the ${to === "en" ? "English" : "Japanese"} text)`,
    keys: "Alt+Enter inserts the top suggestion, Alt+1–5 the numbered one, at the matching place of the other text. Nothing is inserted until you press a key.",
    inserted: (to: "ja" | "en") => `Suggestion inserted into the ${to === "en" ? "English" : "Japanese"} text.`,
    markTitle: (s: Source) => `Inserted from translation memory (${s.update === 0 ? `“${s.title}”` : `“${s.title}”, update ${s.update}`}). Editing it removes this mark.`,
    reviewHeading: "Sentences inserted from translation memory",
    reviewLegend: "Marked sentences were inserted from earlier updates and have not been edited since.",
    reviewNone: "Nothing in this revision was inserted from translation memory.",
    reviewMarkStart: "From memory: ",
    reviewMarkEnd: "end",
  },
} as const;

export type MemoryWords = (typeof words)[UiLang];

export function memoryWordsFor(lang: UiLang): MemoryWords {
  return words[lang];
}
