// The postmortem timeline table's answers for the component tests, recorded
// from the real commands on the resolved sign-in sample
// (fixtures/timeline-ipc.json, kept current by a Rust test:
// src-tauri/src/ipc_tests/timeline_table.rs): its postmortem draft, the
// prefilled table, the preview with the picture and row lines, a save with a
// fifth row (the bodies written from the rows) and a refused save.
import { readFileSync } from "node:fs";

export const timeline = JSON.parse(readFileSync(new URL("./fixtures/timeline-ipc.json", import.meta.url), "utf8"));
export const postmortemId = timeline.draft.incident_id;

/** A tweak for open(): the sample's newest update is the postmortem draft, answered as recorded. */
export function postmortemDraft(rec, { answers = {}, diagnostics = [] } = {}) {
  rec.open_draft = { [String(postmortemId)]: structuredClone(timeline.draft) };
  rec.preview_draft = structuredClone(timeline.preview);
  rec.preview_draft.diagnostics = diagnostics;
  rec.answers = { open_timeline: { status: "ok", data: structuredClone(timeline.table) }, ...answers };
}
