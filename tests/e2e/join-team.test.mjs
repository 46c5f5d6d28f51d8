// Joining a team from the first start, without a terminal, in the real app
// under Xvfb: a fresh install asks where the work is kept; the person
// chooses the team, types the team database's address (a throwaway
// PostgreSQL), is told in plain words that the password is wrong, corrects
// it, tests and joins. Started again (as the app's restart button does), the
// app opens the team database. Screenshots in tests/artifacts/e2e-join/ and
// the README's tests/screenshots/first-start.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, quitAll, startDriver, Session, until } from "./webdriver.mjs";
import { findPgBin, startCluster, SUPERUSER_PASSWORD } from "./pg.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const desk = process.env.DESK_CLI ?? join(root, "target/debug/desk");
const artifacts = join(root, "tests/artifacts/e2e-join");

const missing = findPgBin() ? null : "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` package (scripts/lib/setup.sh does) or set PG_BIN";
if (missing && process.env.CI === "true") throw new Error(`CI=true and ${missing}`);
const skip = missing ?? false;
if (skip) console.log(`SKIPPED: ${skip}`);

let pg;
const running = [];
const home = mkdtempSync(join(tmpdir(), "incident-desk-e2e-join-"));
const folders = { XDG_DATA_HOME: join(home, "data"), XDG_CONFIG_HOME: join(home, "config"), LANG: "ja_JP.UTF-8" };

/** Starts the app on this one install's folders (no DESK_DB: the app decides from the first start's answer). */
async function launch(env) {
  const port = await freePort();
  const driver = await startDriver(port, { ...folders, ...env });
  const session = await Session.create(port, app);
  running.push({ driver, session });
  return session;
}


before(async () => {
  if (skip) return;
  pg = await startCluster();
  pg.psql("postgres", "CREATE ROLE desk_user NOLOGIN", "CREATE ROLE aiko LOGIN PASSWORD 'aiko-pw' IN ROLE desk_user", "CREATE DATABASE desk");
  // The team's administrator sets the database up once (any desk command as the owner migrates).
  execFileSync(desk, ["--db", `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${pg.port}/desk`, "audit", "verify"], { stdio: "pipe" });
});

after(async () => {
  await quitAll(running);
  pg?.stop();
});

const one = async (s, testid, timeoutMs) => (await s.waitFor(`[data-testid=${testid}]`, timeoutMs))[0];
const textOf = (s, testid) => s.execute(`return document.querySelector('[data-testid="${testid}"]')?.innerText ?? "";`);
async function fill(s, testid, value) {
  const input = await one(s, testid);
  await s.clear(input);
  await s.type(input, String(value));
}

test("a fresh install joins the team database from the first-start question", { skip, timeout: 240_000 }, async () => {
  // Keys live in this process (no Secret Service under Xvfb).
  let s = await launch({ DESK_KEYCHAIN: "memory" });
  await one(s, "first-start", 30_000);
  assert.equal(await s.execute("return document.querySelector('.shell').inert;"), true, "the app behind the question takes no input");
  await s.screenshot(join(artifacts, "01-first-start.png"));
  copyFileSync(join(artifacts, "01-first-start.png"), join(root, "tests/screenshots/first-start.png"));

  await s.click(await one(s, "first-start-team"));
  await fill(s, "team-host", "127.0.0.1");
  await fill(s, "team-port", pg.port);
  await fill(s, "team-database", "desk");
  await fill(s, "team-role", "aiko");
  await fill(s, "team-password", "wrong-password");
  await s.click(await one(s, "team-test"));
  const refused = await until(() => textOf(s, "team-check"), (t) => t.length > 0);
  assert.match(refused, /ロール aiko でログインできません。ロール名とパスワードを確かめてください/);
  assert.equal(await s.execute("return document.activeElement?.getAttribute('data-testid');"), "team-password", "focus goes to the field to fix");
  await s.screenshot(join(artifacts, "02-wrong-password.png"));

  await fill(s, "team-password", "aiko-pw");
  await s.click(await one(s, "team-test"));
  assert.match(await until(() => textOf(s, "team-check"), (t) => t.startsWith("接続できました")), /ロール aiko で参加できます/);
  await s.click(await one(s, "team-join"));
  assert.match(await until(() => textOf(s, "first-start-joined"), (t) => t.length > 0), /参加しました/);
  await s.screenshot(join(artifacts, "03-joined.png"));
  const kept = JSON.parse(readFileSync(join(folders.XDG_DATA_HOME, "dev.incidentdesk.app/connection.json"), "utf8"));
  assert.deepEqual(kept, { mode: "team", address: { host: "127.0.0.1", port: pg.port, database: "desk", role: "aiko" } });
  assert.doesNotMatch(JSON.stringify(kept), /aiko-pw/, "no password in the file");

  // Started again, the app opens the team database (the memory keychain is gone with the process: PGPASSWORD stands in).
  await quitAll(running);
  s = await launch({ PGPASSWORD: "aiko-pw" });
  await one(s, "nav-settings", 30_000);
  assert.equal((await s.findAll("[data-testid=first-start]")).length, 0, "the question is not asked again");
  await s.click(await one(s, "nav-settings"));
  const where = await until(() => textOf(s, "connection-current"), (t) => t.length > 0);
  assert.equal(where, `チームのデータベース 127.0.0.1:${pg.port}/desk（ロール aiko）`);
  await s.screenshot(join(artifacts, "04-team-settings.png"));
  // What is written now goes to the team database, under the person's role.
  await s.click(await one(s, "nav-incidents"));
  await s.click(await one(s, "new-incident"));
  await one(s, "title-ja");
  const saved = await until(() => pg.psql("desk", "SELECT count(*) FROM incidents").trim(), (n) => n === "1");
  assert.equal(saved, "1");
  assert.match(pg.psql("desk", "SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1"), /aiko/);
});
