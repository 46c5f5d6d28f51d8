// The settings screen in the real app (under Xvfb): the app's language
// switches the whole UI, a key and a page id switch publishing to Statuspage
// at once, removing the key brings the sandbox back; without a keychain the
// screen says so. Screenshots go to tests/artifacts/e2e/.
//
// The keychain here is keyring's in-memory store (DESK_KEYCHAIN=memory): a
// headless session has no Secret Service, which the last test shows.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { answerFirstStart, freePort, quitAll, startDriver, Session, until } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const artifacts = join(root, "tests/artifacts/e2e");

const running = [];

/** Starts the app with fresh data folders and `env`; returns the WebDriver session. */
async function launch(env) {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), "incident-desk-settings-"));
  answerFirstStart(join(data, "data"));
  const driver = await startDriver(port, {
    XDG_DATA_HOME: join(data, "data"),
    XDG_CONFIG_HOME: join(data, "config"),
    LANG: "ja_JP.UTF-8",
    ...env,
  });
  const session = await Session.create(port, app);
  running.push({ driver, session });
  return session;
}


after(() => quitAll(running));

const one = async (session, testid, timeoutMs) => (await session.waitFor(`[data-testid=${testid}]`, timeoutMs))[0];
const textOf = async (session, testid) => session.text(await one(session, testid));

test("language, key and page id, key removed: the UI and the target follow at once", async () => {
  const session = await launch({ DESK_KEYCHAIN: "memory" });
  await session.waitFor("[data-testid=incident-row]");
  await session.click(await one(session, "nav-settings"));
  const target = await until(() => textOf(session, "settings-target"), (t) => t.length > 0);
  assert.match(target, /ローカルのサンドボックス/);
  await session.screenshot(join(artifacts, "settings-01-ja-sandbox.png"));

  // The app's language: English everywhere, at once.
  await session.click(await one(session, "settings-lang-en"));
  const english = await until(() => textOf(session, "settings"), (t) => t.includes("Settings") && t.includes("Glossary"));
  assert.match(english, /Publishing to: the local sandbox/);
  assert.match(await textOf(session, "nav-incidents"), /Incidents/);
  await session.screenshot(join(artifacts, "settings-02-en.png"));

  // A page id alone keeps the sandbox (and says why); with a key, Statuspage.
  const pageId = await one(session, "page-id");
  await session.clear(pageId);
  await session.type(pageId, "kctbh9vrtdwd");
  await session.click(await one(session, "save-pages"));
  const noKey = await until(() => textOf(session, "settings-target"), (t) => /No Statuspage API key/.test(t));
  assert.match(noKey, /No Statuspage API key/);
  await session.type(await one(session, "api-key"), "e2e-secret-key");
  await session.click(await one(session, "set-key"));
  const statuspage = await until(() => textOf(session, "settings-target"), (t) => /Statuspage \(kctbh9vrtdwd\)/.test(t));
  assert.match(statuspage, /Statuspage \(kctbh9vrtdwd\)/);
  assert.match(statuspage, /An API key and page id are set/);
  assert.match(await textOf(session, "key-state"), /An API key is set/);
  const page = await session.execute("return document.documentElement.outerHTML");
  assert.ok(!page.includes("e2e-secret-key"), "the key is nowhere in the page");
  await session.screenshot(join(artifacts, "settings-03-statuspage.png"));

  // Back on the incidents, the publish bar names the target and why.
  await session.click(await one(session, "nav-incidents"));
  await session.click((await session.waitFor("[data-testid=incident-row]"))[0]);
  const bar = await until(() => textOf(session, "publish-target"), (t) => /Statuspage/.test(t));
  assert.match(bar, /Statuspage \(kctbh9vrtdwd\)/);
  assert.match(await textOf(session, "target-why"), /An API key and page id are set/);
  await session.screenshot(join(artifacts, "settings-04-publish-bar.png"));

  // Removing the key: the sandbox again.
  await session.click(await one(session, "nav-settings"));
  await session.click(await one(session, "remove-key"));
  const back = await until(() => textOf(session, "settings-target"), (t) => /local sandbox/.test(t));
  assert.match(back, /Publishing to: the local sandbox/);
  assert.match(await textOf(session, "key-state"), /No API key is set/);
  await session.screenshot(join(artifacts, "settings-05-key-removed.png"));
  await quitAll(running);
});

test("without a Secret Service the screen says the keychain is unavailable", { skip: process.env.DBUS_SESSION_BUS_ADDRESS ? "a session bus is present" : false }, async () => {
  const session = await launch({});
  await session.waitFor("[data-testid=incident-row]");
  await session.click(await one(session, "nav-settings"));
  const problem = await until(() => textOf(session, "keychain-problem"), (t) => t.length > 0);
  assert.match(problem, /OS のキーチェーンを利用できない/);
  assert.match(await textOf(session, "settings-target"), /キーチェーンを利用できない/);
  await session.screenshot(join(artifacts, "settings-06-no-keychain.png"));
});
