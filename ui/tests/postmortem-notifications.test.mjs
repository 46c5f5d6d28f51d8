// A postmortem's notifications in the composer, in real Chromium with the
// Rust backend replaced by recorded answers (harness.mjs, timeline-answers.mjs):
// the group "通知" only for a postmortem draft, its boxes as Rust answers
// (postmortem_notifications), a tick saved after the text with the version
// the text's save returned (choose_postmortem_notifications), and a refused
// choice shown with Rust's message, the boxes as Rust still has them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, commandError, open, recording } from "./harness.mjs";
import { postmortemDraft, postmortemId, timeline } from "./timeline-answers.mjs";

const rowTitle = recording.list_incidents.find((r) => r.id === postmortemId).title.ja;
const ok = (data) => ({ status: "ok", data });

async function composer({ status = "postmortem", answers = {} } = {}) {
  const opened = await open({
    tweak: (rec) => {
      postmortemDraft(rec, { answers });
      rec.open_draft[String(postmortemId)].status = status;
    },
  });
  await opened.page.getByTestId("incident-row").filter({ hasText: rowTitle }).click();
  await opened.page.getByTestId("composer").waitFor();
  return opened;
}

const chosen = async (calls) => (await calls()).filter((c) => c.cmd === "choose_postmortem_notifications");

test("the group is only in a postmortem draft's composer", async () => {
  const resolved = await composer({ status: "resolved" });
  await resolved.page.getByTestId("title-ja").waitFor();
  assert.equal(await resolved.page.getByTestId("postmortem-notifications").count(), 0);
  assert.equal((await resolved.calls()).filter((c) => c.cmd === "postmortem_notifications").length, 0);
  assert.deepEqual(resolved.errors, []);
  await resolved.context.close();

  const { page, context, calls, errors } = await composer();
  const group = page.getByRole("group", { name: "通知" });
  await group.getByRole("checkbox", { name: "Twitter にも投稿する" }).waitFor();
  // As Rust answered: subscribers the organisation's default (notified), no tweet.
  assert.equal(await group.getByRole("checkbox", { name: "購読者に通知する" }).isChecked(), true);
  assert.equal(await group.getByRole("checkbox", { name: "Twitter にも投稿する" }).isChecked(), false);
  assert.deepEqual((await calls()).find((c) => c.cmd === "postmortem_notifications").args, { updateId: timeline.draft.update_id });
  assert.deepEqual(errors, []);
  await context.close();
});

test("ticking Twitter saves the choice after the text with the version it returned; Rust's answer is shown", async () => {
  const { page, context, calls, errors } = await composer({
    answers: {
      postmortem_notifications: [ok({ subscribers: null, twitter: false }), ok({ subscribers: null, twitter: true })],
      choose_postmortem_notifications: ok({ version: 7 }),
    },
  });
  const twitter = page.getByTestId("notify-twitter");
  await twitter.waitFor();
  await twitter.check();
  await page.getByTestId("save-state").filter({ hasText: "保存済み" }).waitFor();
  const made = (await calls()).map((c) => c.cmd);
  assert.ok(made.lastIndexOf("save_timeline") < made.indexOf("choose_postmortem_notifications"), "the text is saved first");
  const sent = await chosen(calls);
  assert.equal(sent.length, 1);
  // The harness' save_timeline answers version + 1: the choice carries that version.
  assert.deepEqual(sent[0].args, {
    id: postmortemId,
    updateId: timeline.draft.update_id,
    version: timeline.draft.version + 1,
    choice: { subscribers: null, twitter: true },
  });
  assert.equal(await twitter.isChecked(), true);
  assert.equal(await page.getByTestId("notifications-problem").count(), 0);

  // The next save carries the version the choice returned.
  await page.getByTestId("title-en").fill("Sign-in to Kumo Mail was failing (postmortem)");
  await page.getByTestId("save-state").filter({ hasText: "保存中" }).or(page.getByTestId("save-state").filter({ hasText: "保存済み" })).waitFor();
  await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === "save_timeline").length >= 2);
  const saves = (await calls()).filter((c) => c.cmd === "save_timeline");
  assert.equal(saves.at(-1).args.version, 7);
  assert.equal((await chosen(calls)).length, 1, "an unchanged choice is not saved again");
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "postmortem-notifications.png") });
  await context.close();
});

test("a refused choice shows Rust's message, and the boxes as Rust still has them", async () => {
  const conflict = commandError("conflict", "この下書きは別の場所で更新されました。読み込み直してください。");
  const { page, context, calls, errors } = await composer({
    answers: { choose_postmortem_notifications: { status: "error", error: conflict } },
  });
  const twitter = page.getByTestId("notify-twitter");
  await twitter.waitFor();
  await twitter.check();
  const problem = page.getByTestId("notifications-problem");
  await problem.waitFor();
  assert.equal(await problem.textContent(), conflict.message);
  assert.equal(await problem.getAttribute("role"), "alert");
  assert.equal((await chosen(calls)).at(-1).args.choice.twitter, true);
  assert.equal(await twitter.isChecked(), false, "Rust still says no tweet");
  assert.deepEqual(errors, []);
  await context.close();
});
