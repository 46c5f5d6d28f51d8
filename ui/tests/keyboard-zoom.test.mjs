// The approver's and the author's paths by keyboard alone and at 200 % zoom,
// in real Chromium over the recorded backend (see harness.mjs). Every step is
// a key press: no click, no selection set by script.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { artifacts, open, recording } from "./harness.mjs";
import { templateCommands, templates } from "./template-answers.mjs";

const review = recording.review;
/** The statuses of an incident, as Rust's domain facts (bindings.ts) list them. */
const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
const incidentStatuses = facts.kinds.find((k) => k.kind === "incident").statuses;
const waitingItem = () => review.review_item[String(review.review_queue[0].update_id)];
/** README screenshots (checked in), retaken with UPDATE_README_SCREENSHOTS=1. */
const readmeShots = fileURLToPath(new URL("../../tests/screenshots/", import.meta.url));
const shot = (page, name) =>
  page.screenshot({ path: process.env.UPDATE_README_SCREENSHOTS ? join(readmeShots, name) : join(artifacts, name) });

const focusedTestId = (page) => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName);

/** Presses Tab (or Shift+Tab) until the element with this test id has focus; fails after `limit` presses. */
async function tabTo(page, testid, { back = false, limit = 80 } = {}) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    if ((await focusedTestId(page)) === testid) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    seen.push(await focusedTestId(page));
  }
  assert.fail(`${testid} not reached by ${back ? "Shift+Tab" : "Tab"}; focus went through ${seen.join(", ")}`);
}

async function openReviewByKeyboard(page) {
  await page.getByTestId("review-count").waitFor();
  await tabTo(page, "nav-review");
  await page.keyboard.press("Enter");
  await page.getByTestId("review-detail").waitFor();
}

test("the review button's name begins with what it shows, then says what the number counts", async () => {
  const { page, context } = await open();
  await page.getByTestId("review-count").waitFor();
  const n = review.review_queue.length;
  // The count is its own box, so the name has spaces where the eye sees none: "承認 1 （承認待ち 1 件）".
  await page.getByRole("button", { name: new RegExp(`^承認\\s*${n}\\s*（承認待ち ${n} 件）$`) }).waitFor();
  await page.getByTestId("ui-lang").selectOption("en");
  await page.getByRole("button", { name: new RegExp(`^Review\\s*${n}\\s*\\(${n} waiting for you\\)$`) }).waitFor();
  await context.close();
});

test("a two-option toggle is one tab stop and the arrow keys choose", async () => {
  const { page, context } = await open();
  await openReviewByKeyboard(page);
  await tabTo(page, "diff-against-published");
  assert.equal(await page.getByTestId("diff-against-last-reviewed").getAttribute("tabindex"), "-1", "one tab stop per group");
  await page.keyboard.press("ArrowRight");
  assert.equal(await focusedTestId(page), "diff-against-last-reviewed");
  assert.equal(await page.getByTestId("diff-against-last-reviewed").getAttribute("aria-checked"), "true");
  assert.deepEqual(await page.getByTestId("diff-ja").locator("ins").allInnerTexts(), ["送信待ちのメールの"]);
  // Tab leaves the group: the next stop is outside it.
  await page.keyboard.press("Tab");
  assert.notEqual(await focusedTestId(page), "diff-against-published");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Home");
  assert.equal(await page.getByTestId("diff-against-published").getAttribute("aria-checked"), "true");
  await context.close();
});

