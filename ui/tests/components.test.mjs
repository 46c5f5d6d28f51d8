// The UI in real Chromium (Debian's, through playwright-core). The Rust
// backend is replaced by its recorded answers (tests/fixtures/ipc.json, kept
// current by a Rust test), so these tests exercise only what the UI does:
// show what it is given, and send the right commands.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdirSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ui = resolve(fileURLToPath(new URL("..", import.meta.url)));
const dist = join(ui, "dist");
const artifacts = join(ui, "../tests/artifacts/components");
const recording = JSON.parse(readFileSync(join(ui, "tests/fixtures/ipc.json"), "utf8"));
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png" };

let server;
let browser;
let base;

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), "build the UI first (npm run build)");
  server = createServer((req, res) => {
    const path = join(dist, req.url === "/" ? "index.html" : decodeURIComponent(req.url.split("?")[0]));
    if (!path.startsWith(dist) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(readFileSync(path));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Opens the UI with the recorded backend; returns the page and the calls it made. */
async function open({ width = 1280, height = 800, scale = 1, tweak = null } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, locale: "ja-JP" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const rec = structuredClone(recording);
  if (tweak) tweak(rec);
  await page.addInitScript((rec) => {
    window.__calls = [];
    window.__TAURI_INTERNALS__ = {
      invoke: async (cmd, args) => {
        window.__calls.push({ cmd, args });
        if (cmd === "list_incidents") return rec.list_incidents;
        if (cmd === "preview_incident") {
          const byUpdate = rec.preview_incident[String(args.id)];
          if (!byUpdate) throw { message: `incident ${args.id} does not exist` };
          return byUpdate[args.update === null ? "newest" : String(args.update)];
        }
        if (cmd === "open_draft") return rec.open_draft ?? null;
        if (cmd === "preview_draft" && rec.preview_draft) return rec.preview_draft;
        if (cmd === "restatus_draft" && rec.restatus_draft) return rec.restatus_draft;
        if (cmd === "save_draft" && rec.open_draft) return { version: rec.open_draft.version + 1 };
        if (cmd === "publish_target") return { sandbox: true, page_id: "sandbox", public_url: "http://127.0.0.1:9/" };
        if (cmd === "publish_update") {
          return {
            all_done: true,
            warnings: [],
            pages: [{ page_id: "sandbox", done: true, summary: "sandbox: published incident abc http://127.0.0.1:9/incidents/abc", url: "http://127.0.0.1:9/incidents/abc" }],
          };
        }
        throw new Error(`unexpected command ${cmd}`);
      },
      transformCallback: () => 0,
    };
  }, rec);
  await page.goto(base);
  return { page, context, errors, calls: () => page.evaluate(() => window.__calls) };
}

test("the list shows every incident with both titles, open ones first", async () => {
  const { page, context, errors } = await open();
  const rows = page.getByTestId("incident-row");
  await rows.first().waitFor();
  assert.equal(await rows.count(), recording.list_incidents.length);
  const first = recording.list_incidents[0];
  await rows.nth(0).getByText(first.title.ja, { exact: true }).waitFor();
  assert.match(await rows.nth(0).innerText(), new RegExp(first.title.en.replace(/[[\]]/g, "\\$&")));
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "list.png") });
  await context.close();
});

/** The list row of the sample whose English title contains `text`. */
const row = (page, text) => page.getByTestId("incident-row").filter({ hasText: text });
const idOf = (text) => recording.list_incidents.find((r) => r.title.en.includes(text)).id;

test("choosing an incident asks for its newest update and shows both languages", async () => {
  const { page, context, calls } = await open();
  await row(page, "Sign-in to Kumo Mail was failing").click();
  const ja = page.getByTestId("preview-ja");
  await ja.getByText("■ 発生した現象").waitFor();
  await page.getByTestId("preview-en").getByText("■ What happened").waitFor();
  const made = await calls();
  assert.deepEqual(made.at(-1), { cmd: "preview_incident", args: { id: idOf("Sign-in to Kumo Mail was failing"), update: null } });
  await context.close();
});

