// The postmortem's compensation form in the composer, in real Chromium with
// the Rust backend replaced by its recorded answers (harness.mjs;
// fixtures/compensation-ipc.json, kept current by
// src-tauri/src/ipc_tests/compensation_form.rs): an offer added and saved
// after the text (the bodies come back with their compensation sections
// written by Rust, in both languages), a period ending before it starts
// refused naming the field and shown at the offer, nothing saved while an
// IME composes, and the fields wrapping at narrow widths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, open, recording } from "./harness.mjs";
import { postmortemDraft, postmortemId, timeline } from "./timeline-answers.mjs";

const recorded = JSON.parse(readFileSync(new URL("./fixtures/compensation-ipc.json", import.meta.url), "utf8"));
const rowTitle = recording.list_incidents.find((r) => r.id === postmortemId).title.ja;

async function composer({ width = 1280, height = 800, scale = 1, answers = {} } = {}) {
  const opened = await open({
    width, height, scale,
    tweak: (rec) => postmortemDraft(rec, { answers: { open_compensation: { status: "ok", data: structuredClone(recorded.offers) }, ...answers } }),
  });
  await opened.page.getByTestId("incident-row").filter({ hasText: rowTitle }).click();
  await opened.page.getByTestId("compensation-form").waitFor();
  await opened.page.getByTestId("timeline-row").nth(timeline.table.rows.length - 1).waitFor();
  return opened;
}

const textOf = (page, lang) => page.getByTestId(`editor-${lang}`).evaluate((el) => [...el.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
const saves = async (calls) => (await calls()).filter((c) => c.cmd === "save_compensation");

/** Adds an offer and types the recorded one into it, every control found by its name. */
async function fillOffer(page, offer, n = 1) {
  await page.getByTestId("compensation-add").click();
  const names = { who: "対象", what: "内容", how: "方法" };
  for (const [field, name] of Object.entries(names)) {
    await page.getByRole("textbox", { name: `${name}・日本語（補償${n}件目）` }).fill(offer[field].ja);
    await page.getByRole("textbox", { name: `${name}・英語（補償${n}件目）` }).fill(offer[field].en);
  }
  await page.getByLabel(`対象期間の始まり（補償${n}件目）`).fill(offer.start);
  await page.getByLabel(`対象期間の終わり（補償${n}件目）`).fill(offer.end);
  await page.getByLabel(`開始日（任意）（補償${n}件目）`).fill(offer.from);
}

test("an added offer is saved after the text; the bodies come back with the compensation section in both languages", async () => {
  const { page, context, calls, errors } = await composer({ answers: { save_compensation: { status: "ok", data: recorded.saved } } });
  assert.equal(await page.getByTestId("compensation-offer").count(), 0);
  await fillOffer(page, recorded.offer);
  assert.equal(await page.getByTestId("compensation-news").textContent(), "補償1件目を追加しました。");
  await page.getByTestId("save-state").filter({ hasText: "保存済み" }).waitFor();
  const sent = (await saves(calls)).at(-1).args;
  assert.deepEqual(sent.offers, [recorded.offer]);
  assert.equal(sent.updateId, recorded.draft.update_id);
  assert.match(recorded.saved.body.ja, /■ 補償について\n- 対象: 有料プランをご契約のお客様\n- 内容: 3月分のご利用料金を無料/);
  assert.match(recorded.saved.body.en, /■ Compensation\n- Who: Customers on a paid plan\n- What: March free of charge/);
  // Removing it: the live region says so, and the next save carries the bodies as Rust wrote them.
  const count = (await saves(calls)).length;
  await page.getByRole("button", { name: "削除（補償1件目）" }).click();
  assert.equal(await page.getByTestId("compensation-news").textContent(), "補償1件目を削除しました。");
  await page.waitForFunction(async () => true);
  for (let i = 0; i < 50 && (await saves(calls)).length === count; i++) await page.waitForTimeout(100);
  const next = (await saves(calls)).at(-1).args;
  assert.deepEqual(next.offers, []);
  assert.deepEqual(next.body, recorded.saved.body, "the editors hold the sections Rust wrote");
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "compensation-form.png"), fullPage: true });
  await context.close();
});

test("a period ending before it starts is refused by Rust naming the field; the offer and the field say so", async () => {
  const { page, context, errors } = await composer({ answers: { save_compensation: { status: "error", error: { ...recorded.refused } } } });
  await fillOffer(page, { ...recorded.offer, end: "2025-02-28" });
  const problem = page.getByTestId("compensation-offer").first().getByTestId("compensation-problem");
  await problem.waitFor();
  assert.equal(await problem.textContent(), recorded.refused.message);
  assert.equal(await problem.getAttribute("role"), "alert");
  const end = page.getByLabel("対象期間の終わり（補償1件目）");
  assert.equal(await end.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByLabel("対象期間の始まり（補償1件目）").getAttribute("aria-invalid"), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("nothing is saved while an IME composes; the composed text is", async () => {
  const { page, context, calls, errors } = await composer();
  await page.getByTestId("compensation-add").click();
  await page.getByTestId("save-state").filter({ hasText: "保存済み" }).waitFor();
  const before = (await saves(calls)).length;
  const who = page.getByRole("textbox", { name: "対象・日本語（補償1件目）" });
  await who.evaluate((el) => {
    el.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true }));
    el.value = "ゆうりょう";
    el.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true, data: "ゆうりょう" }));
  });
  await page.waitForTimeout(1500);
  assert.equal((await saves(calls)).length, before, "no save mid-composition");
  await who.evaluate((el) => {
    el.value = "有料";
    el.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true, data: "有料" }));
    el.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: "有料" }));
  });
  await page.waitForFunction(() => true);
  await page.getByTestId("save-state").filter({ hasText: "保存済み" }).waitFor();
  await page.waitForTimeout(300);
  const last = (await saves(calls)).at(-1);
  assert.ok(last && (await saves(calls)).length > before, "saved once composed");
  assert.equal(last.args.offers[0].who.ja, "有料");
  assert.deepEqual(errors, []);
  await context.close();
});

test("at 200 % zoom and at narrow widths the fields wrap instead of scrolling sideways", async () => {
  for (const [width, height, scale] of [[640, 400, 2], [360, 700, 1]]) {
    const { page, context, errors } = await composer({ width, height, scale });
    await page.getByTestId("compensation-add").click();
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
    assert.ok(overflow <= 0, `${width} px: the page scrolls sideways by ${overflow}px`);
    const form = await page.getByTestId("compensation-form").boundingBox();
    for (const id of ["compensation-who-ja", "compensation-who-en", "compensation-start", "compensation-from", "compensation-remove"]) {
      const b = await page.getByTestId(id).first().boundingBox();
      assert.ok(b.x >= form.x && b.x + b.width <= form.x + form.width + 1, `${width} px: ${id} inside the form`);
    }
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(artifacts, `compensation-form-${width}.png`), fullPage: true });
    await context.close();
  }
});
