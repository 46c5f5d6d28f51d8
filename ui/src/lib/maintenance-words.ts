// The maintenance window's words (the composer's form, the overrun banner,
// the links), in the app's two languages; kept apart from i18n.ts so the
// feature stays in its own files. What is decided (the descriptions, the
// banner's message, the links' labels) comes from Rust.
import type { UiLang } from "./i18n";

const words = {
  ja: {
    heading: "メンテナンス枠",
    explain: (zone: string) => `時刻は ${zone} です。`,
    start: "開始",
    end: "終了予定",
    remind: "事前リマインド",
    remindNone: "しない",
    remindMinutes: (m: number) => `開始${m}分前`,
    autoInProgress: "開始時刻に自動で「実施中」にする",
    autoCompleted: "終了時刻に自動で「完了」にする",
    notifyAtStart: "自動開始を購読者に通知する",
    notifyAtEnd: "自動完了を購読者に通知する",
    described: "公開される内容",
    checking: "確認しています…",
    overrunTitle: "メンテナンスが予定を超えています",
    extendTo: "新しい終了予定",
    extend: "延長の更新を作る",
    convert: "障害として切り替える",
    convertNote: "対象コンポーネントとメンテナンスの開始時刻を引き継いだ障害を作り、双方にリンクします。",
    alreadyIncident: (id: number) => `障害 #${id} に切り替え済みです。`,
    links: "関連",
    open: (id: number) => `#${id} を開く`,
    busy: "処理しています…",
    field: "メンテナンス枠",
  },
  en: {
    heading: "Maintenance window",
    explain: (zone: string) => `Times are in ${zone}.`,
    start: "Start",
    end: "Planned end",
    remind: "Reminder",
    remindNone: "None",
    remindMinutes: (m: number) => `${m} minutes before the start`,
    autoInProgress: "Move to “In progress” at the start automatically",
    autoCompleted: "Move to “Completed” at the end automatically",
    notifyAtStart: "Notify subscribers of the automatic start",
    notifyAtEnd: "Notify subscribers of the automatic completion",
    described: "What will be published",
    checking: "Checking…",
    overrunTitle: "This maintenance has overrun",
    extendTo: "New planned end",
    extend: "Draft an extension",
    convert: "Turn into an incident",
    convertNote: "Opens an incident with this maintenance's components and start, linked both ways.",
    alreadyIncident: (id: number) => `Already turned into incident #${id}.`,
    links: "Linked",
    open: (id: number) => `Open #${id}`,
    busy: "Working…",
    field: "Maintenance window",
  },
};

export type MaintenanceWords = (typeof words)["ja"];

export function maintenanceWordsFor(lang: UiLang): MaintenanceWords {
  return words[lang];
}

/** The reminder choices the form offers (minutes before the start). */
export const REMINDER_MINUTES = [15, 30, 60, 120, 1440] as const;
