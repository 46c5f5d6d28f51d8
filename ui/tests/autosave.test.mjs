// No keystroke lost: closing the window saves what is typed first (IME
// composition included), a failed save is tried again and says so, and a
// status change answered after more typing keeps that typing. Real Chromium,
// the Rust backend replaced by recorded answers (harness.mjs); the window's
// close request is the event Tauri sends ("tauri://close-requested").
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, commandError, open, recording } from "./harness.mjs";

const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
const statuses = facts.kinds.find((k) => k.kind === "incident").statuses;
const sample = "Kumo Mail deliveries are delayed";
const id = recording.list_incidents.find((r) => r.title.en.includes(sample)).id;
const title = { ja: "メール配信の遅延", en: "Mail delays" };
const body = { ja: "■ 発生している現象\n- メールが遅れて届く", en: "■ What is happening\n- Mail is delayed" };
const CLOSE = "tauri://close-requested";

/** Opens the composer on a draft of the sample (update `updateId`), with the test's own answers. */
async function composer(updateId, { answers = {}, more = null } = {}) {
  const opened = await open({
    more,
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: updateId, version: 1, status: "investigating", statuses, title, body, notify: null, quiet_statuses: [] } };
      rec.answers = answers;
    },
  });
  await opened.page.getByTestId("incident-row").filter({ hasText: sample }).click();
  await opened.page.getByTestId("editor-ja").getByText("メールが遅れて届く").waitFor();
  return opened;
}

/** The commands sent, in order, by name. */
const names = async (calls) => (await calls()).map((c) => c.cmd);
const saves = async (calls) => (await calls()).filter((c) => c.cmd === "save_draft");