test("the timeline asks for an earlier update; the combined layout shows both in one page", async () => {
  const { page, context, calls } = await open();
  await row(page, "Sign-in to Kumo Mail was failing").click();
  await page.getByTestId("timeline-step").first().click();
  await page.getByTestId("preview-ja").getByText("■ 発生している現象").waitFor();
  assert.deepEqual((await calls()).at(-1).args, { id: idOf("Sign-in to Kumo Mail was failing"), update: 0 });
  await page.getByTestId("layout-combined").click();
  const combined = await page.getByTestId("preview-combined").innerText();
  assert.ok(combined.indexOf("発生している現象") < combined.indexOf("What is happening"));
  await page.screenshot({ path: join(artifacts, "combined.png") });
  await context.close();
});

test("the app's own language switches between Japanese and English", async () => {
  const { page, context } = await open();
  await page.getByRole("heading", { name: "インシデント" }).waitFor();
  await page.getByTestId("ui-lang").selectOption("en");
  await page.getByRole("heading", { name: "Incidents" }).waitFor();
  assert.equal(await page.locator(".shell").getAttribute("lang"), "en");
  await context.close();
});

test("everything is reachable by keyboard", async () => {
  const { page, context } = await open();
  await page.getByTestId("incident-row").first().waitFor();
  // Tab from the top: the language menu, the two "new" buttons, then the first incident.
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")));
  }
  assert.deepEqual(order, ["ui-lang", "new-incident", "new-maintenance", "incident-row"]);
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-id"));
  assert.equal(focused, String(recording.list_incidents[0].id));
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  const second = recording.list_incidents[1];
  await page.getByTestId("preview-ja").getByText(second.title.ja.replace(/^【.*?】/, ""), { exact: false }).first().waitFor();
  await context.close();
});

test("at 200% zoom nothing spills sideways", async () => {
  // 200 % zoom of a 1280-pixel window is a 640-CSS-pixel viewport.
  const { page, context } = await open({ width: 640, height: 400, scale: 2 });
  await row(page, "Sign-in to Kumo Mail was failing").click();
  await page.getByTestId("preview-ja").waitFor();
  const overflow = await page.evaluate(() =>
    ["html", ".incident-list", ".preview", ".page"].flatMap((sel) =>
      [...document.querySelectorAll(sel)].map((el) => ({ sel, extra: el.scrollWidth - el.clientWidth })),
    ),
  );
  const spilling = overflow.filter((o) => o.extra > 1);
  assert.deepEqual(spilling, [], `wider than their box: ${JSON.stringify(spilling)}`);
  await page.screenshot({ path: join(artifacts, "zoom-200.png") });
  await context.close();
});

test("rendered HTML is shown as given: the UI adds nothing that runs", async () => {
  const { page, context } = await open();
  await row(page, "Some webhooks were sent twice").click();
  await page.getByTestId("preview-ja").waitFor();
  const scripts = await page.locator(".page-body script, .page-body [onclick], .page-body iframe").count();
  assert.equal(scripts, 0);
  const links = await page.locator(".page-body a").evaluateAll((as) => as.map((a) => a.getAttribute("rel")));
  assert.ok(links.length > 0 && links.every((r) => r === "noopener noreferrer"), JSON.stringify(links));
  await context.close();
});

test("publishing sends the shown update and reports where it went", async () => {
  const { page, context, calls } = await open();
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("preview-ja").waitFor();
  await page.getByTestId("publish").click();
  await page.getByTestId("published-url").waitFor();
  assert.equal(await page.getByTestId("published-url").innerText(), "http://127.0.0.1:9/incidents/abc");
  const publishes = (await calls()).filter((c) => c.cmd === "publish_update");
  assert.deepEqual(publishes, [{ cmd: "publish_update", args: { id: idOf("Kumo Mail deliveries are delayed"), update: 0 } }]);
  await page.screenshot({ path: join(artifacts, "published.png") });
  await context.close();
});

