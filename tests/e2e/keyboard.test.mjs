// The review path by keyboard alone, in the real app under Xvfb: two people,
// two app instances, one throwaway PostgreSQL. The author writes a first
// bilingual update and asks for approval; the approver opens it, quotes a
// passage and requests changes; the author revises and asks again; the
// approver approves; the author publishes to the sandbox. Every step is a key
// press sent to whatever has focus (WebDriver actions): no click, no element
// targeted, no selection set by script. Scripts only read (where focus is,
// what is shown) and count mouse events, which must stay at zero.
// Screenshots go to tests/artifacts/e2e-keyboard/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KEY, quitAll, until } from "./webdriver.mjs";
import { findPgBin, openAppAs, startTeamCluster } from "./pg.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const desk = process.env.DESK_CLI ?? join(root, "target/debug/desk");
const artifacts = join(root, "tests/artifacts/e2e-keyboard");

const missing = findPgBin() ? null : "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` package (scripts/lib/setup.sh does) or set PG_BIN";
if (missing && process.env.CI === "true") throw new Error(`CI=true and ${missing}`);
const skip = missing ?? false;
if (skip) console.log(`SKIPPED: ${skip}`);

let pg;
const people = {};

/** One person's app on the team database, counting every pointer event it receives: the test fails if there is one. */
async function openKeyboardApp(role, password) {
  const opened = await openAppAs(app, pg, role, password);
  await opened.session.waitFor("[data-testid=nav-incidents]");
  await opened.session.execute(`
    window.__pointer = 0;
    for (const type of ["pointerdown", "mousedown", "mouseup"]) addEventListener(type, () => window.__pointer++, true);
  `);
  return opened;
}

before(async () => {
  if (skip) return;
  pg = await startTeamCluster(desk);
  people.author = await openKeyboardApp("aiko", "aiko-pw");
  people.approver = await openKeyboardApp("ben", "ben-pw");
});

after(async () => {
  await quitAll(Object.values(people));
  pg?.stop();
});

/** What has focus: its test id, else its tag. */
const focused = (s) => s.execute("const a = document.activeElement; return a?.getAttribute('data-testid') ?? a?.tagName ?? null;");
const textOf = (s, testid) => s.execute(`return document.querySelector('[data-testid="${testid}"]')?.innerText ?? "";`);

/** Presses Tab (Shift+Tab with `back`) until `testid` has focus; fails naming the stops passed. */
async function tabTo(s, testid, { back = false, limit = 90 } = {}) {
  const passed = [];
  for (let i = 0; i <= limit; i++) {
    const now = await focused(s);
    if (now === testid) return;
    passed.push(now);
    await s.keys(back ? [KEY.shift, KEY.tab] : KEY.tab);
  }
  assert.fail(`${testid} not reached by ${back ? "Shift+Tab" : "Tab"}: focus went ${passed.join(" → ")}`);
}

/** Selects everything in the focused field and types `lines` (Enter between them). */
async function replaceText(s, ...lines) {
  const keys = [[KEY.control, "a"]];
  lines.forEach((line, i) => {
    if (i > 0) keys.push(KEY.enter);
    if (line) keys.push(line);
  });
  await s.keys(...keys);
}

