// The translation memory in the real app (run under Xvfb): a bilingual
// incident is published history in the database (`desk import`, before the
// app starts, on the app's own database file); in the composer of a new
// incident, a Japanese list item memory knows is typed with a new time and a
// new count; the English suggestion appears in the panel and goes in with
// Alt+Enter, with the new time and count written in English style, marked as
// coming from memory. Screenshots go to tests/artifacts/e2e/memory-*.png
// (and, with UPDATE_README_SCREENSHOTS=1, tests/screenshots/memory.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KEY, Session, answerFirstStart, freePort, startDriver, stopDriver, until } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const desk = process.env.DESK_CLI ?? join(root, "target/debug/desk");
const artifacts = join(root, "tests/artifacts/e2e");

// What the team published before: 10:05頃 and 約120件, in both languages.
const history = `kind = "incident"
impact = "minor"
period = { start = 2025-03-04T10:05:00+09:00, end = 2025-03-04T11:30:00+09:00, approximate = true }

[title]
ja = "Kumo Mailのメール配信が遅延しています"
en = "Kumo Mail deliveries are delayed"

[[updates]]
status = "investigating"
created_at = 2025-03-04T10:20:00+09:00
published_at = 2025-03-04T10:22:00+09:00

[updates.ja]
symptoms = "- 2025/03/04 10:05頃から、約120件のメールの配信が遅れています。"

[updates.en]
symptoms = "- Since Mar 4, 2025 10:05 JST (approx.), delivery of about 120 emails has been delayed."
`;

let driver;
let session;

before(async () => {
  const home = mkdtempSync(join(tmpdir(), "incident-desk-memory-"));
  const env = { XDG_DATA_HOME: join(home, "data"), XDG_CONFIG_HOME: join(home, "config"), LANG: "ja_JP.UTF-8" };
  answerFirstStart(env.XDG_DATA_HOME);
  // The history goes into the database the app will open (its default file in this data folder).
  const file = join(home, "history.toml");
  writeFileSync(file, history);
  const imported = execFileSync(desk, ["import", file], { env: { ...process.env, ...env }, encoding: "utf8" });
  assert.match(imported, /imported 1 incidents/);
  const port = await freePort();
  driver = await startDriver(port, env);
  session = await Session.create(port, app);
});

after(async () => {
  await session?.close().catch(() => {});
  stopDriver(driver);
});

/** An editor's text as its lines show it. */
const editorText = (lang) => session.execute(`return [...document.querySelectorAll("[data-testid=editor-${lang}] .cm-line")].map((l) => l.textContent).join("\\n")`);
const one = async (css, timeoutMs) => (await session.waitFor(css, timeoutMs))[0];
/** Clicks the list's row whose text includes `text`. */
async function openRow(text) {
  const rows = await session.findAll("[data-testid=incident-row]");
  const titles = await Promise.all(rows.map((r) => session.text(r)));
  const index = titles.findIndex((t) => t.includes(text));
  assert.ok(index >= 0, `a row with ${text} among ${JSON.stringify(titles)}`);
  await session.click(rows[index]);
}
const shot = (name) => session.screenshot(join(artifacts, `memory-${name}.png`));

test("a remembered Japanese item typed with a new time and count: Alt+Enter puts its English, in English style, into the English text", async () => {
  await session.waitFor("[data-testid=incident-row]", 60_000);
  // The whole screen (1400 × 900): wide enough for the two editors side by side, the panel under the English one.
  await session.call("POST", "/window/rect", { x: 0, y: 0, width: 1400, height: 900 }).catch(() => {});
  await session.click(await one("[data-testid=new-incident]"));
  const editorJa = await one("[data-testid=editor-ja]");
  const editorEn = await one("[data-testid=editor-en]");
  await until(() => session.text(editorJa), (t) => t.includes("■ 発生している現象"));
  for (const [lang, title] of [["ja", "メール配信の遅延"], ["en", "Mail delays"]]) {
    const input = await one(`[data-testid=title-${lang}]`);
    await session.clear(input);
    await session.type(input, title);
  }

  // The English text has the section, its item still to be written.
  await session.click(editorEn);
  await session.type(editorEn, `${KEY.control}a${KEY.control}■ What is happening${KEY.enter}- TBD`);
  // The Japanese: the remembered item, with today's time and count; the caret ends in it.
  await session.click(editorJa);
  await session.type(editorJa, `${KEY.control}a${KEY.control}■ 発生している現象${KEY.enter}- 2026/12/03 14:20頃から、約45件のメールの配信が遅れています。`);

  // Memory answers for the item under the caret; nothing is inserted yet.
  const first = await one("[data-testid=memory-suggestion] [data-testid=memory-text]", 20_000);
  const suggested = await session.text(first);
  assert.match(suggested, /Dec 3, 2026 14:20/, `the new time, in English: ${suggested}`);
  assert.match(suggested, /about 45\b/, `the new count, in English: ${suggested}`);
  assert.doesNotMatch(suggested, /10:05|120/, "nothing of the remembered time or count is left");
  assert.match(await session.text(await one("[data-testid=memory-source]")), /Kumo Mail deliveries are delayed/, "the remembered incident, by its title in the suggestion's language");
  assert.equal(await editorText("en"), "■ What is happening\n- TBD", "nothing goes in before the key");
  await shot("01-suggested");

  // One key: Alt+Enter, from where the author is typing.
  assert.equal(await session.execute("return document.activeElement?.getAttribute('data-testid')"), "editor-ja");
  await session.keys([KEY.alt, KEY.enter]);
  const english = await until(() => editorText("en"), (t) => !/^- TBD$/m.test(t));
  const item = english.split("\n").find((l) => l.startsWith("- "));
  assert.equal(item, `- ${suggested}`, "the suggestion replaced the placeholder item");
  assert.match(item, /Dec 3, 2026 14:20/);
  assert.match(item, /about 45\b/);
  // The Japanese text kept its one line (Alt+Enter typed no new line), and the caret stayed there.
  assert.equal(await editorText("ja"), "■ 発生している現象\n- 2026/12/03 14:20頃から、約45件のメールの配信が遅れています。");
  assert.equal(await session.execute("return document.activeElement?.getAttribute('data-testid')"), "editor-ja");
  // Marked as coming from memory, until edited.
  const marked = await session.execute("return [...document.querySelectorAll('[data-testid=editor-en] .cm-from-memory')].map((m) => m.textContent)");
  assert.deepEqual(marked, [suggested]);
  const saveState = await one("[data-testid=save-state]");
  assert.equal(await until(() => session.text(saveState), (t) => t === "保存済み", 10_000), "保存済み");
  // The editors and the panel in view: the Japanese item asked about, its English inserted and marked.
  await session.execute(`
    const pane = document.querySelector(".composer");
    pane.scrollTop += document.querySelector(".memory-editors").getBoundingClientRect().top - pane.getBoundingClientRect().top - 120;
    return true;`);
  await shot("02-inserted");
  if (process.env.UPDATE_README_SCREENSHOTS) await session.screenshot(join(root, "tests/screenshots", "memory.png"));

  // Opened again from the list: the mark comes back from what Rust recorded.
  await openRow("Kumo Mailのメール配信が遅延しています");
  await until(() => session.findAll("[data-testid=editor-en]"), (f) => f.length === 0);
  await openRow("メール配信の遅延");
  const again = await until(
    () => session.execute("return [...document.querySelectorAll('[data-testid=editor-en] .cm-from-memory')].map((m) => m.textContent)"),
    (m) => m.length > 0,
  );
  assert.deepEqual(again, [suggested]);
});
