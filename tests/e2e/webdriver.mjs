// A small WebDriver client over fetch, enough to drive the app through
// tauri-driver (which forwards to WebKitWebDriver on Linux).
import { after, before } from "node:test";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a5e7-4f1b2a1f1d6c";

/** The repository, the app under test (DESK_APP, else the debug build) and where screenshots go. */
export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const APP = process.env.DESK_APP ?? join(ROOT, "target/debug/incident-desk");
export const ARTIFACTS = join(ROOT, "tests/artifacts/e2e");

/** WebDriver's codes for the keys that are not characters. */
export const KEY = {
  tab: "\uE004", enter: "\uE007", shift: "\uE008", control: "\uE009", alt: "\uE00A", escape: "\uE00C",
  end: "\uE010", home: "\uE011", left: "\uE012", up: "\uE013", right: "\uE014", down: "\uE015",
};

/** A loopback port nobody listens on now. E2E files run at once, each with
 * its own drivers: ports are asked of the system, not derived from pids
 * (two files' ranges overlapped and met in one driver). */
export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Starts tauri-driver; the app it launches inherits `env` (on top of ours).
 * The native WebDriver (WebKitWebDriver) gets its own port too: its default,
 * 4445, is shared by every tauri-driver on the machine, so parallel runs would
 * meet in one session. */
export async function startDriver(port, env = {}, nativePort = null) {
  nativePort ??= await freePort();
  const args = ["--port", String(port), "--native-port", String(nativePort)];
  const driver = spawn("tauri-driver", args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
    // Its own process group, so stopDriver() ends the driver, WebKitWebDriver and the app.
    detached: true,
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return driver;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  driver.kill();
  throw new Error(`tauri-driver did not start on port ${port} within 20 s`);
}

/**
 * Starts the app through tauri-driver with fresh data and config folders: the
 * first run fills the database with the sample incidents, and nothing from an
 * earlier run is there. The first-start question is answered "alone" unless
 * `firstStart` (the test answers it). (tauri-driver ignores tauri:options.env, so the
 * driver process carries the environment.)
 */
export async function launchApp(app, port, { firstStart = false } = {}) {
  const data = mkdtempSync(join(tmpdir(), "incident-desk-e2e-"));
  if (!firstStart) answerFirstStart(join(data, "data"));
  const driver = await startDriver(port, {
    XDG_DATA_HOME: join(data, "data"),
    XDG_CONFIG_HOME: join(data, "config"),
    LANG: "ja_JP.UTF-8",
  });
  try {
    return { driver, session: await Session.create(port, app) };
  } catch (e) {
    driver.kill();
    throw e;
  }
}

/** One app for a test file: launched before its tests (the session handed to
 * `use`), closed with its driver after them. */
export function appForFile(use) {
  let running;
  before(async () => {
    running = await launchApp(APP, await freePort());
    use(running.session);
  });
  after(async () => {
    await running?.session.close().catch(() => {});
    stopDriver(running?.driver);
  });
}

/** The first start's question (alone or a team), answered "alone" in a fresh
 * data folder (XDG_DATA_HOME), as a person who works alone answered it once. */
export function answerFirstStart(dataHome) {
  const folder = join(dataHome, "dev.incidentdesk.app");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "connection.json"), JSON.stringify({ mode: "alone" }));
}

/** Waits until `read()` satisfies `ok`, and returns its last value. */
export async function until(read, ok, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(150);
    value = await read();
  }
  return value;
}