test("the diff is a labelled group that says where text was added and removed", async () => {
  const { page, context } = await open();
  await openReviewByKeyboard(page);
  const diff = page.getByRole("group", { name: "変更点 (日本語)" });
  await diff.waitFor();
  // What a screen reader reads: the hidden markers around each insertion.
  const spoken = await diff.evaluate((el) => el.textContent);
  assert.match(spoken, /\[追加\] [^[]*送信待ちのメールの処理が滞っていました[^[]* \[追加ここまで\]/);
  await context.close();
});

test("the approver quotes a passage, comments and requests changes with the keyboard alone", async () => {
  const { page, context, calls } = await open();
  await openReviewByKeyboard(page);
  // "Request changes" before any comment: told why, and taken to the comment box.
  await tabTo(page, "request-changes");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "コメントを 1 件以上" }).waitFor();
  assert.equal(await focusedTestId(page), "comment-text", "focus goes where the comment is written");
  assert.equal((await calls()).filter((c) => c.cmd === "request_changes").length, 0);
  // Back to the text, caret to 「送信待ちのメール」, Shift+arrows over it.
  await tabTo(page, "comment-source", { back: true });
  const item = waitingItem();
  const quote = "送信待ちのメール";
  const at = item.text.ja.indexOf(quote);
  await page.keyboard.press("Control+Home");
  for (let i = 0; i < at; i++) await page.keyboard.press("ArrowRight");
  for (let i = 0; i < quote.length; i++) await page.keyboard.press("Shift+ArrowRight");
  await page.getByTestId("comment-target").getByText(`「${quote}」`).waitFor();
  // Typing in the quoted text changes nothing.
  await page.keyboard.press("x");
  assert.equal(await page.getByTestId("comment-source").inputValue(), item.text.ja);
  // The arrow keys after "x" moved nothing: select again and write the comment.
  await page.keyboard.press("Control+Home");
  for (let i = 0; i < at; i++) await page.keyboard.press("ArrowRight");
  for (let i = 0; i < quote.length; i++) await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Tab");
  assert.equal(await focusedTestId(page), "comment-text");
  await page.keyboard.type("「送信待ち」は「配信待ち」に統一してください");
  await page.keyboard.press("Control+Enter");
  await page.getByTestId("comments-pending").getByText("送る前のコメント 1 件").waitFor();
  assert.equal(await focusedTestId(page), "comment-text", "after adding, focus stays in the comment box");
  await tabTo(page, "request-changes");
  await page.keyboard.press("Enter");
  await page.getByTestId("changes-note").waitFor();
  assert.equal(await focusedTestId(page), "decision-outcome", "focus moves to what happened");
  assert.equal(await page.getByTestId("decision-outcome").getAttribute("role"), "status");
  assert.equal(await page.getByTestId("review-stage").innerText(), "修正依頼あり");
  assert.equal(await page.getByTestId("pending-comments").count(), 0, "sent comments no longer wait to be sent");
  const start = [...item.text.ja.slice(0, at)].length;
  const sent = (await calls()).filter((c) => c.cmd === "request_changes");
  assert.deepEqual(sent.map((c) => c.args.comments), [
    [{ text: "「送信待ち」は「配信待ち」に統一してください", passage: { lang: "ja", start, end: start + [...quote].length, quote } }],
  ]);
  await context.close();
});

test("approving by keyboard moves focus to the outcome, which is announced", async () => {
  const { page, context, calls } = await open();
  await openReviewByKeyboard(page);
  await tabTo(page, "approve");
  await page.keyboard.press("Enter");
  await page.getByTestId("approved-note").waitFor();
  assert.equal(await focusedTestId(page), "decision-outcome");
  assert.match(await page.getByTestId("decision-outcome").innerText(), /この版は承認済みです/);
  assert.equal((await calls()).filter((c) => c.cmd === "approve_revision").length, 1);
  await context.close();
});

test("a new incident puts the caret in its Japanese title", async () => {
  const draft = {
    incident_id: 9001, update_id: 9002, version: 1, status: "investigating",
    statuses: incidentStatuses, title: { ja: "", en: "" }, body: { ja: "", en: "" }, notify: null, quiet_statuses: [],
  };
  const { page, context } = await open({
    tweak: (rec) => {
      rec.answers = { new_incident: { status: "ok", data: draft } };
      rec.open_draft = { 9001: draft };
    },
    more: [() => { window.__moreCommands = (cmd) => (cmd === "save_draft" ? { version: 2 } : null); }],
  });
  await page.getByTestId("incident-row").first().waitFor();
  await tabTo(page, "new-incident");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "title-ja");
  await context.close();
});

