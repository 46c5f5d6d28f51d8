// A small WebDriver client over fetch, enough to drive the app through
// tauri-driver (which forwards to WebKitWebDriver on Linux).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a5e7-4f1b2a1f1d6c";

/** Starts tauri-driver; the app it launches inherits `env` (on top of ours). */
export async function startDriver(port, env = {}) {
  // Its own native port (WebKitWebDriver's) too, so several runs can share a machine.
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
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

  execute(script, args = []) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  async screenshot(path) {
    const png = await this.call("GET", "/screenshot");
    mkdirSync(new URL(".", `file://${path}`).pathname, { recursive: true });
    writeFileSync(path, Buffer.from(png, "base64"));
  }

  close() {
    return this.call("DELETE", "");
  }
}

/**
 * Starts tauri-driver and the app with fresh data and config folders (the
 * first run fills the database with the sample incidents, and nothing from
 * an earlier run is there). Returns the driver process and the session.
 */
export async function launchFresh(app, port, name) {
  const data = mkdtempSync(join(tmpdir(), `incident-desk-${name}-`));
  const driver = await startDriver(port, {
    XDG_DATA_HOME: join(data, "data"),
    XDG_CONFIG_HOME: join(data, "config"),
    LANG: "ja_JP.UTF-8",
  });
  const session = await Session.create(port, app);
  return { driver, session };
}

/** Waits until `read()` satisfies `ok`, and returns its last value. */
export async function until(read, ok, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}
