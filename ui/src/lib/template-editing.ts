// CodeMirror help for template editing: field completion (asked of Rust,
// which knows the fields) and the template's problems as underlines.
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import type { Extension } from "@codemirror/state";
import { commands, type TemplateProblem } from "./bindings";
import type { UiLang } from "./i18n";
import type { Mark } from "./marks";
import { offsetOf } from "./positions";

/** The 1-based line and character column of a document offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.split("\n").length;
  return { line, column: [...before.slice(lineStart)].length + 1 };
}

/** Offers the fields after `{{` (and `{{#`, `{{^`, `{{/`), with what each holds. */
export function fieldCompletion(uiLang: () => UiLang): Extension {
  async function source(context: CompletionContext): Promise<CompletionResult | null> {
    const line = context.state.doc.lineAt(context.pos);
    // Only inside an open `{{` on this line is there anything to ask.
    if (!line.text.slice(0, context.pos - line.from).includes("{{")) return null;
    const text = context.state.doc.toString();
    const at = positionOf(text, context.pos);
    const found = await commands.templateCompletions(text, at.line, at.column);
    if (!found || context.aborted) return null;
    return {
      from: offsetOf(text, found.from.line, found.from.column),
      to: offsetOf(text, found.to.line, found.to.column),
      options: found.items.map((item) => ({
        label: item.field.name,
        apply: item.insert,
        detail: item.field[uiLang()],
        type: item.field.section ? "keyword" : "variable",
      })),
      filter: false,
    };
  }
  return autocompletion({ override: [source], activateOnTyping: true, icons: false });
}

const NONE: Mark[] = [];

/** The template's problems as editor underlines (one shared empty list, so "still none" changes nothing). */
export function problemMarks(problems: TemplateProblem[]): Mark[] {
  if (problems.length === 0) return NONE;
  return problems.map((p) => ({ ...p, severity: "error", source: "template" }));
}
