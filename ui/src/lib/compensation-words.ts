// The postmortem compensation form's words, in the app's two languages (kept
// apart from i18n.ts so the feature stays in its own files).
import type { UiLang } from "./i18n";

const words = {
  ja: {
    heading: "補償",
    explain: "本文の「補償について」はこのフォームから作られます。補償は本文ではなく、ここで編集してください。",
    offer: (n: number) => `補償${n}件目`,
    who: "対象",
    what: "内容",
    how: "方法",
    start: "対象期間の始まり",
    end: "対象期間の終わり",
    from: "開始日（任意）",
    ja: "日本語",
    en: "英語",
    add: "補償を追加",
    remove: "削除",
    control: (what: string, n: number) => `${what}（補償${n}件目）`,
    inLang: (what: string, lang: string, n: number) => `${what}・${lang}（補償${n}件目）`,
    removed: (n: number) => `補償${n}件目を削除しました。`,
    added: (n: number) => `補償${n}件目を追加しました。`,
    empty: "補償はありません。補償を申し出る場合は「補償を追加」から書いてください。",
  },
  en: {
    heading: "Compensation",
    explain: "The body's compensation section is written from this form. Edit the compensation here, not in the text.",
    offer: (n: number) => `Offer ${n}`,
    who: "Who is eligible",
    what: "What is offered",
    how: "How it is given",
    start: "Period start",
    end: "Period end",
    from: "From (optional)",
    ja: "Japanese",
    en: "English",
    add: "Add offer",
    remove: "Remove",
    control: (what: string, n: number) => `${what} (offer ${n})`,
    inLang: (what: string, lang: string, n: number) => `${what}, ${lang} (offer ${n})`,
    removed: (n: number) => `Removed offer ${n}.`,
    added: (n: number) => `Added offer ${n}.`,
    empty: "No compensation offered. To offer some, use “Add offer”.",
  },
} satisfies Record<UiLang, Record<string, unknown>>;

export type CompensationWords = (typeof words)["ja"];

export function compensationWordsFor(lang: UiLang): CompensationWords {
  return words[lang];
}
