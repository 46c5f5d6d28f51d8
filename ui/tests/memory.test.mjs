// The translation memory in the composer and on the approver's screen, in
// real Chromium with the Rust backend replaced by its recorded answers
// (harness.mjs; memory-answers.mjs and fixtures/memory-ipc.json): suggestions for the segment under the caret shown
// beside the other editor; nothing goes in without the author's key, and not
// during an IME composition; Alt+Enter / Alt+2 insert at the counterpart's
// place, marked until edited inside; the insert is recorded; a draft opened
// again is marked from memory_marks; the approver sees what came from memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, open, recording } from "./harness.mjs";
import { best, help, memory, memoryDraft, recorded, second, sentence, source, withIncomplete } from "./memory-answers.mjs";

const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
const statuses = facts.kinds.find((k) => k.kind === "incident").statuses;
const sample = "Kumo Mail deliveries are delayed";
const id = recording.list_incidents.find((r) => r.title.en.includes(sample)).id;

/** Opens the composer on the memory draft (update `updateId`), memory answering for its known item. */
async function composer(updateId, { width = 1280, height = 800, answers = {}, uiLang = "ja", answer = help } = {}) {
  const opened = await open({
    width,
    height,
    more: recorded(answer),
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: updateId, version: 1, status: "investigating", statuses, ...structuredClone(memoryDraft), notify: null, quiet_statuses: [] } };
      rec.preview_draft = structuredClone(rec.preview_incident[String(id)].newest);
      rec.preview_draft.diagnostics = [];
      rec.answers = answers;
    },
  });
  const { page } = opened;
  if (uiLang === "en") {
    await page.getByTestId("ui-lang").selectOption("en");
    await page.locator(".shell[lang=en]").waitFor();
  }
  await page.getByTestId("incident-row").filter({ hasText: sample }).click();
  await page.getByTestId("editor-ja").getByText(sentence).waitFor();
  return opened;
}

const textOf = (page, lang) => page.getByTestId(`editor-${lang}`).evaluate((el) => [...el.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
const inserts = async (calls) => (await calls()).filter((c) => c.cmd === "record_memory_insert");
/** The passages an editor marks as coming from memory: their text and title. */
const marked = (page, lang) =>
  page.getByTestId(`editor-${lang}`).evaluate((el) => [...el.querySelectorAll(".cm-from-memory")].map((m) => ({ text: m.textContent, title: m.getAttribute("title") })));

/** Puts the caret in the remembered Japanese item and waits for the panel's suggestions. */
async function caretInSentence(page) {
  await page.getByTestId("editor-ja").getByText(sentence).click();
  await page.getByTestId("memory-suggestion").nth(1).waitFor();
}

test("the caret in a remembered sentence shows memory's suggestions beside the English editor; nothing goes in without the key", async () => {
  const { page, context, calls, errors } = await composer(201, { answer: withIncomplete(help) });
  // Before the caret is in a text: the panel says what it does.
  const panel = page.getByTestId("memory-panel");
  await panel.getByRole("heading", { name: "翻訳メモリ：英語の候補" }).waitFor();
  await caretInSentence(page);
  const items = page.getByTestId("memory-suggestion");
  assert.equal(await items.count(), 2);
  assert.equal(await items.nth(0).getByTestId("memory-text").innerText(), best);
  assert.match(await items.nth(0).innerText(), new RegExp(`${Math.round(help.suggestions[0].score * 100)}%`));
  assert.equal(await items.nth(0).getByTestId("memory-source").innerText(), `「${source.title}」更新 ${source.update} より`);
  assert.equal(await items.nth(0).getByTestId("memory-incomplete").count(), 0);
  // The second (as this test has it) could not carry a value: it says so.
  assert.match(await items.nth(1).getByTestId("memory-incomplete").innerText(), /引き継げなかった値：秒数（\{num:seconds\}）/);
  assert.match(await items.nth(1).innerText(), new RegExp(`${Math.round(help.suggestions[1].score * 100)}%`));
  assert.equal(await panel.getByTestId("memory-for").innerText(), sentence);
  // The panel sits under the English editor; the count is said politely.
  assert.equal(await panel.getAttribute("data-to"), "en");
  assert.equal(await page.getByTestId("memory-news").getAttribute("role"), "status");
  assert.equal(await page.getByTestId("memory-news").innerText(), "候補 2 件");
  // The segment under the caret is highlighted; its counterpart in the English text too.
  assert.equal(await page.getByTestId("editor-ja").locator(".cm-memory-segment").innerText(), sentence);
  assert.equal(await page.getByTestId("editor-en").locator(".cm-memory-target").innerText(), "TBD");
  // The question carried the caret's place (line 4) and both texts.
  const asked = (await calls()).filter((c) => c.cmd === "suggest_translation").at(-1).args;
  assert.equal(asked.id, id);
  assert.equal(asked.from, "ja");
  assert.equal(asked.line, 4);
  assert.deepEqual(asked.body, memoryDraft.body);
  // Time passes, suggestions are shown: nothing has been inserted.
  await page.waitForTimeout(800);
  assert.equal(await textOf(page, "en"), memoryDraft.body.en);
  assert.equal((await inserts(calls)).length, 0);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "memory-panel.png") });
  await context.close();
});

