// The .deb as a person gets it (run by scripts/test-package, under Xvfb, as
// root or with sudo; not part of scripts/test: it needs scripts/package's
// release build and installs into /usr).
//
// Installs the newest .deb in target/release/bundle/deb (or DESK_DEB) with
// apt-get, so its declared dependencies are checked; starts the INSTALLED app
// through tauri-driver and waits for the incident list; screenshots it; runs
// the installed `desk --version` and `desk render`; measures the cold start
// (process start → the page's own desk:list-shown mark, as
// tests/bench/app.bench.mjs does) and the bundles' sizes; removes the package
// again, also when something failed, so a rerun starts clean.
//
// Figures: tests/artifacts/package/figures.json. Screenshot:
// tests/artifacts/package/installed.png, copied to
// tests/screenshots/installed-linux.png (the README's) when that is missing or
// UPDATE_README_SCREENSHOTS=1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, launchApp, stopDriver } from "../e2e/webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const artifacts = join(root, "tests/artifacts/package");
const bundleDir = join(root, "target/release/bundle");
const version = JSON.parse(readFileSync(join(root, "src-tauri/tauri.conf.json"), "utf8")).version;
const STARTS = Number(process.env.PACKAGE_STARTS ?? 5);

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", ...opts }).trim();
const asRoot = (cmd, args) =>
  process.getuid() === 0 ? sh(cmd, args, { stdio: ["ignore", "pipe", "inherit"] }) : sh("sudo", [cmd, ...args]);

/** The packages in bundle/<kind>/ ending in `ext`, newest first. */
function bundles(kind, ext) {
  const dir = join(bundleDir, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

const deb = process.env.DESK_DEB ?? bundles("deb", ".deb")[0];
const pkg = deb && sh("dpkg-deb", ["--field", deb, "Package"]);
const installed = () => {
  try {
    return sh("dpkg-query", ["-W", "-f=${Status}", pkg]).includes("install ok installed");
  } catch {
    return false;
  }
};
const figures = { version, deb: deb && deb.slice(root.length + 1), package: pkg };

before(() => {
  assert.ok(deb && existsSync(deb), "no .deb in target/release/bundle/deb: run ./scripts/package first");
  if (installed()) asRoot("apt-get", ["purge", "-y", "-qq", pkg]);
  const started = Date.now();
  asRoot("env", ["DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "--no-install-recommends", deb]);
  figures.install_ms = Date.now() - started;
  assert.ok(installed(), `${pkg} is installed`);
});

after(() => {
  if (pkg && installed()) asRoot("apt-get", ["purge", "-y", "-qq", pkg]);
  figures.removed_cleanly = pkg ? !installed() && !existsSync("/usr/bin/desk") : null;
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, "figures.json"), JSON.stringify(figures, null, 2) + "\n");
  console.log(JSON.stringify(figures, null, 2));
});

test("the package installs the app, desk, the desktop entry and the icons", () => {
  const files = sh("dpkg", ["-L", pkg]).split("\n");
  for (const f of ["/usr/bin/incident-desk", "/usr/bin/desk"]) {
    assert.ok(files.includes(f), `${f} is in the package`);
    assert.ok(statSync(f).mode & 0o111, `${f} is executable`);
  }
  const desktop = files.find((f) => f.startsWith("/usr/share/applications/") && f.endsWith(".desktop"));
  assert.ok(desktop, "a desktop entry");
  const entry = readFileSync(desktop, "utf8");
  assert.match(entry, /^Name=Incident Desk$/m);
  assert.match(entry, /^Exec=incident-desk$/m);
  assert.ok(files.some((f) => /^\/usr\/share\/icons\/hicolor\/.*\/apps\/.*\.png$/.test(f)), "icons");
  const depends = sh("dpkg-deb", ["--field", deb, "Depends"]);
  assert.match(depends, /libwebkit2gtk-4\.1-0/, "declares WebKitGTK");
  figures.depends = depends;
  figures.installed_size_kib = Number(sh("dpkg-query", ["-W", "-f=${Installed-Size}", pkg]));
  figures.binary_bytes = { "incident-desk": statSync("/usr/bin/incident-desk").size, desk: statSync("/usr/bin/desk").size };
});

test("desk from the package prints the app's version and renders an incident", () => {
  const out = sh("/usr/bin/desk", ["--version"]);
  assert.equal(out, `desk ${version}`);
  figures.desk_version = out;
  const rendered = sh("/usr/bin/desk", ["render", join(root, "tests/fixtures/incidents/login-certificate-expiry.toml"), "--lang", "en"]);
  assert.ok(rendered.length > 100, "desk render prints the update");
});

/** Milliseconds from the installed app's process start to the incident list painted, and the launch as WebDriver saw it. */
async function start(keepScreenshot) {
  const requested = Date.now();
  const { driver, session } = await launchApp("/usr/bin/incident-desk", await freePort());
  try {
    const rows = await session.waitFor("[data-testid=incident-row]", 30_000);
    const seen = Date.now();
    // The newest process of the installed binary: its start in clock ticks since boot (USER_HZ 100).
    const pid = sh("pgrep", ["-n", "-f", "^/usr/bin/incident-desk"]);
    const ticks = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19]);
    const bootedAt = Date.now() - Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;
    const shown = await session.execute(
      `const m = performance.getEntriesByName("desk:list-shown")[0]; return m ? performance.timeOrigin + m.startTime : null;`,
    );
    assert.ok(shown, "the page marks the list as shown (desk:list-shown)");
    if (keepScreenshot) {
      await sleep(500); // the fonts and the preview settle
      await session.screenshot(join(artifacts, "installed.png"));
    }
    const exe = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    return { rows: rows.length, exe, ms: Math.round(shown - (bootedAt + ticks * 10)), seen_by_webdriver_ms: seen - requested };
  } finally {
    await session.close().catch(() => {});
    stopDriver(driver);
    await sleep(500);
  }
}

test("the installed app starts and shows the incident list", async () => {
  mkdirSync(artifacts, { recursive: true });
  const first = await start(true);
  assert.equal(first.exe, "/usr/bin/incident-desk", "the installed binary ran");
  assert.ok(first.rows > 0, "incident rows are shown");
  const screenshot = join(root, "tests/screenshots/installed-linux.png");
  if (process.env.UPDATE_README_SCREENSHOTS === "1" || !existsSync(screenshot)) copyFileSync(join(artifacts, "installed.png"), screenshot);

  // Cold starts: each in fresh data and config folders (first run: the sample incidents are written).
  const runs = [first];
  for (let i = 1; i < STARTS; i++) runs.push(await start(false));
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  figures.cold_start = {
    what: "process start → incident list painted (the page's desk:list-shown mark), installed app, first run in fresh folders, Xvfb",
    runs_ms: runs.map((r) => r.ms),
    p50_ms: ms[Math.floor((ms.length - 1) / 2)],
    max_ms: ms[ms.length - 1],
    seen_by_webdriver_ms: runs.map((r) => r.seen_by_webdriver_ms),
    load_average: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number),
  };
});

test("bundle sizes", () => {
  const size = (files) => files.map((f) => ({ file: f.slice(bundleDir.length + 1), bytes: statSync(f).size }));
  figures.bundles = [
    ...size(bundles("deb", ".deb").slice(0, 1)),
    ...size(bundles("rpm", ".rpm").slice(0, 1)),
    ...size(bundles("appimage", ".AppImage").slice(0, 1)),
  ];
  assert.ok(figures.bundles.some((b) => b.file.endsWith(".deb")));
});