export class Session {
  static async create(port, application) {
    const base = `http://127.0.0.1:${port}`;
    const r = await fetch(`${base}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        capabilities: { alwaysMatch: { "tauri:options": { application } } },
      }),
    });
    const body = await r.json();
    if (!r.ok) throw new Error(`cannot start the app: ${JSON.stringify(body)}`);
    return new Session(base, body.value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  async call(method, path, payload) {
    const r = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const body = await r.json();
    if (!r.ok) throw new Error(`${method} ${path}: ${JSON.stringify(body.value)}`);
    return body.value;
  }

  async findAll(css) {
    const found = await this.call("POST", "/elements", { using: "css selector", value: css });
    // W3C drivers answer with the element key; older WebKit builds with "ELEMENT".
    return found.map((e) => e[ELEMENT] ?? e.ELEMENT ?? Object.values(e)[0]);
  }

  /** Waits until at least one element matches, and returns them all. */
  async waitFor(css, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = await this.findAll(css);
      if (found.length > 0) return found;
      await sleep(150);
    }
    throw new Error(`nothing matched ${css} within ${timeoutMs} ms`);
  }

  text(element) {
    return this.call("GET", `/element/${element}/text`);
  }

  attribute(element, name) {
    return this.call("GET", `/element/${element}/attribute/${name}`);
  }

  click(element) {
    return this.call("POST", `/element/${element}/click`, {});
  }

  clear(element) {
    return this.call("POST", `/element/${element}/clear`, {});
  }

  /** Types into an element; "\uE009" presses or releases Control. */
  type(element, text) {
    return this.call("POST", `/element/${element}/value`, { text });
  }

  /**
   * Presses keys as a keyboard does (WebDriver actions: no element is
   * targeted, the key goes where focus is). Each argument is a key ("\uE004"
   * is Tab, "\uE007" Enter; see KEY) or a chord: an array of keys held down
   * together, e.g. [KEY.shift, KEY.tab]. A string of several characters types
   * them one by one.
   */
  async keys(...presses) {
    const actions = [];
    for (const press of presses) {
      if (Array.isArray(press)) {
        for (const k of press) actions.push({ type: "keyDown", value: k });
        for (const k of [...press].reverse()) actions.push({ type: "keyUp", value: k });
      } else {
        for (const k of [...press]) actions.push({ type: "keyDown", value: k }, { type: "keyUp", value: k });
      }
    }
    await this.call("POST", "/actions", { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.call("DELETE", "/actions");
  }

  execute(script, args = []) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  /** Runs a script that ends by calling its last argument with the result, and waits for it (no polling). */
  async executeAsync(script, args = [], timeoutMs = 300_000) {
    await this.call("POST", "/timeouts", { script: timeoutMs });
    return this.call("POST", "/execute/async", { script, args });
  }

  /**
   * Saves a screenshot. WebKitWebDriver answers it after the page's next
   * paint; our webview paints on the CPU (no compositing), so a page where
   * nothing changes (no caret blinking, no animation) never paints again and
   * the screenshot waited until fetch gave up (300 s, seen after a publish).
   * A 1-px, nearly transparent dot in the corner changes for three seconds to
   * give it that paint.
   */
  async screenshot(path) {
    await this.execute(`
      const dot = document.createElement("div");
      dot.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;opacity:0.02;pointer-events:none;z-index:2147483647";
      document.documentElement.append(dot);
      let i = 0;
      const tick = setInterval(() => { dot.style.background = i++ % 2 ? "#000" : "#fff"; }, 40);
      setTimeout(() => { clearInterval(tick); dot.remove(); }, 3000);
    `);
    const png = await this.call("GET", "/screenshot");
    mkdirSync(new URL(".", `file://${path}`).pathname, { recursive: true });
    writeFileSync(path, Buffer.from(png, "base64"));
  }

  close() {
    return this.call("DELETE", "");
  }
}

/** Quits the apps (sessions closed, drivers and what they started ended and
 * waited for, so WebKitWebDriver's port is free again); empties the list. */
export async function quitAll(running) {
  while (running.length > 0) {
    const { driver, session } = running.pop();
    await session?.close().catch(() => {});
    if (!driver) continue;
    const exited = new Promise((ok) => (driver.exitCode !== null ? ok() : driver.once("exit", ok)));
    stopDriver(driver);
    await exited;
  }
}

/** Ends a driver with everything it started (the app too, even when its session
 * did not close): an app left behind would keep the test's output open. */
export function stopDriver(driver) {
  if (!driver) return;
  try {
    process.kill(-driver.pid, "SIGTERM");
  } catch {
    driver.kill();
  }
}
