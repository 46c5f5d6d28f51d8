// The postmortem's timeline table in the composer, in real Chromium with the
// Rust backend replaced by its recorded answers (harness.mjs;
// timeline-answers.mjs and fixtures/timeline-ipc.json): the table prefilled,
// a row added and saved with the text (the bodies come back with their
// timeline sections written by Rust), rows moved by buttons and by Alt+↑/↓
// (not while an IME composes), a refused row shown at the row, the lint's
// findings beside the row they are on, the picture in the preview, and the
// rows stacking at 200 % zoom.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, open, recording } from "./harness.mjs";
import { postmortemDraft, postmortemId, timeline } from "./timeline-answers.mjs";

const rowTitle = recording.list_incidents.find((r) => r.id === postmortemId).title.ja;

async function composer({ width = 1280, height = 800, scale = 1, answers = {}, diagnostics = [] } = {}) {
  const opened = await open({ width, height, scale, tweak: (rec) => postmortemDraft(rec, { answers, diagnostics }) });
  await opened.page.getByTestId("incident-row").filter({ hasText: rowTitle }).click();
  await opened.page.getByTestId("timeline-row").nth(timeline.table.rows.length - 1).waitFor();
  return opened;
}

const rows = (page) => page.getByTestId("timeline-row");
const jaTexts = (page) => page.getByTestId("timeline-ja").evaluateAll((els) => els.map((e) => e.value));
const saves = async (calls) => (await calls()).filter((c) => c.cmd === "save_timeline");
const textOf = (page, lang) => page.getByTestId(`editor-${lang}`).evaluate((el) => [...el.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
/** Where the focus is: the row's index and the control's column. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { row: Number(el?.closest("[data-row]")?.getAttribute("data-row")), col: el?.getAttribute("data-col") };
  });

test("the table is prefilled; an added row is saved with the text and the sections come back written from the rows; the picture is in the preview", async () => {
  const { page, context, calls, errors } = await composer({
    answers: { save_timeline: { status: "ok", data: timeline.saved } },
  });
  // The rows as Rust gave them: local times, status, both languages; every control named.
  assert.equal(await rows(page).count(), 4);
  const first = timeline.table.rows[0];
  assert.equal(await page.getByTestId("timeline-at").first().inputValue(), first.at);
  assert.equal(await page.getByTestId("timeline-status").first().inputValue(), first.status);
  assert.equal(await page.getByRole("textbox", { name: "英語（1行目）" }).inputValue(), first.en);
  await page.getByRole("checkbox", { name: "頃（4行目）" }).waitFor();
  // The picture in both pages of the preview, as an image with its words.
  for (const lang of ["ja", "en"]) {
    const picture = page.getByTestId(`preview-${lang}`).getByTestId(`timeline-picture-${lang}`).locator("svg[role=img]");
    await picture.waitFor();
    assert.match(await picture.locator("desc").textContent(), lang === "ja" ? /出来事/ : /event/i);
  }

  // Add a row: the focus goes to its time; type both texts.
  await page.getByTestId("timeline-add").click();
  assert.equal(await rows(page).count(), 5);
  assert.deepEqual(await focused(page), { row: 4, col: "at" });
  assert.equal(await page.getByTestId("timeline-news").textContent(), "5行目を追加しました。");
  const added = timeline.rows_added[4];
  await page.getByTestId("timeline-at").nth(4).fill(added.at);
  await page.getByTestId("timeline-approx").nth(4).check();
  await page.getByTestId("timeline-ja").nth(4).fill(added.ja);
  await page.getByTestId("timeline-en").nth(4).fill(added.en);

  // Saved with the draft's autosave, as one call carrying the rows and the text.
  await page.getByTestId("save-state").filter({ hasText: "保存済み" }).waitFor();
  const sent = (await saves(calls)).at(-1).args;
  assert.deepEqual(sent.rows, timeline.rows_added);
  assert.equal(sent.updateId, timeline.draft.update_id);
  assert.equal((await calls()).filter((c) => c.cmd === "save_draft").length, 0, "a postmortem saves through save_timeline");
  // The bodies as Rust wrote them: the new row in both languages' timeline sections.
  assert.match(await textOf(page, "en"), /11:50 \(approx\.\): Confirmed that every customer could sign in/);
  assert.match(await textOf(page, "ja"), /11:50頃: 全てのお客様でログインできることを確認/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "timeline-table.png"), fullPage: true });
  await context.close();
});

test("rows move by their buttons and by Alt+↑/↓, the focus staying on the control; nothing moves while an IME composes", async () => {
  const { page, context, calls, errors } = await composer();
  const before = await jaTexts(page);
  // Alt+↑ in row 2's Japanese text: it becomes row 1, the caret still in its Japanese text.
  await page.getByTestId("timeline-ja").nth(1).focus();
  await page.keyboard.press("Alt+ArrowUp");
  assert.deepEqual(await jaTexts(page), [before[1], before[0], ...before.slice(2)]);
  assert.deepEqual(await focused(page), { row: 0, col: "ja" });
  assert.equal(await page.getByTestId("timeline-news").textContent(), "2行目を1行目に移動しました。");
  // Alt+↓ twice from there: row 3.
  await page.keyboard.press("Alt+ArrowDown");
  await page.keyboard.press("Alt+ArrowDown");
  assert.deepEqual(await jaTexts(page), [before[0], before[2], before[1], before[3]]);
  assert.deepEqual(await focused(page), { row: 2, col: "ja" });
  // The buttons: row 4 up; the first row's up button is disabled.
  await page.getByRole("button", { name: "上へ（4行目）" }).click();
  assert.deepEqual(await jaTexts(page), [before[0], before[2], before[3], before[1]]);
  assert.equal(await page.getByRole("button", { name: "上へ（1行目）" }).isDisabled(), true);

  // An Alt+↑ that drives an IME composition (isComposing, keyCode 229) moves nothing.
  const order = await jaTexts(page);
  await page.getByTestId("timeline-ja").nth(2).focus();
  await page.getByTestId("timeline-ja").nth(2).evaluate((el) => {
    el.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true, data: "" }));
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", altKey: true, isComposing: true, keyCode: 229, bubbles: true, cancelable: true }));
  });
  assert.deepEqual(await jaTexts(page), order);
  // Typed during the composition: not saved until it ends.
  const savedBefore = (await saves(calls)).length;
  await page.keyboard.insertText("（確認中）");
  await page.waitForTimeout(1200);
  assert.equal((await saves(calls)).length, savedBefore, "no save in the middle of a composition");
  await page.getByTestId("timeline-ja").nth(2).evaluate((el) => el.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "（確認中）" })));
  await page.getByTestId("save-state").filter({ hasText: "保存済み" }).waitFor();
  const sent = (await saves(calls)).at(-1).args.rows.map((r) => r.ja);
  assert.equal(sent[2], `${order[2]}（確認中）`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a refused row is shown at that row; the lint's findings on a row's line are shown beside it", async () => {
  const lines = timeline.preview.timeline_table.row_lines;
  const finding = {
    rule: "timeline.order", severity: "warning", lang: "ja", update: 4, field: "body",
    message: { ja: "経緯のこの時刻は、その前の時刻より前です。", en: "This time is earlier than the one above it." },
    line: lines[1].ja, column: 1, end_line: lines[1].ja, end_column: 6, start: 0, end: 0, suggestion: null,
  };
  const { page, context, errors } = await composer({
    answers: { save_timeline: { status: "error", error: { ...timeline.refused } } },
    diagnostics: [finding],
  });
  // The finding on row 2's line is listed under row 2, and only there.
  const beside = rows(page).nth(1).getByTestId("timeline-row-findings");
  await beside.getByText(finding.message.ja).waitFor();
  assert.equal(await page.getByTestId("timeline-row-findings").count(), 1);

  // A row without its English text: Rust refuses the save naming row 5; the row says so.
  await page.getByTestId("timeline-add").click();
  await page.getByTestId("timeline-ja").nth(4).fill("確認");
  const problem = rows(page).nth(4).getByTestId("timeline-row-problem");
  await problem.waitFor();
  assert.equal(await problem.textContent(), timeline.refused.message);
  assert.equal(await problem.getAttribute("role"), "alert");
  assert.deepEqual(errors, []);
  await context.close();
});

test("at 200 % zoom a row's controls wrap onto lines instead of scrolling sideways; narrower, each has its own line", async () => {
  const box = async (page, id) => page.getByTestId(id).first().boundingBox();
  for (const [width, height, scale, stacked] of [[640, 400, 2, false], [400, 700, 1, true]]) {
    const { page, context, errors } = await composer({ width, height, scale });
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
    assert.ok(overflow <= 0, `${width} px: the page scrolls sideways by ${overflow}px`);
    const [at, ja, en, remove] = [await box(page, "timeline-at"), await box(page, "timeline-ja"), await box(page, "timeline-en"), await box(page, "timeline-remove")];
    const table = await box(page, "timeline-table");
    for (const b of [at, ja, en, remove]) assert.ok(b.x >= table.x && b.x + b.width <= table.x + table.width + 1, `${width} px: inside the table`);
    assert.ok(ja.y >= at.y + at.height, `${width} px: the texts below the time`);
    if (stacked) assert.ok(en.y >= ja.y + ja.height, `${width} px: the English below the Japanese`);
    else assert.ok(Math.abs(en.y - ja.y) < 2, `${width} px: the two texts side by side`);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(artifacts, `timeline-table-${width}.png`), fullPage: true });
    await context.close();
  }
});
