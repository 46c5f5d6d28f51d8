// The UI in real Chromium (Debian's, through playwright-core). The Rust
// backend is replaced by its recorded answers (tests/fixtures/ipc.json, kept
// current by a Rust test), so these tests exercise only what the UI does:
// show what it is given, and send the right commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, open, recording } from "./harness.mjs";

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
  // Tab from the top: the templates screen, the language menu, the two "new" buttons, then the first incident.
  const order = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")));
  }
  assert.deepEqual(order, ["nav-templates", "ui-lang", "new-incident", "new-maintenance", "incident-row"]);
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
