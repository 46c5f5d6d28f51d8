// The postmortem timeline table's words, in the app's two languages (kept
// apart from i18n.ts so the feature stays in its own files).
import type { UiLang } from "./i18n";

const words = {
  ja: {
    heading: "経緯（時系列）",
    explain: (zone: string) => `本文の「経緯」はこの表から作られます（時刻は ${zone}）。経緯は本文ではなく、この表で編集してください。`,
    row: (n: number) => `${n}行目`,
    at: "日時",
    approximate: "頃",
    status: "ステータス",
    noStatus: "（なし）",
    ja: "日本語",
    en: "英語",
    add: "行を追加",
    remove: "削除",
    up: "上へ",
    down: "下へ",
    control: (what: string, n: number) => `${what}（${n}行目）`,
    moved: (from: number, to: number) => `${from}行目を${to}行目に移動しました。`,
    removed: (n: number) => `${n}行目を削除しました。`,
    added: (n: number) => `${n}行目を追加しました。`,
    keys: "行の中で Alt+↑ / Alt+↓ を押すと、その行を上下に移動できます。",
    findings: (n: number) => `この行へのチェック結果 ${n} 件`,
    empty: "経緯はまだありません。「行を追加」から書き始めてください。",
  },
  en: {
    heading: "Timeline",
    explain: (zone: string) => `The body's timeline section is written from this table (times in ${zone}). Edit the timeline here, not in the text.`,
    row: (n: number) => `Row ${n}`,
    at: "Date and time",
    approximate: "approx.",
    status: "Status",
    noStatus: "(none)",
    ja: "Japanese",
    en: "English",
    add: "Add row",
    remove: "Remove",
    up: "Up",
    down: "Down",
    control: (what: string, n: number) => `${what} (row ${n})`,
    moved: (from: number, to: number) => `Moved row ${from} to row ${to}.`,
    removed: (n: number) => `Removed row ${n}.`,
    added: (n: number) => `Added row ${n}.`,
    keys: "In a row, Alt+↑ / Alt+↓ moves the row up or down.",
    findings: (n: number) => `${n} finding(s) on this row`,
    empty: "No timeline yet. Start with “Add row”.",
  },
} satisfies Record<UiLang, Record<string, unknown>>;

export type TimelineWords = (typeof words)["ja"];

export function timelineWordsFor(lang: UiLang): TimelineWords {
  return words[lang];
}
