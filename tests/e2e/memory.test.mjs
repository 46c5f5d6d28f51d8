// The translation memory in the real app (run under Xvfb). An incident is
// written and published through the app (to the sandbox) after the memory
// was first read, so the publish itself must add it; then, in a new
// incident's composer, the same Japanese list item is typed with a new time
// and a new count; the English suggestion appears in the panel and goes in
// with Alt+Enter, with the new time and count written in English style,
// marked as coming from memory; saved and opened again, it is still marked.
// Screenshots go to tests/artifacts/e2e/memory-*.png (and, with
// UPDATE_README_SCREENSHOTS=1, tests/screenshots/memory.png).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, KEY, ROOT, appForFile, until } from "./webdriver.mjs";

let session;
appForFile((s) => (session = s));

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
const shot = (name) => session.screenshot(join(ARTIFACTS, `memory-${name}.png`));

/** Starts a new incident and writes its titles and both texts (Ctrl+A, then the text; the caret ends in the Japanese). */
async function writeNewIncident(title, ja, en) {
  await session.click(await one("[data-testid=new-incident]"));
  const editorJa = await one("[data-testid=editor-ja]");
  const editorEn = await one("[data-testid=editor-en]");
  await until(() => editorText("ja"), (t) => t.includes("■ 発生している現象"));
  for (const lang of ["ja", "en"]) {
    const input = await one(`[data-testid=title-${lang}]`);
    await session.clear(input);
    await session.type(input, title[lang]);
  }
  await session.click(editorEn);
  await session.type(editorEn, `${KEY.control}a${KEY.control}${en.join(KEY.enter)}`);
  await session.click(editorJa);
  await session.type(editorJa, `${KEY.control}a${KEY.control}${ja.join(KEY.enter)}`);
}

test("a remembered Japanese item typed with a new time and count: Alt+Enter puts its English, in English style, into the English text", async () => {
  await session.waitFor("[data-testid=incident-row]", 60_000);
  // The whole screen (1400 × 900): wide enough for the two editors side by side, the panel under the English one.
  await session.call("POST", "/window/rect", { x: 0, y: 0, width: 1400, height: 900 }).catch(() => {});

  // 1. What the team wrote before: 10:05頃 and 約120件, published through the app. Memory is
  //    read first (the caret in the text asks it), so the publish has to add the new update.
  await writeNewIncident(
    { ja: "Kumo Newsの一斉配信が遅延しています", en: "Kumo News mailings are delayed" },
    ["■ 発生している現象", "- 2025/03/04 10:05頃から、約120件のメールの配信が遅れています。"],
    ["■ What is happening", "- Since Mar 4, 2025 10:05 JST (approx.), delivery of about 120 emails has been delayed."],
  );
  await one("[data-testid=memory-for]", 20_000);
  await session.click(await one("[data-testid=publish]"));
  await session.click(await one("[data-testid=confirm-publish]"));
  await one("[data-testid=published-url]", 30_000);

  // 2. A new incident: the same item with today's time and count; the English item still to be written.
  await writeNewIncident(
    { ja: "メール配信の遅延", en: "Mail delays" },
    ["■ 発生している現象", "- 2026/12/03 14:20頃から、約45件のメールの配信が遅れています。"],
    ["■ What is happening", "- TBD"],
  );
  // The publish bar is the new draft's, not the incident just published.
  await until(() => session.findAll("[data-testid=published-state]"), (f) => f.length === 0, 5_000);
  assert.deepEqual(await session.findAll("[data-testid=published-state]"), []);

  // Memory answers for the item under the caret; nothing is inserted yet.
  const first = await one("[data-testid=memory-suggestion] [data-testid=memory-text]", 20_000);
  const suggested = await session.text(first);
  assert.match(suggested, /Dec 3, 2026 14:20/, `the new time, in English: ${suggested}`);
  assert.match(suggested, /about 45\b/, `the new count, in English: ${suggested}`);
  assert.doesNotMatch(suggested, /10:05|120/, "nothing of the remembered time or count is left");
  assert.match(suggested, /delivery of about 45 emails has been delayed/, "the sentence published in step 1");
  assert.match(await session.text(await one("[data-testid=memory-source]")), /Kumo News mailings are delayed/, "the incident published in step 1, by its title in the suggestion's language");
  assert.equal(await editorText("en"), "■ What is happening\n- TBD", "nothing goes in before the key");
  await shot("01-suggested");

  // Alt+Enter as an IME sends it while composing (isComposing, keyCode 229; WebKitWebDriver cannot
  // drive an IME, so the page gets the event one makes): nothing goes in.
  await session.execute(`
    const el = document.querySelector("[data-testid=editor-ja]");
    for (const init of [{ isComposing: true, keyCode: 229 }, { keyCode: 229 }]) {
      el.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, key: "Enter", code: "Enter", altKey: true, ...init }));
    }
    return true;`);
  await new Promise((ok) => setTimeout(ok, 800));
  assert.equal(await editorText("en"), "■ What is happening\n- TBD", "keys pressed for an IME insert nothing");

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
  if (process.env.UPDATE_README_SCREENSHOTS) await session.screenshot(join(ROOT, "tests/screenshots", "memory.png"));

  // Opened again from the list: the mark comes back from what Rust recorded.
  await openRow("Kumo Newsの一斉配信が遅延しています");
  await until(() => session.findAll("[data-testid=editor-en]"), (f) => f.length === 0);
  await openRow("メール配信の遅延");
  const again = await until(
    () => session.execute("return [...document.querySelectorAll('[data-testid=editor-en] .cm-from-memory')].map((m) => m.textContent)"),
    (m) => m.length > 0,
  );
  assert.deepEqual(again, [suggested]);
});