test("Alt+Enter inserts the best suggestion over the English counterpart, marks it, records it, and leaves the caret where it was", async () => {
  const { page, context, calls, errors } = await composer(202);
  await caretInSentence(page);
  await page.keyboard.press("Alt+Enter");
  await page.getByTestId("editor-en").getByText(best).waitFor();
  // In place of the placeholder, nothing else changed.
  assert.equal(await textOf(page, "en"), memoryDraft.body.en.replace("TBD", best));
  // Alt+Enter put no new line into the Japanese text, and the caret stayed there.
  assert.equal(await textOf(page, "ja"), memoryDraft.body.ja);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "editor-ja");
  // Marked as coming from memory, with a title saying so.
  const marks = await marked(page, "en");
  assert.equal(marks.length, 1);
  assert.equal(marks[0].text, best);
  assert.match(marks[0].title, /翻訳メモリから挿入/);
  // Rust is told what was inserted, where, from which remembered update.
  const sent = await inserts(calls);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].args, { updateId: 202, lang: "en", text: best, source });
  assert.equal(await page.getByTestId("memory-news").innerText(), "英語の本文に候補を挿入しました。");
  // The draft is saved with it.
  await page.waitForFunction((best) => window.__calls.some((c) => c.cmd === "save_draft" && c.args.body.en.includes(best)), best, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("where the English text has no counterpart yet, the suggestion goes in at the insert point with what Rust puts around it", async () => {
  const en = memoryDraft.body.en.split("\n").slice(0, 2).join("\n");
  const answer = ([help, en]) => {
    const end = [...en.split("\n")[1]].length + 1;
    window.__suggestTranslation = (args) =>
      args.line === 4 ? { ...help, target: { line: 2, column: end, end_line: 2, end_column: end }, target_prefix: "\n\n- ", target_suffix: "" } : { segment: null, text: "", suggestions: [], target: null, target_prefix: "", target_suffix: "" };
  };
  const opened = await open({
    more: [answer, [help, en]],
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 208, version: 1, status: "investigating", statuses, title: memoryDraft.title, body: { ja: memoryDraft.body.ja, en }, notify: null, quiet_statuses: [] } };
    },
  });
  const { page, context } = opened;
  await page.getByTestId("incident-row").filter({ hasText: sample }).click();
  await caretInSentence(page);
  await page.keyboard.press("Alt+Enter");
  await page.getByTestId("editor-en").getByText(best).waitFor();
  assert.equal(await textOf(page, "en"), `${en}\n\n- ${best}`);
  assert.deepEqual((await marked(page, "en")).map((m) => m.text), [best], "the mark covers the suggestion, not the list marker");
  await context.close();
});

test("typing beside the inserted passage keeps its mark; typing inside it removes the mark", async () => {
  const { page, context } = await composer(203);
  await caretInSentence(page);
  await page.keyboard.press("Alt+2");
  const en = page.getByTestId("editor-en");
  await en.getByText(second).waitFor();
  assert.equal((await marked(page, "en"))[0].text, second);
  // At the end of the line, after the passage: still as inserted.
  await en.getByText(second).click();
  await page.keyboard.press("End");
  await page.keyboard.type(" (update)");
  await en.getByText(`${second} (update)`).waitFor();
  assert.deepEqual((await marked(page, "en")).map((m) => m.text), [second]);
  // Inside it: the mark is gone, the text stays.
  for (let i = 0; i < " (update)".length + " error".length; i++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.type(" HTTP");
  await en.getByText("503 HTTP error (update)", { exact: false }).waitFor();
  assert.deepEqual(await marked(page, "en"), []);
  await context.close();
});

test("keys pressed for an IME composition insert nothing; after it ends, Alt+Enter does", async () => {
  const { page, context, calls } = await composer(204);
  await caretInSentence(page);
  const editor = page.getByTestId("editor-ja");
  // A keydown an IME sends (isComposing, keyCode 229), with Alt and Enter.
  await editor.evaluate((el) => {
    el.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, key: "Enter", altKey: true, isComposing: true, keyCode: 229 }));
    el.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, key: "Enter", code: "Enter", altKey: true, keyCode: 229 }));
  });
  // A real composition in Chromium (preedit text not yet committed), and Alt+Enter during it.
  await page.keyboard.press("End");
  const cdp = await context.newCDPSession(page);
  await cdp.send("Input.imeSetComposition", { text: "たしょう", selectionStart: 4, selectionEnd: 4 });
  await editor.getByText(`${sentence}たしょう`).waitFor();
  await editor.evaluate((el) => {
    el.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, key: "Enter", code: "Enter", altKey: true, keyCode: 13 }));
  });
  await page.waitForTimeout(600);
  assert.equal(await textOf(page, "en"), memoryDraft.body.en, "nothing inserted during the composition");
  assert.equal((await inserts(calls)).length, 0);
  // The composition is undone (Escape-like: committed empty), then the key works.
  await cdp.send("Input.imeSetComposition", { text: "", selectionStart: 0, selectionEnd: 0 });
  await cdp.send("Input.insertText", { text: "" });
  await editor.getByText(sentence).click();
  await page.getByTestId("memory-suggestion").first().waitFor();
  await page.keyboard.press("Alt+Enter");
  await page.getByTestId("editor-en").getByText(best).waitFor();
  assert.equal((await inserts(calls)).length, 1);
  await context.close();
});

