// The update prompt: what is new is shown in the UI's language, nothing is
// installed without the person's click, and the draft being written is
// saved before Rust is asked to install (Rust checks the signature and
// restarts; see src-tauri/src/updates/tests.rs). Real Chromium, the Rust
// backend replaced by recorded answers (harness.mjs); Rust's events are
// delivered as Tauri delivers them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { commandError, open, recording } from "./harness.mjs";

const offer = {
  version: "0.2.0",
  current_version: "0.1.0",
  date: "2026-12-01T09:00:00Z",
  notes: "承認者に通知が届かない問題を直しました。\n英語の本文で 12 時間制の時刻を読めるようになりました。",
};
const screenshot = fileURLToPath(new URL("../../tests/screenshots/update-prompt.png", import.meta.url));
const sample = "Kumo Mail deliveries are delayed";
const id = recording.list_incidents.find((r) => r.title.en.includes(sample)).id;
const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
const statuses = facts.kinds.find((k) => k.kind === "incident").statuses;
const names = async (calls) => (await calls()).map((c) => c.cmd);

/** The app with a draft of the sample open in the composer, and the test's own answers. */
async function drafting(answers) {
  const opened = await open({
    tweak: (rec) => {
      const body = { ja: "■ 発生している現象\n- メールが遅れて届く", en: "■ What is happening\n- Mail is delayed" };
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 301, version: 1, status: "investigating", statuses, title: { ja: "遅延", en: "Delays" }, body, notify: null, quiet_statuses: [] } };
      rec.answers = answers;
    },
  });
  await opened.page.getByTestId("incident-row").filter({ hasText: sample }).click();
  await opened.page.getByTestId("title-ja").click();
  await opened.page.keyboard.press("End");
  await opened.page.keyboard.type("（続報）");
  return opened;
}

test("an update found at start shows its version, date and notes in the UI's language; nothing installs without a click", async () => {
  const { page, context, calls, errors } = await open({ tweak: (rec) => (rec.answers = { pending_update: { status: "ok", data: offer } }) });
  const prompt = page.getByTestId("update-prompt");
  await prompt.waitFor();
  assert.equal(await prompt.getAttribute("role"), "dialog");
  assert.equal(await page.getByTestId("update-version").innerText(), "Incident Desk 0.2.0（お使いのバージョンは 0.1.0）");
  assert.equal(await page.getByTestId("update-date").innerText(), "公開日: 2026年12月1日");
  assert.equal(await page.getByTestId("update-notes").innerText(), offer.notes);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "update-prompt", "focus is in the prompt");
  await page.screenshot({ path: screenshot });
  await page.waitForTimeout(500);
  assert.ok(!(await names(calls)).includes("install_update"), "shown, not installed");
  await page.keyboard.press("Escape");
  await prompt.waitFor({ state: "detached" });
  assert.ok(!(await names(calls)).includes("install_update"), "put off, not installed");
  assert.deepEqual(errors, []);
  await context.close();
});

test("in English, from the menu's check: the same prompt in English", async () => {
  const { page, context, emit } = await open({ tweak: (rec) => (rec.answers = { pending_update: { status: "ok", data: null } }) });
  await page.getByTestId("ui-lang").selectOption("en");
  await emit("update-offered", { ...offer, notes: "" });
  assert.equal(await page.getByTestId("update-version").innerText(), "Incident Desk 0.2.0 (you have 0.1.0)");
  assert.equal(await page.getByTestId("update-date").innerText(), "Published: 1 December 2026");
  assert.equal(await page.getByTestId("update-notes").innerText(), "This release has no notes.");
  await context.close();
});

test("installing saves the draft being written first, then asks Rust to install", async () => {
  const { page, context, calls, emit } = await drafting({ pending_update: { status: "ok", data: null }, install_update: { status: "ok", data: null } });
  await emit("update-offered", offer);
  await page.getByTestId("update-install").click();
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "install_update"));
  const sent = await calls();
  const saved = sent.findIndex((c) => c.cmd === "save_draft" && c.args.title.ja === "遅延（続報）");
  assert.ok(saved >= 0, "the typed title was saved");
  assert.ok(saved < sent.findIndex((c) => c.cmd === "install_update"), `saved, then install asked: ${sent.map((c) => c.cmd).join(", ")}`);
  await context.close();
});

test("a draft that cannot be saved stops the install; a refused signature is said and nothing installs", async () => {
  const down = commandError("unavailable", "データベースに書き込めませんでした。");
  const { page, context, calls, emit } = await drafting({ pending_update: { status: "ok", data: null }, save_draft: Array(10).fill({ status: "error", error: down }) });
  await emit("update-offered", offer);
  await page.getByTestId("update-install").click();
  await page.getByTestId("update-problem").waitFor();
  assert.match(await page.getByTestId("update-problem").innerText(), /下書きを保存できなかったため、インストールしませんでした/);
  assert.ok(!(await names(calls)).includes("install_update"), "not asked to install");
  await context.close();

  const refused = commandError("refused", "更新の署名がこのアプリの公開鍵で検証できないため、インストールしませんでした（…）。", { field: "signature" });
  const second = await open({ tweak: (rec) => (rec.answers = { pending_update: { status: "ok", data: offer }, install_update: { status: "error", error: refused } }) });
  await second.page.getByTestId("update-install").click();
  await second.page.getByTestId("update-problem").waitFor();
  assert.equal(await second.page.getByTestId("update-problem").innerText(), refused.message);
  assert.equal(await second.page.getByTestId("update-problem").getAttribute("role"), "alert");
  assert.ok(await second.page.getByTestId("update-prompt").isVisible(), "the prompt stays, saying why");
  await second.context.close();
});

test("a menu item's notice is said in the window (the diagnostics copied)", async () => {
  const { page, context, emit } = await open({ tweak: (rec) => (rec.answers = { pending_update: { status: "ok", data: null } }) });
  const message = "診断情報（バージョン、システム、データベース、公開先、ログの最後の 100 行）をクリップボードにコピーしました。API キーとパスワードは含まれません。";
  await emit("menu-notice", { message, problem: false });
  const notice = page.getByTestId("menu-notice");
  assert.equal(await notice.getAttribute("role"), "status");
  assert.match(await notice.innerText(), /クリップボードにコピーしました/);
  await page.getByTestId("menu-notice-dismiss").click();
  assert.equal((await notice.innerText()).trim(), "");
  await context.close();
});