test("author and approver go from a first draft to a published update by keyboard alone", { skip, timeout: 300_000 }, async () => {
  const a = people.author.session;
  const b = people.approver.session;

  // The author: a new incident; focus lands in its Japanese title.
  await tabTo(a, "new-incident");
  await a.keys(KEY.enter);
  assert.equal(await until(() => focused(a), (f) => f === "title-ja"), "title-ja", "a new incident puts focus in its title");
  await replaceText(a, "請求書のPDFがダウンロードできない障害");
  await a.keys(KEY.tab);
  assert.equal(await focused(a), "title-en");
  await replaceText(a, "Invoice PDFs cannot be downloaded");
  await tabTo(a, "editor-ja");
  await replaceText(
    a,
    "現在、以下の障害が発生しております。原因は調査中です。",
    "ご利用中のお客様にはご不便をおかけし、申し訳ございません。",
    "",
    "■ 発生期間",
    "2026/12/02 09:30頃〜現在",
    "",
    "■ 発生している現象",
    "- 請求書のPDFをダウンロードするとエラーになる",
    "",
    "状況に進展があり次第、続報を掲載いたします。",
  );
  await a.keys(KEY.tab);
  assert.equal(await focused(a), "editor-en", "Tab leaves the Japanese editor for the English one");
  await replaceText(
    a,
    "We are investigating the issue described below. The cause is not yet known.",
    "We apologise for the inconvenience.",
    "",
    "■ Period",
    "Dec 2, 2026 09:30 JST (approx.) – ongoing",
    "",
    "■ What is happening",
    "- Downloading an invoice PDF fails with an error",
    "",
    "We will post an update as soon as we know more.",
  );
  assert.equal(await until(() => textOf(a, "save-state"), (t) => t === "保存済み"), "保存済み");
  assert.match(await until(() => textOf(a, "findings"), (t) => /問題は見つかりませんでした/.test(t)), /問題は見つかりませんでした/);
  await tabTo(a, "request-review");
  await a.keys(KEY.enter);
  assert.equal(await until(() => textOf(a, "draft-stage"), (t) => t === "承認待ち"), "承認待ち");
  await a.screenshot(join(artifacts, "01-author-asked.png"));

  // The approver: the review screen, the waiting draft.
  assert.equal(await until(() => textOf(b, "review-count"), (t) => t === "1", 30_000), "1");
  await tabTo(b, "nav-review");
  await b.keys(KEY.enter);
  await tabTo(b, "queue-row");
  await b.keys(KEY.enter);
  assert.equal(await until(() => textOf(b, "review-author"), (t) => t === "aiko"), "aiko");
  // "Request changes" with no comment yet: told so, and taken to the comment box.
  await tabTo(b, "request-changes");
  await b.keys(KEY.enter);
  assert.equal(await until(() => focused(b), (f) => f === "comment-text"), "comment-text");
  // Back to the quoted text; the caret walks to 「PDFをダウンロードすると」 and Shift+arrows select it.
  await tabTo(b, "comment-source", { back: true });
  const source = await b.execute("return document.querySelector('[data-testid=comment-source]').value;");
  const quote = "PDFをダウンロードすると";
  const at = source.indexOf(quote);
  assert.ok(at >= 0, `the quoted text holds 「${quote}」: ${source}`);
  await b.keys([KEY.control, KEY.home], ...Array(at).fill(KEY.right), ...Array(quote.length).fill([KEY.shift, KEY.right]));
  assert.match(await until(() => textOf(b, "comment-target"), (t) => t.includes(quote)), new RegExp(`「${quote}」`));
  await b.keys(KEY.tab);
  assert.equal(await focused(b), "comment-text");
  await b.keys("どの画面からのダウンロードか書いてください", [KEY.control, KEY.enter]);
  assert.match(await until(() => textOf(b, "comments-pending"), (t) => /1 件/.test(t)), /送る前のコメント 1 件/);
  assert.equal(await focused(b), "comment-text", "after adding, focus stays in the comment box");
  await tabTo(b, "request-changes");
  await b.keys(KEY.enter);
  assert.equal(await until(() => textOf(b, "review-stage"), (t) => t === "修正依頼あり"), "修正依頼あり");
  assert.equal(await until(() => focused(b), (f) => f === "decision-outcome"), "decision-outcome", "focus moves to what happened");
  await b.screenshot(join(artifacts, "02-approver-requested-changes.png"));

  // The author sees the request with its quote, revises the Japanese text and asks again.
  assert.match(await until(() => textOf(a, "changes-requested"), (t) => t.includes("どの画面から"), 30_000), new RegExp(quote));
  await tabTo(a, "editor-ja", { back: true });
  await a.keys([KEY.control, KEY.end], KEY.up, KEY.up, KEY.end, KEY.enter, "- 管理画面の「請求書」ページから");
  assert.equal(await until(() => textOf(a, "save-state"), (t) => t === "保存済み"), "保存済み");
  await tabTo(a, "request-review");
  await a.keys(KEY.enter);
  assert.equal(await until(() => textOf(a, "draft-stage"), (t) => t === "承認待ち"), "承認待ち");

  // The approver reads the new revision (screens are read again when shown) and approves it.
  await tabTo(b, "nav-incidents", { back: true });
  await b.keys(KEY.enter);
  await tabTo(b, "nav-review");
  await b.keys(KEY.enter);
  await tabTo(b, "queue-row");
  await b.keys(KEY.enter);
  assert.match(await until(() => textOf(b, "diff-ja"), (t) => t.includes("管理画面の「請求書」ページから")), /管理画面の「請求書」ページから/);
  await tabTo(b, "approve");
  await b.keys(KEY.enter);
  assert.equal(await until(() => focused(b), (f) => f === "decision-outcome"), "decision-outcome");
  assert.match(await textOf(b, "decision-outcome"), /この版は承認済みです/);
  await b.screenshot(join(artifacts, "03-approver-approved.png"));

  // The author publishes: Publish, then the confirmation's button, by keyboard.
  assert.match(await until(() => textOf(a, "approved-by"), (t) => /ben/.test(t), 30_000), /ben が承認しました/);
  await tabTo(a, "publish");
  await a.keys(KEY.enter);
  await tabTo(a, "confirm-publish");
  await a.keys(KEY.enter);
  const url = await until(() => textOf(a, "published-url"), (t) => t.startsWith("http"), 30_000);
  const page = await (await fetch(new URL("/", url))).text();
  assert.match(page, /請求書のPDFがダウンロードできない障害/);
  await a.screenshot(join(artifacts, "04-author-published.png"));

  for (const [who, s] of [["author", a], ["approver", b]]) {
    assert.equal(await s.execute("return window.__pointer;"), 0, `no pointer event reached the ${who}'s window`);
  }
});
