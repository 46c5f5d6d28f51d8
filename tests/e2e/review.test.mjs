// Team mode end to end (run under Xvfb): two people, two app instances, one
// throwaway PostgreSQL. The author writes an incident and asks for approval;
// the approver, in the other instance, sees it waiting, reads it and
// approves; the author publishes it to the sandbox. Skips (saying why) when
// the PostgreSQL server binaries are not installed.
// Screenshots go to tests/artifacts/e2e-review/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { quitAll, until } from "./webdriver.mjs";
import { findPgBin, openAppAs, startTeamCluster } from "./pg.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const desk = process.env.DESK_CLI ?? join(root, "target/debug/desk");
const artifacts = join(root, "tests/artifacts/e2e-review");

const skip = findPgBin() ? false : "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` package (scripts/lib/setup.sh does) or set PG_BIN";
if (skip) console.log(`SKIPPED: ${skip}`);

let pg;
const people = {};

before(async () => {
  if (skip) return;
  pg = await startTeamCluster(desk);
  people.author = await openAppAs(app, pg, "aiko", "aiko-pw");
  people.approver = await openAppAs(app, pg, "ben", "ben-pw");
});

after(async () => {
  await quitAll(Object.values(people));
  pg?.stop();
});

/** The first match's text, or "" while nothing matches. */
const textOf = (s, css) => s.findAll(css).then((e) => (e.length ? s.text(e[0]) : ""));

/** Replaces an editor's whole text with its template text, markers filled in. */
async function fillEditor(s, testid, replacements) {
  const editor = (await s.waitFor(`[data-testid=${testid}]`))[0];
  const text = await s.execute(`return [...document.querySelectorAll('[data-testid=${testid}] .cm-line')].map((l) => l.textContent).join("\\n");`);
  let filled = text;
  for (const [from, to] of replacements) filled = filled.split(from).join(to);
  await s.click(editor);
  await s.type(editor, "\uE009a\uE009" + filled.split("\n").join("\uE007"));
}

test("an author asks, a second person approves in another instance, the author publishes", { skip }, async () => {
  const a = people.author.session;
  const b = people.approver.session;

  // The author writes a new incident.
  await a.click((await a.waitFor("[data-testid=new-incident]"))[0]);
  const titleJa = (await a.waitFor("[data-testid=title-ja]"))[0];
  await a.clear(titleJa);
  await a.type(titleJa, "決済画面が表示されない障害");
  const titleEn = (await a.waitFor("[data-testid=title-en]"))[0];
  await a.clear(titleEn);
  await a.type(titleEn, "The payment page does not load");
  await fillEditor(a, "editor-ja", [["【要記入】", "決済画面が表示されない"]]);
  await fillEditor(a, "editor-en", [["[TBD]", "The payment page does not load"]]);
  const saveState = (await a.waitFor("[data-testid=save-state]"))[0];
  assert.equal(await until(() => a.text(saveState), (t) => t === "保存済み"), "保存済み");
  const findings = await until(() => a.waitFor("[data-testid=findings]").then((f) => a.text(f[0])), (t) => /問題は見つかりませんでした/.test(t));
  assert.match(findings, /問題は見つかりませんでした/, "the text passes the checks");

  // Publishing without approval is refused (the database's rule, through the store), and the
  // Japanese UI says so in Japanese, naming the revision and its author.
  await a.click((await a.waitFor("[data-testid=publish]"))[0]);
  await a.click((await a.waitFor("[data-testid=confirm-publish]"))[0]);
  const refused = await a.text((await a.waitFor("[data-testid=publish-failure]"))[0]);
  assert.match(refused, /リビジョン \d+ は、作成者（aiko）以外の方の承認をまだ得ていません/);
  assert.doesNotMatch(refused, /publish refused/, "no English left in the Japanese UI");
  await a.screenshot(join(artifacts, "00-author-refused-in-japanese.png"));

  await a.click((await a.waitFor("[data-testid=request-review]"))[0]);
  const stage = () => a.waitFor("[data-testid=draft-stage]").then((e) => a.text(e[0]));
  assert.equal(await until(stage, (t) => t === "承認待ち"), "承認待ち");
  await a.screenshot(join(artifacts, "01-author-requested.png"));

  // The approver's badge counts it; the queue shows it; they read and approve.
  const count = await until(() => textOf(b, "[data-testid=review-count]"), (t) => t === "1", 30_000);
  assert.equal(count, "1");
  await b.click((await b.waitFor("[data-testid=nav-review]"))[0]);
  const row = (await b.waitFor("[data-testid=queue-row]"))[0];
  assert.match(await b.text(row), /決済画面が表示されない障害/);
  await b.click(row);
  assert.equal(await b.text((await b.waitFor("[data-testid=review-author]"))[0]), "aiko");
  const previewJa = await b.text((await b.waitFor("[data-testid=review-preview-ja]"))[0]);
  assert.match(previewJa, /決済画面が表示されない/);
  const diffJa = await b.text((await b.waitFor("[data-testid=diff-ja]"))[0]);
  assert.match(diffJa, /決済画面が表示されない/);
  await b.screenshot(join(artifacts, "02-approver-reads.png"));
  await b.click((await b.waitFor("[data-testid=approve]"))[0]);
  const decided = () => b.waitFor("[data-testid=review-stage]").then((e) => b.text(e[0]));
  assert.equal(await until(decided, (t) => t === "承認済み"), "承認済み");
  assert.equal(await b.attribute((await b.waitFor("[data-testid=approve]"))[0], "disabled"), "true", "approved once is enough");
  await b.screenshot(join(artifacts, "03-approver-approved.png"));

  // The author sees the approval and publishes to the sandbox.
  const approvedBy = await until(() => textOf(a, "[data-testid=approved-by]"), (t) => /ben/.test(t), 30_000);
  assert.match(approvedBy, /ben が承認しました/);
  await a.click((await a.waitFor("[data-testid=publish]"))[0]);
  await a.click((await a.waitFor("[data-testid=confirm-publish]"))[0]);
  const url = await a.text((await a.waitFor("[data-testid=published-url]", 30_000))[0]);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
  await a.screenshot(join(artifacts, "04-author-published.png"));
  const page = await (await fetch(new URL("/", url))).text();
  assert.match(page, /決済画面が表示されない障害/);

  // The database recorded who did what, in one unbroken chain.
  const log = pg.psql("desk", "SELECT actor || ':' || action FROM audit_log WHERE action IN ('review_request', 'approve', 'publish') ORDER BY id");
  // (publish twice: recorded before sending, then marked published once the page had it)
  assert.deepEqual(log.trim().split("\n"), ["aiko:review_request", "ben:approve", "aiko:publish", "aiko:publish"]);
  const verify = execFileSync(desk, ["--db", `postgres://ben:ben-pw@127.0.0.1:${pg.port}/desk`, "audit", "verify"], { encoding: "utf8" });
  assert.match(verify, /audit log intact/);
});