test("with lint errors the publish button is disabled and says why; findings are listed", async () => {
  const id = String(idOf("Kumo Mail deliveries are delayed"));
  const { page, context, calls } = await open({
    tweak: (rec) => {
      const p = rec.preview_incident[id].newest;
      p.publish_blocked = { ja: "エラーが 1 件あるため公開できません。", en: "1 error(s) must be fixed before publishing." };
      p.diagnostics = [{
        rule: "date.invalid", severity: "error", lang: "ja", update: 0, field: "body",
        message: { ja: "2025/02/30 という日付はありません。", en: "There is no such date as 2025/02/30." },
        line: 4, column: 1, end_line: 4, end_column: 11, start: 0, end: 10, suggestion: null,
      }];
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("finding").waitFor();
  assert.equal(await page.getByTestId("publish").isDisabled(), true);
  assert.match(await page.locator("#publish-why").innerText(), /エラーが 1 件あるため公開できません/);
  assert.match(await page.getByTestId("finding").innerText(), /2025\/02\/30 という日付はありません/);
  await page.getByTestId("ui-lang").selectOption("en");
  assert.match(await page.getByTestId("finding").innerText(), /There is no such date/);
  assert.equal((await calls()).filter((c) => c.cmd === "publish_update").length, 0);
  await page.screenshot({ path: join(artifacts, "blocked.png") });
  await context.close();
});

test("in the composer a finding leads to its place, its fix applies, and a new status rewords the text through Rust", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const body = { ja: "■ 発生期間\n2025年03年04日 10:00頃〜現在\n\n■ 発生している現象\n- メールが遅れて届く", en: "■ Period\nMar 4, 2025 10:00–ongoing\n\n■ What is happening\n- Mail is delayed" };
  const title = { ja: "メール配信の遅延", en: "Mail delays" };
  const reworded = { ja: "以下の障害は解消いたしました。\n\n■ 発生期間\n2025年03月04日 10:00頃〜現在\n\n■ 発生した現象\n- メールが遅れて届く", en: body.en.replace("What is happening", "What happened") };
  const { page, context, calls } = await open({
    tweak: (rec) => {
      rec.open_draft = { incident_id: id, update_id: 90, version: 1, status: "investigating", statuses: ["investigating", "identified", "monitoring", "resolved", "postmortem"], title, body };
      rec.preview_draft = structuredClone(rec.preview_incident[String(id)].newest);
      rec.preview_draft.diagnostics = [{
        rule: "date.invalid", severity: "error", lang: "ja", update: 0, field: "body",
        message: { ja: "「2025年03年04日」は月の位置に「年」があります。", en: "“2025年03年04日” has 年 where 月 belongs." },
        line: 2, column: 1, end_line: 2, end_column: 12, start: 0, end: 0, suggestion: "2025年03月04日",
      }];
      rec.restatus_draft = { title, body: reworded };
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  const editor = page.getByTestId("editor-ja");
  await editor.getByText("2025年03年04日", { exact: false }).waitFor();
  // The place: the finding's range is selected in the Japanese editor, which has the focus.
  await page.getByTestId("finding-reveal").click();
  assert.equal(await page.evaluate(() => getSelection().toString()), "2025年03年04日");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "editor-ja");
  // The fix, by keyboard: the button says what it will write.
  const fix = page.getByTestId("finding-fix");
  assert.match(await fix.innerText(), /「2025年03月04日」に直す/);
  await fix.focus();
  await page.keyboard.press("Enter");
  await editor.getByText("2025年03月04日 10:00頃〜現在").waitFor();
  await page.screenshot({ path: join(artifacts, "composer-fixed.png") });
  // A new status: Rust rewords, the editor shows it, and the draft is saved with it.
  await page.getByTestId("draft-status").selectOption("resolved");
  await editor.getByText("以下の障害は解消いたしました。").waitFor();
  const restatus = (await calls()).find((c) => c.cmd === "restatus_draft");
  assert.equal(restatus.args.from, "investigating");
  assert.equal(restatus.args.to, "resolved");
  assert.match(restatus.args.body.ja, /2025年03月04日/, "the fixed text is what Rust rewords");
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "save_draft" && c.args.status === "resolved"), null, { timeout: 5000 });
  await context.close();
});
