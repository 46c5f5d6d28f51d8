// The translation memory's answers for the component tests, recorded from
// the real commands on the samples (fixtures/memory-ipc.json, kept current
// by a Rust test: src-tauri/src/ipc_tests/memory_panel.rs). The draft's
// Japanese line 4 repeats a sample's item with other numbers; its English
// counterpart is a placeholder. Installed in the page as
// window.__suggestTranslation.
import { readFileSync } from "node:fs";

export const memory = JSON.parse(readFileSync(new URL("./fixtures/memory-ipc.json", import.meta.url), "utf8"));

export const memoryDraft = { title: memory.draft.title, body: memory.draft.body };
/** The item memory knows, as typed (line `memory.line` of the Japanese). */
export const sentence = memory.help.text;
export const help = memory.help;
export const [best, second] = help.suggestions.map((s) => s.text);
export const source = help.suggestions[0].source;

/** `help` with its second suggestion flagged as not carrying every value (what Rust says when a slot stays empty). */
export function withIncomplete(help, missing = [{ ja: "秒数（{num:seconds}）", en: "a number of seconds ({num:seconds})" }]) {
  const copy = structuredClone(help);
  copy.suggestions[1] = { ...copy.suggestions[1], complete: false, missing };
  return copy;
}

/**
 * Answers suggest_translation in the page as recorded: `help` for the caret
 * in the remembered item (its target the English counterpart item as the
 * text is now), `heading` on line 1, nothing elsewhere.
 */
export function answerMemory([help, heading, ja, line]) {
  const nothing = { segment: null, text: "", suggestions: [], target: null, target_prefix: "", target_suffix: "" };
  window.__suggestTranslation = (args) => {
    if (args.from !== "ja") return nothing;
    if (args.line === 1) return heading;
    if (args.line !== line || args.body.ja.split("\n")[line - 1] !== ja.split("\n")[line - 1]) return nothing;
    const counterpart = args.body.en.split("\n")[line - 1] ?? "";
    return { ...help, target: { ...help.target, end_column: [...counterpart].length + 1 } };
  };
}

/** What `answerMemory` is installed with: the recording as it is, or with another `help`. */
export const recorded = (answer = help) => [answerMemory, [answer, memory.heading, memoryDraft.body.ja, memory.line]];