test("a draft opened again marks what memory_marks says still stands as inserted", async () => {
  const { with_insert: body, marks } = memory;
  const { page, context, calls } = await open({
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 205, version: 3, status: "investigating", statuses, title: memoryDraft.title, body, notify: null, quiet_statuses: [] } };
      rec.answers = { memory_marks: { status: "ok", data: marks } };
    },
  });
  await page.getByTestId("incident-row").filter({ hasText: sample }).click();
  await page.getByTestId("editor-en").locator(".cm-from-memory").waitFor();
  assert.deepEqual((await marked(page, "en")).map((m) => m.text), [best]);
  const asked = (await calls()).find((c) => c.cmd === "memory_marks");
  assert.deepEqual(asked.args, { updateId: 205, body });
  await context.close();
});

test("in the English UI the panel speaks English; with the caret where memory has nothing, it says so", async () => {
  const { page, context } = await composer(206, { uiLang: "en", answer: withIncomplete(help) });
  const panel = page.getByTestId("memory-panel");
  await panel.getByRole("heading", { name: "Translation memory: English suggestions" }).waitFor();
  await caretInSentence(page);
  assert.equal(await page.getByTestId("memory-news").innerText(), "2 suggestions");
  assert.equal(await page.getByTestId("memory-source").first().innerText(), `from “${source.title}”, update ${source.update}`);
  assert.match(await page.getByTestId("memory-incomplete").innerText(), /Not carried over: a number of seconds \(\{num:seconds\}\)/);
  await page.getByRole("button", { name: "Insert Alt+1 (into the English text)" }).waitFor();
  // The caret in a sentence memory does not know.
  await page.getByTestId("editor-ja").getByText("現在、以下の障害が発生しております。").click();
  await page.getByTestId("memory-suggestion").first().waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("memory-news").innerText(), "");
  await context.close();
});

for (const width of [1000, 700]) {
  test(`at ${width} px the panel fits: nothing spills sideways`, async () => {
    const { page, context } = await composer(207, { width, height: 700 });
    await caretInSentence(page);
    const overflow = await page.evaluate(() =>
      ["html", ".composer", ".memory-panel", ".memory-suggestion"].flatMap((sel) =>
        [...document.querySelectorAll(sel)].map((el) => ({ sel, extra: el.scrollWidth - el.clientWidth })),
      ),
    );
    const spilling = overflow.filter((o) => o.extra > 1);
    assert.deepEqual(spilling, [], `wider than their box: ${JSON.stringify(spilling)}`);
    const panel = await page.getByTestId("memory-panel").boundingBox();
    assert.ok(panel.x >= 0 && panel.x + panel.width <= width, `the panel is within the window: ${JSON.stringify(panel)}`);
    await page.getByTestId("memory-panel").screenshot({ path: join(artifacts, `memory-panel-${width}.png`) });
    await context.close();
  });
}

test("the approver sees which sentences came from memory, marked in the text with a legend and words for screen readers", async () => {
  const updateId = recording.review.review_queue[0].update_id;
  const { page, context } = await open({
    tweak: (rec) => {
      const item = rec.review.review_item[String(updateId)];
      const line = item.text.en.split("\n").findIndex((l) => l.trim().length > 10);
      const chars = [...item.text.en.split("\n")[line]];
      item.from_memory = [{ lang: "en", span: { line: line + 1, column: 1, end_line: line + 1, end_column: chars.length + 1 }, source }];
    },
  });
  await page.getByTestId("nav-review").click();
  const section = page.getByTestId("from-memory");
  await section.waitFor();
  await section.getByRole("heading", { name: "翻訳メモリから挿入された文" }).waitFor();
  const mark = section.getByTestId("memory-mark");
  assert.equal(await mark.count(), 1);
  const item = recording.review.review_item[String(updateId)];
  const line = item.text.en.split("\n").find((l) => l.trim().length > 10);
  // Seen: the line, marked; heard: where it starts and ends.
  assert.equal(await mark.evaluate((m) => [...m.childNodes].filter((n) => !(n instanceof HTMLElement && n.classList.contains("sr-only"))).map((n) => n.textContent).join("")), line);
  assert.match(await mark.textContent(), /^翻訳メモリから：/);
  assert.equal(await mark.getAttribute("title"), `「${source.title}」更新 ${source.update} より`);
  assert.match(await section.innerText(), /印の付いた文は/);
  // The whole text is there, not only the marked line.
  assert.equal((await section.getByTestId("from-memory-en").textContent()).replace("翻訳メモリから：", "").replace(" ここまで", ""), item.text.en);
  await page.screenshot({ path: join(artifacts, "memory-review.png"), fullPage: true });
  await context.close();
});
