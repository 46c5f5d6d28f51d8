// The app's speed and size in its real webview (run by scripts/bench-app,
// under Xvfb, through tauri-driver; not part of scripts/test: it measures,
// it asserts nothing).
//
// - Keystroke → updated preview and diagnostics in the composer, for a
//   3,000-character and a 25,000-character Japanese text: a character is
//   inserted into the editor the way typing inserts it (execCommand
//   insertText on the focused CodeMirror, so the editor's own input path,
//   the command to Rust, the render + lint and the Svelte update all run),
//   and the clock stops when the preview shows it (`dom`) and at the next
//   frame after that (`frame`). Each keystroke waits for the previous one's
//   preview, so none is skipped. A second series uses real WebDriver key
//   presses, timed from the page's keydown to the preview.
// - Cold start to an interactive window: from the process's start (its
//   start time in /proc) to the incident list shown, over several launches
//   with an existing database, plus the first run (empty data folder).
// - Resident memory of every process of the app (the app, WebKit's web and
//   network processes): RSS and PSS from /proc after the typing.
//
// Results: tests/artifacts/bench-app.json (and printed).
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, mkdirSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { answerFirstStart, startDriver, Session } from "../e2e/webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = resolve(process.env.DESK_APP ?? join(root, "target/release/incident-desk"));
const out = process.env.BENCH_OUT ?? join(root, "tests/artifacts/bench-app.json");
const port = 6000 + 2 * (process.pid % 300);
const KEYSTROKES = Number(process.env.BENCH_KEYSTROKES ?? 200);
const STARTS = Number(process.env.BENCH_STARTS ?? 7);

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const summary = (xs) => ({
  n: xs.length,
  p50: +percentile(xs, 50).toFixed(2),
  p95: +percentile(xs, 95).toFixed(2),
  max: +Math.max(...xs).toFixed(2),
});

/** Fresh data and config folders for one run of the app. */
function dataDirs(seedFrom = null) {
  const dir = mkdtempSync(join(tmpdir(), "incident-desk-bench-"));
  if (seedFrom) cpSync(seedFrom, dir, { recursive: true });
  else answerFirstStart(join(dir, "data"));
  return { dir, env: { XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config"), LANG: "ja_JP.UTF-8" } };
}

// ---------------------------------------------------------------- /proc

const clockTicks = 100; // USER_HZ on Linux

/**
 * The wall-clock time (ms) of a moment given in clock ticks since boot. The
 * boot time in /proc/stat is whole seconds, which would put a process's start
 * up to a second early; /proc/uptime (centiseconds) read beside Date.now()
 * places it within about 10 ms.
 */
function wallClockOfTicks(ticks) {
  const before = Date.now();
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  const after = Date.now();
  const bootedAt = (before + after) / 2 - uptime * 1000;
  return bootedAt + (ticks / clockTicks) * 1000;
}

function procStat(pid) {
  const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), startTicks: Number(fields[19]) };
}

function allPids() {
  return readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
}

/** The app's process: the one running our binary, started last. */
function appPid() {
  const mine = allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === app;
    } catch {
      return false;
    }
  });
  return mine.sort((a, b) => procStat(b).startTicks - procStat(a).startTicks)[0];
}