/** How far each element sticks out of the viewport's width (nothing may scroll sideways). */
const sideways = (page) =>
  page.evaluate(() => {
    const root = document.scrollingElement;
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => !["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible" && getComputedStyle(el).overflowX !== "hidden")
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} +${el.scrollWidth - el.clientWidth}`);
    return { page: root.scrollWidth - root.clientWidth, wide };
  });

const inView = (locator) =>
  locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
  });

test("at 200 % the approver's screen is one page: the queue at its height, the decision in view while reading", async () => {
  // 200 % zoom of a 1280×800 window is 640×400 CSS pixels.
  const { page, context } = await open({ width: 640, height: 400, scale: 2 });
  await openReviewByKeyboard(page);
  assert.deepEqual(await sideways(page), { page: 0, wide: [] });
  // The queue is as tall as its rows, not 40 % of the window with a scroll bar of its own.
  const queue = await page.locator(".review-queue").evaluate((el) => ({ scroll: el.scrollHeight - el.clientHeight, overflow: getComputedStyle(el).overflowY }));
  assert.equal(queue.scroll, 0);
  // Reading the English text, the buttons are still in view.
  await page.getByTestId("review-preview-en").evaluate((el) => el.scrollIntoView({ block: "start" }));
  assert.ok(await inView(page.getByTestId("approve")), "Approve in view while reading");
  assert.ok(await inView(page.getByTestId("request-changes")), "Request changes in view while reading");
  assert.ok(await inView(page.getByTestId("review-preview-en").locator(".page-title")), "the text read is not covered");
  // No Japanese word broken in the top bar.
  const navHeights = await page.locator(".nav button").evaluateAll((els) => els.map((b) => b.getBoundingClientRect().height));
  const line = await page.getByTestId("nav-incidents").evaluate((b) => parseFloat(getComputedStyle(b).lineHeight));
  assert.ok(navHeights.every((h) => h < line * 2), `a top-bar button wraps: ${navHeights}`);
  await shot(page, "review-200.png");
  await context.close();
});

test("at 200 % the composer is one scrolling page with room to write; the template editors do not scroll sideways", async () => {
  const delayed = review.review_queue[0].incident_id;
  const { page, context, errors } = await open({
    width: 640, height: 400, scale: 2,
    tweak: (rec) => {
      const item = waitingItem();
      rec.open_draft = { [String(delayed)]: {
        incident_id: delayed, update_id: item.update_id, version: item.revision, status: "identified",
        statuses: incidentStatuses, title: { ja: item.preview.ja.title, en: item.preview.en.title }, body: item.text, notify: null, quiet_statuses: [],
      } };
    },
  });
  await page.getByTestId("incident-row").first().waitFor();
  await page.locator(`[data-testid=incident-row][data-id="${delayed}"]`).focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("title-ja").waitFor({ timeout: 5000 }).catch(() => assert.fail(errors.join("\n")));
  assert.deepEqual(await sideways(page), { page: 0, wide: [] });
  const editor = await page.locator(".editor").first().evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(editor >= 200, `the Japanese editor is ${editor} px high at 200 %`);
  // Writing in the English editor, the way to publishing is in view; it leads to the confirmation.
  await page.getByTestId("editor-en").focus();
  assert.ok(await inView(page.getByTestId("composer-publish")), "the way to publishing is in view while writing");
  await shot(page, "composer-200.png");
  await page.getByTestId("composer-publish").focus();
  await page.keyboard.press("Enter");
  // The draft is saved first, then the confirmation takes focus (it is far below, with the preview).
  await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "confirm-publish");
  assert.ok(await inView(page.getByTestId("confirm-publish")), "the confirmation is scrolled into view");
  await context.close();
});

test("at 200 % the template editors keep their Save button in view and do not scroll sideways", async () => {
  const { page, context } = await open({ width: 640, height: 400, scale: 2, more: [templateCommands, templates] });
  await page.getByTestId("nav-templates").focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("template-editor-en").locator(".cm-line").first().waitFor();
  assert.deepEqual(await sideways(page), { page: 0, wide: [] });
  const save = await page.getByTestId("template-save").evaluate((b) => {
    const r = b.getBoundingClientRect();
    return { left: r.left, right: r.right, width: innerWidth };
  });
  assert.ok(save.left >= 0 && save.right <= save.width, `Save is cut off: ${JSON.stringify(save)}`);
  await context.close();
});

test("at 400 % nothing scrolls sideways on any screen, and each screen has one <main>", async () => {
  const { page, context } = await open({ width: 320, height: 200, scale: 4, more: [templateCommands, templates] });
  await page.getByTestId("incident-row").first().waitFor();
  for (const screen of ["nav-incidents", "nav-review", "nav-templates", "nav-settings"]) {
    await page.getByTestId(screen).focus();
    await page.keyboard.press("Enter");
    await page.waitForTimeout(300);
    const found = await sideways(page);
    assert.deepEqual(found, { page: 0, wide: [] }, `${screen}: ${JSON.stringify(found)}`);
    // One <main> landmark shown on every screen (the incidents' stays in the page, hidden, while others show).
    const mains = await page.locator("main").evaluateAll((all) => all.filter((m) => m.checkVisibility()).length);
    assert.equal(mains, 1, `${screen}: ${mains} visible <main> elements`);
  }
  await context.close();
});
