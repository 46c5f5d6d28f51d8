// The template library's commands, answered from their recording
// (fixtures/templates-ipc.json, kept current by a Rust test), for the
// component tests that open the template screen.
import { readFileSync } from "node:fs";

export const templates = JSON.parse(readFileSync(new URL("./fixtures/templates-ipc.json", import.meta.url), "utf8"));

/** The template commands, answered from the recording (installed in the page). */
export function templateCommands(rec) {
  window.__moreCommands = async (cmd, args) => {
    if (cmd === "list_templates") return rec.list_templates;
    if (cmd === "template_samples") return rec.template_samples;
    if (cmd === "load_template") return rec.load_template[args.status];
    if (cmd === "preview_template") {
      if (args.source && args.source.ja === rec.broken.source.ja) return rec.broken.preview;
      return rec.preview_template[args.status];
    }
    if (cmd === "template_completions") {
      // The recorded fields, placed at the cursor.
      const at = { line: args.line, column: args.column };
      return { ...rec.template_completions, from: at, to: at };
    }
    if (cmd === "save_template") {
      return { path: args.path, version: args.expectedVersion + 1, source: args.source, author: "tester", note: args.note, saved_at: { ja: "2026/01/02 03:04", en: "Jan 2, 2026 03:04" } };
    }
    if (cmd === "template_history") {
      if (args.path !== "incident/investigating.ja.md") return [];
      const v = (version, note) => ({ path: args.path, version, source: "title: {{title}}\n---\n", author: "sato", note, saved_at: { ja: `2026/01/0${version} 10:00`, en: `Jan ${version}, 2026 10:00` } });
      return [v(2, "お詫びの文を変更"), v(1, "")];
    }
    if (cmd === "rollback_template") {
      return { path: args.path, version: 3, source: "title: {{title}}\n---\n", author: "tester", note: `rolled back to version ${args.version}`, saved_at: { ja: "2026/01/03 10:00", en: "Jan 3, 2026 10:00" } };
    }
    if (cmd === "export_templates") return 19;
    if (cmd === "import_templates") return { saved: [], problems: ["incident/resolved.en.md:3:1: `causes` is not a field"] };
    throw new Error(`unexpected command ${cmd}`);
  };
}