/** The process and all its descendants. */
function family(pid) {
  const children = new Map();
  for (const p of allPids()) {
    try {
      const { ppid } = procStat(p);
      children.set(ppid, [...(children.get(ppid) ?? []), p]);
    } catch {
      // gone
    }
  }
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (re, text) => Number(re.exec(text)?.[1] ?? 0);
  let pss = 0;
  try {
    pss = kb(/^Pss:\s+(\d+) kB/m, readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
  } catch {
    // smaps_rollup is not readable everywhere
  }
  const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  return { pid, name, rss_mb: +(kb(/^VmRSS:\s+(\d+) kB/m, status) / 1024).toFixed(1), pss_mb: +(pss / 1024).toFixed(1) };
}

// ---------------------------------------------------------------- runs

async function launch(env) {
  const driver = await startDriver(port, env);
  const requested = Date.now();
  const session = await Session.create(port, app);
  return { driver, session, requested };
}

async function stop({ driver, session }) {
  await session.close().catch(() => {});
  driver.kill();
  await sleep(500);
}

/**
 * Milliseconds from the app process's start to the incident list on screen:
 * the page marks the first frame after the list is in it (desk:list-shown),
 * on its own clock, so the time WebDriver takes to attach is not counted.
 * (`seen_by_webdriver_ms`: when WebDriver first found the list, for comparison.)
 */
async function coldStart(env) {
  const run = await launch(env);
  let seenAt = 0;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const rows = await run.session.findAll("[data-testid=incident-row]");
    if (rows.length > 0) {
      seenAt = Date.now();
      break;
    }
    await sleep(5);
  }
  const startedAt = wallClockOfTicks(procStat(appPid()).startTicks);
  const page = await run.session.execute(
    `const shown = performance.getEntriesByName("desk:list-shown")[0];
     const n = performance.getEntriesByType("navigation")[0];
     return { list_shown: shown ? performance.timeOrigin + shown.startTime : null, time_origin: performance.timeOrigin, dom_interactive: n?.domInteractive ?? null };`,
  );
  await stop(run);
  if (page.list_shown === null) throw new Error("the page did not mark the list as shown (desk:list-shown)");
  return {
    ms: page.list_shown - startedAt,
    seen_by_webdriver_ms: seenAt - startedAt,
    nav: { page_created_ms: page.time_origin - startedAt, dom_interactive_ms: page.dom_interactive },
  };
}

const PARAGRAPH_JA =
  "2025/03/04 10:00頃から、一部のお客様で決済画面が表示されない事象が発生しておりました。原因はロードバランサーの設定変更で、11:30頃に設定を戻して復旧いたしました。";

/** A Japanese body of exactly `chars` characters, in the template's shape. */
function bodyOf(chars) {
  const head = "以下の障害は解消いたしました。\n\n■ 発生期間\n2025/03/04 10:00頃〜11:30頃\n\n■ 発生した現象\n";
  let text = head;
  while ([...text].length < chars) text += `- ${PARAGRAPH_JA}\n`;
  return [...text].slice(0, chars).join("");
}

/** Replaces the Japanese text with `chars` characters and waits for its preview. */
async function setBody(session, chars) {
  await session.execute(
    `const [text] = arguments;
     const el = document.querySelector("[data-testid=editor-ja]");
     el.focus();
     document.execCommand("selectAll");
     document.execCommand("insertText", false, text);
     return true;`,
    [bodyOf(chars)],
  );
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const len = await session.execute("return document.querySelector('[data-testid=preview-ja]')?.textContent.length ?? 0");
    if (len > chars * 0.8) break;
    await sleep(100);
  }
  await sleep(1_000); // the autosave of the new text, before the clock runs
}

/**
 * Keystrokes typed into the Japanese editor, timed to the preview in the page.
 * `gapMs` after each preview: 100 ms is typing at ten keys a second (faster
 * than fast typists); 5 ms is back to back, which lets one keystroke's
 * painting overlap the next. The series runs in one asynchronous script, so
 * no WebDriver call reaches into the page while it is timed.
 */
async function typing(session, chars, gapMs) {
  await setBody(session, chars);
  const results = await session.executeAsync(
    `const [count, gap, done] = arguments;
     const el = document.querySelector("[data-testid=editor-ja]");
     const preview = () => document.querySelector("[data-testid=preview-ja]");
     // Where the time goes: the composer marks the edit, the command sent and its answer.
     const since = (name, t0) => (performance.getEntriesByName(name, "mark").at(-1)?.startTime ?? NaN) - t0;
     const one = () => new Promise((resolve) => {
       const before = preview().textContent;
       const t0 = performance.now();
       const observer = new MutationObserver(() => {
         if (preview().textContent === before) return;
         observer.disconnect();
         const dom = performance.now() - t0;
         const steps = { edit: since("desk:edit", t0), sent: since("desk:preview-sent", t0), answered: since("desk:preview-back", t0) };
         requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0, ...steps }));
       });
       observer.observe(document.querySelector(".preview"), { subtree: true, childList: true, characterData: true });
       document.execCommand("insertText", false, "障");
     });
     (async () => {
       el.focus();
       const results = [];
       for (let i = 0; i < count; i++) {
         results.push(await one());
         await new Promise((r) => setTimeout(r, gap));
       }
       return results;
     })().then(done, (e) => done({ error: String(e) }));`,
    [KEYSTROKES, gapMs],
  );
  if (!Array.isArray(results)) throw new Error(`the ${chars}-character typing run failed: ${JSON.stringify(results)}`);
  const length = await session.execute("return document.querySelector('[data-testid=preview-ja]').textContent.length");
  return {
    chars,
    gap_ms: gapMs,
    preview_chars_after: length,
    dom_ms: summary(results.map((r) => r.dom)),
    frame_ms: summary(results.map((r) => r.frame)),
    // From the keystroke to: the editor's change reaching the composer, the
    // preview command sent, its answer back (then the page shows it: dom_ms).
    steps_ms: {
      edit: summary(results.map((r) => r.edit)),
      sent: summary(results.map((r) => r.sent)),
      answered: summary(results.map((r) => r.answered)),
    },
  };
}

