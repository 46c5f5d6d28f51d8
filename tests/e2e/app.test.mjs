// The real app in a real window (run under Xvfb): the list of incidents, the
// bilingual preview with Japanese text, the per-update timeline, and the CSP.
// Screenshots go to tests/artifacts/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, launchApp, stopDriver, until } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const artifacts = join(root, "tests/artifacts/e2e");

let driver;
let session;

before(async () => {
  ({ driver, session } = await launchApp(app, await freePort()));
});

after(async () => {
  await session?.close().catch(() => {});
  stopDriver(driver);
});

/** Lines typed with the Enter key between them. */
const lines = (...l) => l.join("\uE007");

test("the list shows the sample incidents, open ones first", async () => {
  const rows = await session.waitFor("[data-testid=incident-row]");
  assert.equal(rows.length, 8);
  const texts = await Promise.all(rows.map((r) => session.text(r)));
  const closed = texts.map((t) => /終了/.test(t));
  assert.ok(closed.some((c) => c) && !closed[0], "an open or upcoming incident comes first");
  assert.deepEqual(closed, [...closed].sort(), `closed incidents come after the open ones: ${closed}`);
  const all = texts.join("\n");
  assert.match(all, /Kumo Mailにログインできない障害が発生していました/);
  assert.match(all, /Sign-in to Kumo Mail was failing/);
  await session.screenshot(join(artifacts, "01-list.png"));
});

/** The list row whose text contains `text`. */
async function row(text) {
  const rows = await session.waitFor("[data-testid=incident-row]");
  for (const r of rows) {
    if ((await session.text(r)).includes(text)) return r;
  }
  throw new Error(`no incident row mentions ${text}`);
}

test("choosing an incident shows both languages as Statuspage will", async () => {
  await session.click(await row("Sign-in to Kumo Mail was failing"));
  const shown = () => session.waitFor("[data-testid=preview-ja]").then((e) => session.text(e[0]));
  await until(shown, (t) => t.includes("Kumo Mailにログインできない"));
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

test("a link followed in the window opens outside it: the app stays where it is", async () => {
  const before = await session.execute("return location.href");
  // A link as a preview's Markdown would carry one.
  await session.execute(`
    const a = document.createElement("a");
    a.href = "https://example.com/status";
    a.textContent = "status";
    a.setAttribute("data-testid", "outside-link");
    document.querySelector("[data-testid=preview-ja]")?.appendChild(a) ?? document.body.appendChild(a);
    return true;`);
  await session.click((await session.waitFor("[data-testid=outside-link]"))[0]);
  await new Promise((r) => setTimeout(r, 1_000));
  assert.equal(await session.execute("return location.href"), before);
  await session.execute("document.querySelector('[data-testid=outside-link]')?.remove(); return true;");
});

test("publishing an update puts it on the sandbox's public page, once", async () => {
  await session.click(await row("Kumo Mail deliveries are delayed"));
  await session.click((await session.waitFor("[data-testid=layout-per-language]"))[0]);
  await session.waitFor("[data-testid=preview-ja]");
  const findings = await session.text((await session.waitFor("[data-testid=findings]"))[0]);
  assert.match(findings, /問題は見つかりませんでした/);
  await session.click((await session.waitFor("[data-testid=publish]"))[0]);
  // The confirmation says where it goes and who is notified; then it goes.
  assert.match(await session.text((await session.waitFor("[data-testid=confirm-where]"))[0]), /サンドボックス/);
  await session.click((await session.waitFor("[data-testid=confirm-publish]"))[0]);
  const url = await session.text((await session.waitFor("[data-testid=published-url]", 30_000))[0]);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
  await session.screenshot(join(artifacts, "04-published.png"));
  // What a reader sees: the sandbox's public page, fetched over real HTTP.
  const publicPage = await fetch(new URL("/", url))
    .then((r) => r.text())
    .catch((e) => assert.fail(`cannot read the public page at ${url}: ${e.cause ?? e}`));
  assert.match(publicPage, /Kumo Mailのメール配信に遅延が発生しています/);
  assert.match(publicPage, /Kumo Mail deliveries are delayed/);
  // Published: the button says so, where and when, and cannot send it again.
  const state = await session.text((await session.waitFor("[data-testid=published-state]", 20_000))[0]);
  assert.match(state, /127\.0\.0\.1:\d+/);
  assert.match(await session.text((await session.waitFor("[data-testid=publish]"))[0]), /公開済み/);
  assert.equal(await session.execute("return document.querySelector('[data-testid=publish]').disabled"), true);
  // The author's screen speaks the UI's language; the engine's line is in the log only.
  assert.doesNotMatch(await session.text((await session.waitFor("[data-testid=publish-outcome]"))[0]), /published incident/);
  const after = await (await fetch(new URL("/", url))).text();
  assert.equal(after.split("Kumo Mail deliveries are delayed").length, publicPage.split("Kumo Mail deliveries are delayed").length);
});

test("a new incident is written in the composer, checked as typed and saved by itself", async () => {
  await session.click((await session.waitFor("[data-testid=new-incident]"))[0]);
  const editor = (await session.waitFor("[data-testid=editor-ja]"))[0];
  const title = (await session.waitFor("[data-testid=title-ja]"))[0];
  await session.clear(title);
  await session.type(title, "決済画面が表示されない障害");
  await session.click(editor);
  // Replace the whole Japanese text (Ctrl+A), with an impossible date in it.
  await session.type(editor, "\uE009a\uE009" + lines("■ 発生期間", "2025/02/30 10:00頃〜現在", "", "■ 発生している現象", "- 決済画面が表示されない"));
  const findings = () => session.text(session.__findings);
  session.__findings = (await session.waitFor("[data-testid=findings]"))[0];
  const withError = await until(findings, (t) => /2025\/02\/30/.test(t));
  assert.match(withError, /2025\/02\/30/, "the impossible date is reported");
  await session.screenshot(join(artifacts, "05-composer-invalid-date.png"));
  // Fix it: select all again and type the corrected text.
  await session.type(editor, "\uE009a\uE009" + lines("■ 発生期間", "2025/03/04 10:00頃〜現在", "", "■ 発生している現象", "- 決済画面が表示されない"));
  const fixed = await until(findings, (t) => !/2025\/02\/30/.test(t));
  assert.doesNotMatch(fixed, /2025\/02\/30/);
  // Autosave: within a second of the last keystroke the state says saved.
  const saveState = (await session.waitFor("[data-testid=save-state]"))[0];
  const state = await until(() => session.text(saveState), (t) => t === "保存済み", 5_000);
  assert.equal(state, "保存済み");
  const preview = await session.text((await session.waitFor("[data-testid=preview-ja]"))[0]);
  assert.match(preview, /決済画面が表示されない障害/);
  assert.match(preview, /2025\/03\/04 10:00頃〜現在/);
  await session.screenshot(join(artifacts, "06-composer-saved.png"));
  // The draft is in the database: leaving and coming back brings the text back.
  await session.click(await row("Kumo Mail deliveries are delayed"));
  await until(() => session.findAll("[data-testid=composer]"), (f) => f.length === 0);
  await session.click(await row("決済画面が表示されない障害"));
  const reopened = (await session.waitFor("[data-testid=editor-ja]"))[0];
  assert.match(await session.text(reopened), /2025\/03\/04 10:00頃〜現在/);
});
