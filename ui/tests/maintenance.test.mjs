// A maintenance's window and its overrun in real Chromium, the Rust backend
// replaced by answers recorded from the real commands (harness.mjs;
// fixtures/maintenance-ipc.json, written by src-tauri/src/ipc_tests/maintenance.rs
// with the Desk's clock set): the composer's form shows Rust's description
// in both languages, sends what is typed to be checked and shows what Rust
// found (an end before the start, an unreadable time on its field), and is
// saved after the text with the version the text's save returned; the list
// and the preview show the overrun banner; extending it sends the new end
// and opens the drafted extension; turning another into an incident opens
// the new incident's draft, and the links show on both.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { artifacts, open } from "./harness.mjs";

const m = JSON.parse(readFileSync(new URL("./fixtures/maintenance-ipc.json", import.meta.url), "utf8"));
const axePath = createRequire(import.meta.url).resolve("axe-core");

/** The recorded rows and previews added to the samples', and the maintenance commands answered from the recording. */
function withMaintenance(rec, { rows = [], previews = {} } = {}) {
  rec.list_incidents = [...rows, ...rec.list_incidents.filter((r) => !rows.some((x) => x.id === r.id))];
  for (const [id, preview] of Object.entries(previews)) rec.preview_incident[id] = { newest: preview };
}

/** The maintenance commands, answered as recorded (`window.__m`), in the page. */
const answered = [
  (m) => {
    window.__m = m;
    window.__maintenanceAnswers = true;
    window.__moreCommands = (cmd, args) => {
      if (cmd === "maintenance_window") return args.id === m.overrun.id && window.__extended ? m.overrun.extension_window : m.composer.window;
      if (cmd === "check_window") {
        if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(args.form.start)) throw m.composer.unreadable;
        return args.form.end < args.form.start ? m.composer.backwards : m.composer.window;
      }
      // save_window reads the form as check_window does (window_from_form): an unreadable time is refused.
      if (cmd === "save_window" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(args.form.start)) throw m.composer.unreadable;
      if (cmd === "save_window" || cmd === "save_draft") return { version: args.version + 1 };
      if (cmd === "extend_window") {
        if (args.newEnd <= "2030-12-11T06:00") throw m.overrun.too_early;
        window.__extended = true;
        return m.overrun.extension;
      }
      if (cmd === "open_incident_from_maintenance") return m.convert.incident;
      throw new Error(`unexpected command ${cmd} ${JSON.stringify(args)}`);
    };
  },
  m,
];

