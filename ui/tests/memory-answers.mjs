// The translation memory's answers for the component tests: a draft whose
// Japanese list item memory knows, and what suggest_translation answers for
// it (the English counterpart of that item is a placeholder, which the
// suggestion replaces). Installed in the page as window.__suggestTranslation.

/** The draft: line 4 of the Japanese text is the item memory knows; line 4 of the English is its counterpart. */
export const memoryDraft = {
  title: { ja: "メール配信の遅延", en: "Mail delays" },
  body: {
    ja: "■ 発生している現象\n現在、以下の障害が発生しております。\n\n- 2026/12/03 14:20頃から、約45件のメールの配信が遅れています。",
    en: "■ What is happening\nWe are investigating the issue described below.\n\n- TBD",
  },
};
export const sentence = "2026/12/03 14:20頃から、約45件のメールの配信が遅れています。";
export const best = "Since Dec 3, 2026 14:20 JST (approx.), delivery of about 45 emails has been delayed.";
export const second = "Since Dec 3, 2026 14:20 JST (approx.), some emails are delivered late.";
export const source = { incident: 7, update: 2, lang: "ja", title: "Kumo Mailのメール配信に遅延が発生しています" };

/** What memory answers for the caret in the remembered item (anywhere on line 4 of the Japanese text). */
export const help = {
  segment: { line: 4, column: 3, end_line: 4, end_column: 3 + [...sentence].length },
  text: sentence,
  suggestions: [
    { text: best, score: 0.92, original: "2025/03/04 10:05頃から、約120件のメールの配信が遅れています。", source, complete: true, missing: [] },
    { text: second, score: 0.61, original: "2025/05/20 09:00頃から、約30件のメールが遅れて届いています。", source: { ...source, incident: 9, update: 1, title: "メールの遅延" }, complete: false, missing: ["約45件"] },
  ],
  target: { line: 4, column: 3, end_line: 4, end_column: 6 },
  target_prefix: "",
  target_suffix: "",
};

/**
 * Answers suggest_translation in the page: `help` for the remembered item
 * (its target the English counterpart item as the text is now), nothing
 * elsewhere.
 */
export function answerMemory([help, ja]) {
  const line = help.segment.line;
  window.__suggestTranslation = (args) => {
    if (args.from !== "ja" || args.line !== line || args.body.ja.split("\n")[line - 1] !== ja.split("\n")[line - 1]) {
      return { segment: null, text: "", suggestions: [], target: null };
    }
    const counterpart = args.body.en.split("\n")[line - 1] ?? "";
    return { ...help, target: { line, column: 3, end_line: line, end_column: [...counterpart].length + 1 } };
  };
}
