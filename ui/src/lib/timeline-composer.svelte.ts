// The composer's side of a postmortem's timeline table: the rows (read from
// Rust when the draft opens), saving them with the draft's text, a refusal
// naming a row, and the lint's findings placed on rows by the lines Rust
// says each row is written on. It decides nothing about the timeline itself.
import { commands, type Bilingual, type CommandError, type Diagnostic, type Draft, type Preview, type Status, type TimelineRow } from "./bindings";
import type { UiLang } from "./i18n";
import { timelineWordsFor } from "./timeline-words";

/** `timeline.<row>.<at|ja|en>`: the field a refused save names. */
const ROW_FIELD = /^timeline\.(\d+)\./;

export function timelineState(lang: () => UiLang, draft: Draft) {
  let rows = $state<TimelineRow[] | null>(null);
  let zone = $state("");
  let problem = $state<{ row: number; message: string } | null>(null);
  let note = $state<string | null>(null);
  let rowLines = $state.raw<Bilingual<number | null>[]>([]);

  if (draft.status === "postmortem") {
    commands.openTimeline(draft.incident_id).then((result) => {
      if (result.status === "ok" && result.data) {
        rows = result.data.rows;
        zone = result.data.zone;
      }
    });
  }

  return {
    get words() {
      return timelineWordsFor(lang());
    },
    get rows() {
      return rows;
    },
    set rows(r: TimelineRow[] | null) {
      rows = r;
    },
    get zone() {
      return zone;
    },
    get problem() {
      return problem;
    },
    get note() {
      return note;
    },
    /** Saves the draft's text with the rows as they are now. */
    async save(version: number, status: Status, title: Bilingual<string>, body: Bilingual<string>, notify: boolean | null) {
      const sent = $state.snapshot(rows) ?? [];
      const result = await commands.saveTimeline(draft.incident_id, draft.update_id, version, status, title, body, notify, sent);
      if (result.status === "ok") {
        problem = null;
        note = result.data.replaced ? result.data.replaced[lang()] : null;
      }
      return result;
    },
    /** True when a save was refused for a row: the row shows why. */
    refused(error: CommandError): boolean {
      const m = error.kind === "invalid" && error.field ? ROW_FIELD.exec(error.field) : null;
      if (!m) return false;
      problem = { row: Number(m[1]), message: error.message };
      return true;
    },
    /** Where each row is written, from the newest preview. */
    placed(preview: Preview) {
      rowLines = preview.timeline_table?.row_lines ?? [];
    },
    /** The findings on each row's lines in the text. */
    findings(diagnostics: Diagnostic[]): Diagnostic[][] {
      return (rows ?? []).map((_, i) => {
        const at = rowLines[i];
        if (!at) return [];
        return diagnostics.filter((d) => d.field === "body" && (d.lang === "ja" || d.lang === "en") && at[d.lang] !== null && d.line === at[d.lang]);
      });
    },
  };
}