test("the composer's window form shows Rust's description, sends what is typed to be checked, and is saved after the text", async () => {
  const { page, context, calls, errors } = await open({
    more: answered,
    tweak: (rec) => {
      rec.answers = { new_incident: { status: "ok", data: m.composer.draft } };
      rec.preview_draft = m.composer.preview;
    },
  });
  await page.getByTestId("new-maintenance").click();
  const form = page.getByTestId("maintenance-form");
  await form.waitFor();
  assert.equal(await page.getByTestId("window-start").inputValue(), m.composer.window.form.start);
  assert.equal(await page.getByTestId("window-described-ja").innerText(), m.composer.window.described.ja);
  assert.equal(await page.getByTestId("window-described-en").innerText(), m.composer.window.described.en);
  // The preview states the window in both languages.
  await page.getByTestId("preview-window").getByText(m.composer.preview.maintenance.window.ja).waitFor();

  // An end before the start: the form sends it; Rust's finding shows.
  await page.getByTestId("window-end").fill("2030-12-10T21:00");
  const finding = page.getByTestId("window-finding").first();
  await finding.waitFor();
  assert.equal(await finding.getAttribute("data-code"), "maintenance.order");
  const checks = (await calls()).filter((c) => c.cmd === "check_window");
  assert.equal(checks.at(-1).args.form.end, "2030-12-10T21:00");
  assert.equal(checks.at(-1).args.id, m.composer.id);
  assert.ok(typeof checks.at(-1).args.body.ja === "string", "the text as typed goes with it");

  // The composer saves the text, then the window with the version the text's save returned.
  await page.getByTestId("save-state").getByText(/保存済み|Saved/).waitFor({ timeout: 5000 });
  const made = (await calls()).map((c) => c.cmd);
  const lastText = made.lastIndexOf("save_draft");
  const lastWindow = made.lastIndexOf("save_window");
  assert.ok(lastText >= 0 && lastWindow > lastText, `text then window: ${made.join(", ")}`);
  const saves = (await calls()).filter((c) => c.cmd === "save_window");
  assert.equal(saves.at(-1).args.form.end, "2030-12-10T21:00");

  // An unreadable time: Rust's message, on its field.
  await page.getByTestId("window-start").evaluate((el) => {
    el.type = "text";
    el.value = "12月10日";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await page.getByTestId("window-problem").getByText(m.composer.unreadable.message).waitFor();
  assert.equal(await page.getByTestId("window-start").getAttribute("aria-invalid"), "true");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an overrunning maintenance shows a banner in the list and the preview; extending it opens the drafted extension", async () => {
  const { page, context, calls, errors } = await open({
    more: answered,
    tweak: (rec) => {
      withMaintenance(rec, { rows: [m.overrun.row], previews: { [m.overrun.id]: m.overrun.preview } });
      rec.open_draft = { ...(rec.open_draft ?? {}) };
      rec.preview_draft = m.overrun.extension_preview;
    },
  });
  const row = page.locator(`[data-testid="incident-row"][data-id="${m.overrun.id}"]`);
  await row.getByTestId("row-overrun").getByText(m.overrun.row.overrun.message.ja).waitFor();
  await row.click();
  const banner = page.getByTestId("overrun-banner");
  await banner.getByText(m.overrun.preview.maintenance.overrun.message.ja).waitFor();
  await banner.getByText(m.overrun.preview.maintenance.overrun.message.en).waitFor();
  await banner.screenshot({ path: join(artifacts, "maintenance-overrun-banner.png") });

  // Too early an end: refused by Rust, said on the field.
  await page.getByTestId("overrun-new-end").fill("2030-12-11T05:00");
  await page.getByTestId("overrun-extend").click();
  await page.getByTestId("overrun-problem").getByText(m.overrun.too_early.message).waitFor();
  assert.equal(await page.getByTestId("overrun-new-end").getAttribute("aria-invalid"), "true");

  await page.getByTestId("overrun-new-end").fill("2030-12-11T09:00");
  await page.getByTestId("overrun-extend").click();
  await page.getByTestId("composer").waitFor();
  assert.deepEqual((await calls()).filter((c) => c.cmd === "extend_window").at(-1).args, { id: m.overrun.id, newEnd: "2030-12-11T09:00" });
  assert.equal(await page.getByTestId("draft-status").inputValue(), "in_progress");
  assert.equal(await page.getByTestId("window-end").inputValue(), "2030-12-11T09:00");
  assert.deepEqual(errors, []);
  await context.close();
});

test("turning a maintenance into an incident opens the new incident's draft; the links show on both", async () => {
  const { page, context, calls, errors } = await open({
    more: answered,
    tweak: (rec) => {
      withMaintenance(rec, { rows: [m.convert.maintenance_row, m.convert.incident_row], previews: { [m.convert.id]: m.convert.preview, [m.convert.new_id]: m.convert.incident_preview } });
      rec.preview_draft = m.convert.incident_preview;
    },
  });
  const maintenanceRow = page.locator(`[data-testid="incident-row"][data-id="${m.convert.id}"]`);
  await maintenanceRow.getByTestId("row-link").getByText(m.convert.maintenance_row.links[0].label.ja).waitFor();
  const incidentRow = page.locator(`[data-testid="incident-row"][data-id="${m.convert.new_id}"]`);
  await incidentRow.getByTestId("row-link").getByText(m.convert.incident_row.links[0].label.ja).waitFor();

  await maintenanceRow.click();
  await page.getByTestId("overrun-banner").waitFor();
  await page.getByTestId("overrun-convert").click();
  await page.getByTestId("composer").waitFor();
  assert.deepEqual((await calls()).filter((c) => c.cmd === "open_incident_from_maintenance").at(-1).args, { id: m.convert.id });
  assert.equal(await page.getByTestId("draft-status").inputValue(), "investigating");
  assert.equal(await page.getByTestId("maintenance-form").count(), 0, "an incident has no window form");
  // The new incident's preview names the maintenance it came from; following the link asks for it.
  const link = page.getByTestId("preview-link").filter({ hasText: m.convert.incident_preview.maintenance.links[0].label.ja });
  await link.waitFor();
  assert.equal(await link.getAttribute("data-relation"), "from_maintenance");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the banner and the form have no accessibility violations", async () => {
  const { page, context } = await open({
    more: answered,
    tweak: (rec) => withMaintenance(rec, { rows: [m.overrun.row], previews: { [m.overrun.id]: m.overrun.preview } }),
  });
  await page.locator(`[data-testid="incident-row"][data-id="${m.overrun.id}"]`).click();
  await page.getByTestId("overrun-banner").waitFor();
  await page.addScriptTag({ path: axePath });
  const found = await page.evaluate(async () => (await window.axe.run(document.querySelector('[data-testid="overrun-banner"]'))).violations.map((v) => `${v.id}: ${v.nodes.length}`));
  assert.deepEqual(found, []);
  await context.close();
});