/**
 * Real key presses through WebDriver (GTK key events, the keyboard's own
 * path) into a 3,000-character text, timed in the page from keydown to the
 * preview. One press every 150 ms; the times are read once at the end, so no
 * polling reaches into the page meanwhile.
 */
async function keyPresses(session, count) {
  await setBody(session, 3_000);
  await session.execute(`
    window.__keys = [];
    const preview = () => document.querySelector("[data-testid=preview-ja]");
    document.addEventListener("keydown", () => {
      const before = preview().textContent;
      const t0 = performance.now();
      const observer = new MutationObserver(() => {
        if (preview().textContent === before) return;
        observer.disconnect();
        window.__keys.push(performance.now() - t0);
      });
      observer.observe(document.querySelector(".preview"), { subtree: true, childList: true, characterData: true });
    }, true);
    return true;`);
  const editor = (await session.waitFor("[data-testid=editor-ja]"))[0];
  for (let i = 0; i < count; i++) {
    await session.type(editor, "x");
    await sleep(150);
  }
  await sleep(500);
  const times = await session.execute("return window.__keys");
  return { ...summary(times), presses: count };
}

async function main() {
  mkdirSync(join(root, "tests/artifacts"), { recursive: true });
  const os = await import("node:os");
  // Latencies on a shared machine follow its load: the load average is kept with them.
  const result = { app, when: new Date().toISOString(), machine: { cpus: os.cpus().length, load_average_before: os.loadavg() } };

  // First run: creates the database and the samples.
  const first = dataDirs();
  result.first_run_ms = (await coldStart(first.env)).ms;

  // Later starts, each from a copy of the data the first run left.
  const starts = [];
  const seen = [];
  let nav = null;
  for (let i = 0; i < STARTS; i++) {
    const run = dataDirs(first.dir);
    const r = await coldStart(run.env);
    starts.push(r.ms);
    seen.push(r.seen_by_webdriver_ms);
    nav = r.nav;
  }
  result.cold_start_ms = summary(starts);
  result.cold_start_seen_by_webdriver_ms = summary(seen);
  result.cold_start_navigation = nav;

  // Typing, and memory once the composer has worked.
  const run = await launch(dataDirs(first.dir).env);
  const s = run.session;
  await s.waitFor("[data-testid=incident-row]");
  const pid = appPid();
  const idle = family(pid).map(memoryOf);
  await s.click((await s.waitFor("[data-testid=new-incident]"))[0]);
  await s.waitFor("[data-testid=editor-ja]");
  // The 3,000-character series first, while the editor's history is short.
  result.keystroke_3000 = await typing(s, 3_000, 100);
  result.keypress_webdriver_3000 = await keyPresses(s, Math.min(60, KEYSTROKES));
  result.keystroke_3000_back_to_back = await typing(s, 3_000, 5);
  result.keystroke_25000 = await typing(s, 25_000, 100);
  result.keystroke_25000_back_to_back = await typing(s, 25_000, 5);
  const busy = family(pid).map(memoryOf);
  const total = (list, key) => +list.reduce((sum, p) => sum + p[key], 0).toFixed(1);
  result.memory = {
    idle: { processes: idle, rss_mb: total(idle, "rss_mb"), pss_mb: total(idle, "pss_mb") },
    after_typing: { processes: busy, rss_mb: total(busy, "rss_mb"), pss_mb: total(busy, "pss_mb") },
  };
  await stop(run);

  result.machine.load_average_after = os.loadavg();
  result.targets = {
    keystroke_3000_p95_ms: 10,
    keystroke_25000_back_to_back_p95_ms: 40,
    keystroke_25000_p95_ms: 50,
    cold_start_ms: 1000,
  };
  writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
  console.log(`\nwritten to ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