test("closing the window before the autosave's pause saves the typed text first, then closes", async () => {
  const { page, context, calls, emit, errors } = await composer(101);
  await page.getByTestId("editor-ja").getByText("メールが遅れて届く").click();
  await page.keyboard.press("End");
  await page.keyboard.type("（全員）");
  // Well within the 600 ms pause: no save has gone out yet.
  assert.equal((await saves(calls)).length, 0);
  await emit(CLOSE);
  const sent = await saves(calls);
  assert.equal(sent.length, 1);
  assert.match(sent[0].args.body.ja, /メールが遅れて届く（全員）/);
  const order = await names(calls);
  assert.ok(order.lastIndexOf("plugin:window|destroy") > order.indexOf("save_draft"), `saved, then closed: ${order.join(", ")}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("closing in the middle of an IME composition saves the text being composed, as the editor shows it", async () => {
  const { page, context, calls, emit } = await composer(102);
  await page.getByTestId("editor-ja").getByText("メールが遅れて届く").click();
  await page.keyboard.press("End");
  // A real composition in Chromium (what an IME does): preedit text, not committed.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Input.imeSetComposition", { text: "ぜんいん", selectionStart: 4, selectionEnd: 4 });
  await page.getByTestId("editor-ja").getByText("メールが遅れて届くぜんいん").waitFor();
  // The autosave waits for the composition to end...
  await page.waitForTimeout(900);
  assert.equal((await saves(calls)).length, 0, "no autosave in the middle of a composition");
  assert.equal(await page.getByTestId("save-state").innerText(), "未保存の変更あり");
  // ...but closing the window does not: it saves what the user sees.
  await emit(CLOSE);
  const sent = await saves(calls);
  assert.equal(sent.length, 1);
  assert.match(sent[0].args.body.ja, /メールが遅れて届くぜんいん$/);
  assert.ok((await names(calls)).includes("plugin:window|destroy"));
  await context.close();
});

test("a save that fails twice is retried, shown as retrying, then saved; the text stays", async () => {
  const down = commandError("internal", "データベースに書き込めませんでした（ロックされています）。");
  const { page, context, calls } = await composer(103, { answers: { save_draft: [{ status: "error", error: down }, { status: "error", error: down }] } });
  const titleJa = page.getByTestId("title-ja");
  await titleJa.click();
  await page.keyboard.press("End");
  await page.keyboard.type("（続報）");
  const state = page.getByTestId("save-state");
  await page.locator("[data-testid=save-state].state-retrying").waitFor();
  assert.equal(await state.innerText(), "保存できていません…再試行中");
  assert.equal(await state.getAttribute("role"), "status");
  await page.getByTestId("composer").getByRole("alert").filter({ hasText: down.message }).waitFor();
  await page.screenshot({ path: join(artifacts, "composer-retrying.png") });
  // Typing while it waits goes into the next try.
  await page.keyboard.type("２");
  await page.locator("[data-testid=save-state].state-saved").waitFor({ timeout: 8000 });
  const sent = await saves(calls);
  assert.equal(sent.length, 3, "two failures, then the save that worked");
  assert.equal(sent[2].args.title.ja, "メール配信の遅延（続報）２");
  assert.equal(await titleJa.inputValue(), "メール配信の遅延（続報）２", "the text typed is kept");
  assert.equal(await page.getByTestId("composer").getByRole("alert").count(), 0, "the problem is gone once saved");
  await context.close();
});

test("a close request whose save fails keeps the window open, says so, and offers to close anyway", async () => {
  const down = commandError("internal", "データベースに書き込めませんでした。");
  const { page, context, calls, emit } = await composer(104, { answers: { save_draft: Array(10).fill({ status: "error", error: down }) } });
  await page.getByTestId("title-ja").click();
  await page.keyboard.press("End");
  await page.keyboard.type("（続報）");
  await emit(CLOSE);
  assert.ok(!(await names(calls)).includes("plugin:window|destroy"), "the window stays open");
  const blocked = page.getByTestId("close-blocked");
  await blocked.waitFor();
  assert.match(await blocked.innerText(), /保存できなかったため、ウィンドウを閉じていません/);
  assert.equal(await blocked.getAttribute("role"), "alert");
  assert.equal(await page.getByTestId("title-ja").inputValue(), "メール配信の遅延（続報）");
  await page.screenshot({ path: join(artifacts, "composer-close-blocked.png") });
  await page.getByTestId("close-anyway").click();
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "plugin:window|destroy"));
  await context.close();
});

test("a status change answered after more typing keeps that typing: Rust is asked again about the text as it is", async () => {
  // restatus_draft answers from the text it is given; the first answer waits for the test.
  const answer = () => {
    let first = true;
    window.__moreCommands = async (cmd, args) => {
      if (cmd !== "restatus_draft") throw new Error(`unexpected command ${cmd}`);
      if (first) {
        first = false;
        await new Promise((go) => (window.__answerRestatus = go));
      }
      const reword = (t) => t.replace("発生している現象", "発生した現象").replace("What is happening", "What happened");
      return { title: args.title, body: { ja: reword(args.body.ja), en: reword(args.body.en) } };
    };
  };
  const { page, context, calls } = await composer(105, { more: [answer] });
  const editor = page.getByTestId("editor-ja");
  await page.getByTestId("draft-status").selectOption("resolved");
  await page.waitForFunction(() => typeof window.__answerRestatus === "function");
  // Typed while Rust rewords.
  await editor.getByText("メールが遅れて届く").click();
  await page.keyboard.press("End");
  await page.keyboard.type("（一部）");
  await page.evaluate(() => window.__answerRestatus());
  await editor.getByText("■ 発生した現象").waitFor();
  assert.match(await editor.innerText(), /メールが遅れて届く（一部）/, "the typing survives the answer");
  const asked = (await calls()).filter((c) => c.cmd === "restatus_draft");
  assert.equal(asked.length, 2, "asked again about the text as it is");
  assert.match(asked[1].args.body.ja, /（一部）/);
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "save_draft" && c.args.status === "resolved" && c.args.body.ja.includes("（一部）")), null, { timeout: 5000 });
  await context.close();
});
