// The real app in a real window (run under Xvfb): the list of incidents, the
// bilingual preview with Japanese text, the per-update timeline, and the CSP.
// Screenshots go to tests/artifacts/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, Session } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const artifacts = join(root, "tests/artifacts/e2e");
const port = 4444 + (process.pid % 500);

let driver;
let session;

before(async () => {
  driver = await startDriver(port);
  // A fresh data folder: the first run fills it with the sample incidents.
  const data = mkdtempSync(join(tmpdir(), "incident-desk-e2e-"));
  session = await Session.create(port, app, { XDG_DATA_HOME: data, LANG: "ja_JP.UTF-8" });
});

after(async () => {
  await session?.close().catch(() => {});
  driver?.kill();
});

test("the list shows the sample incidents, open ones first", async () => {
  const rows = await session.waitFor("[data-testid=incident-row]");
  assert.equal(rows.length, 7);
  const texts = await Promise.all(rows.map((r) => session.text(r)));
  const closed = texts.map((t) => /終了/.test(t));
  assert.ok(closed.some((c) => c) && !closed[0], "an open or upcoming incident comes first");
  assert.deepEqual(closed, [...closed].sort(), `closed incidents come after the open ones: ${closed}`);
  const all = texts.join("\n");
  assert.match(all, /Kumo Mailにログインできない障害が発生していました/);
  assert.match(all, /Sign-in to Kumo Mail was failing/);
  await session.screenshot(join(artifacts, "01-list.png"));
});

test("choosing an incident shows both languages as Statuspage will", async () => {
  const row = (await session.waitFor("[data-id=login-certificate-expiry]"))[0];
  await session.click(row);
  const ja = (await session.waitFor("[data-testid=preview-ja]"))[0];
  const en = (await session.waitFor("[data-testid=preview-en]"))[0];
  assert.match(await session.text(ja), /【解決済み】Kumo Mailにログインできない障害が発生していました/);
  assert.match(await session.text(ja), /発生した現象/);
  assert.match(await session.text(en), /\[Resolved\] Sign-in to Kumo Mail was failing/);
  assert.match(await session.text(en), /What happened/);
  await session.screenshot(join(artifacts, "02-preview.png"));
});

test("the timeline switches to an earlier update, with its own wording", async () => {
  const steps = await session.waitFor("[data-testid=timeline-step]");
  assert.equal(steps.length, 4);
  await session.click(steps[0]);
  const deadline = Date.now() + 10_000;
  let text = "";
  while (Date.now() < deadline) {
    text = await session.text((await session.waitFor("[data-testid=preview-ja]"))[0]);
    if (text.includes("発生している現象")) break;
  }
  assert.match(text, /発生している現象/);
  assert.match(text, /次回は2025\/03\/04 10:30までに続報を掲載いたします。/);
  await session.click((await session.waitFor("[data-testid=layout-combined]"))[0]);
  const combined = await session.text((await session.waitFor("[data-testid=preview-combined]"))[0]);
  assert.match(combined, /発生している現象[\s\S]*What is happening/);
  await session.screenshot(join(artifacts, "03-combined.png"));
});

test("the page runs under the strict CSP: inline script is refused", async () => {
  const ran = await session.execute(`
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.head.appendChild(s);
    return window.__inlineRan === true;
  `);
  assert.equal(ran, false);
});
