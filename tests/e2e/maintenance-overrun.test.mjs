// A maintenance that overruns, in the real app under Xvfb through
// tauri-driver. No clock is faked: a maintenance is written in the composer
// with a window that ended a minute ago and published in progress to the
// app's sandbox, so it has overrun by the time the list shows it. The
// banner shows (screenshot); "draft an extension" to a new end opens the
// drafted update, which is published, and the sandbox's API then answers the
// new scheduled_until. A second overrunning maintenance is turned into an
// incident: the new incident's draft opens, is written and published, the
// sandbox has it, and both rows show the link. Screenshots go to
// tests/artifacts/e2e/maintenance-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, KEY, ROOT, appForFile, until } from "./webdriver.mjs";

let session;
appForFile((s) => (session = s));

const one = async (css, timeoutMs) => (await session.waitFor(css, timeoutMs))[0];
const shot = (name) => session.screenshot(join(ARTIFACTS, `maintenance-${name}.png`));
const textOf = (css) => session.execute(`return document.querySelector(${JSON.stringify(css)})?.innerText ?? ""`);

/** A time as the form takes it: the organisation's zone (Asia/Tokyo, UTC+9, no DST), to the minute. */
const jst = (ms) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 16);
/** What Statuspage keeps for a local minute: UTC with milliseconds. */
const utcOf = (local) => new Date(`${local}:00+09:00`).toISOString();

/** Sets an input or select as a person's choice would (the value, then its input and change events). */
async function setValue(testid, value) {
  await session.execute(
    `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
     el.value = arguments[1];
     el.dispatchEvent(new Event("input", { bubbles: true }));
     el.dispatchEvent(new Event("change", { bubbles: true }));
     return true;`,
    [testid, value],
  );
}

async function saved() {
  const state = await one("[data-testid=save-state]");
  return until(() => session.text(state), (t) => t === "保存済み", 15_000);
}

/** Writes both texts of the open draft (Ctrl+A, then the lines). */
async function writeBodies(ja, en) {
  for (const [lang, lines] of [["en", en], ["ja", ja]]) {
    const editor = await one(`[data-testid=editor-${lang}]`);
    await session.click(editor);
    await session.type(editor, `${KEY.control}a${KEY.control}${lines.join(KEY.enter)}`);
  }
}

/** A new maintenance in the composer, in progress, its window from `start` to `end` (local), published; its public URL. */
async function publishMaintenance(title, start, end) {
  await session.click(await one("[data-testid=new-maintenance]"));
  await one("[data-testid=maintenance-form]", 20_000);
  await setValue("draft-status", "in_progress");
  await until(() => session.execute("return document.querySelector('[data-testid=draft-status]').disabled"), (d) => d === false);
  for (const lang of ["ja", "en"]) {
    const input = await one(`[data-testid=title-${lang}]`);
    await session.clear(input);
    await session.type(input, title[lang]);
  }
  await writeBodies(
    ["メンテナンスを実施しております。", "", "■ 対象", "- Kumo Mailをご利用中のすべてのお客様"],
    ["The maintenance is under way.", "", "■ Affected customers", "- All Kumo Mail customers"],
  );
  await setValue("window-start", start);
  await setValue("window-end", end);
  await until(() => textOf("[data-testid=window-described-ja]"), (t) => t.includes(end.slice(11)), 10_000);
  await saved();
  await session.click(await one("[data-testid=publish]"));
  await session.click(await one("[data-testid=confirm-publish]"));
  return session.text(await one("[data-testid=published-url]", 30_000));
}

/** The sandbox's API answer for the incident behind a public URL. */
async function onSandbox(url) {
  const u = new URL(url);
  const id = u.pathname.split("/").pop();
  // The sandbox paces its API as Statuspage does (420 / 429): asked again after a pause.
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = await fetch(`${u.origin}/v1/pages/sandbox/incidents/${id}`, { headers: { authorization: "OAuth local-sandbox" } });
    if (r.status === 429 || r.status === 420) {
      await new Promise((ok) => setTimeout(ok, 1500 * Number(r.headers.get("retry-after") ?? 1)));
      continue;
    }
    assert.ok(r.ok, `GET incident ${id}: ${r.status}`);
    return r.json();
  }
  throw new Error(`GET incident ${id}: still 429`);
}

async function rowOf(title) {
  const rows = await session.findAll("[data-testid=incident-row]");
  for (const r of rows) if ((await session.text(r)).includes(title)) return r;
  throw new Error(`no row with ${title}`);
}

test("an overrunning maintenance: the banner, extended in one step and published; another turned into a linked incident", async () => {
  await session.waitFor("[data-testid=incident-row]", 60_000);
  await session.call("POST", "/window/rect", { x: 0, y: 0, width: 1400, height: 900 }).catch(() => {});
  const now = Date.now();

  // 1. A maintenance whose window ended a minute ago, published in progress.
  const url = await publishMaintenance({ ja: "メール基盤の更新作業", en: "Mail platform renewal" }, jst(now - 3 * 3600_000), jst(now - 60_000));
  const before = await onSandbox(url);
  assert.equal(before.scheduled_until, utcOf(jst(now - 60_000)));
  assert.equal(before.status, "in_progress");

  // 2. The list and the preview say it overran (the row selected after the publish).
  const row = await rowOf("メール基盤の更新作業");
  await until(async () => (await session.findAll("[data-testid=row-overrun]")).length, (n) => n > 0, 15_000);
  assert.match(await session.text(row), /予定終了時刻 .* を\d+分過ぎていますが、完了していません。/);
  await session.click(row);
  const banner = await one("[data-testid=overrun-banner]", 15_000);
  assert.match(await session.text(banner), /メンテナンスが予定を超えています/);
  assert.match(await session.text(banner), /is \d+ min over, not completed\./);
  await shot("banner");

  // 3. Extend: two hours from now, drafted in one step, then published.
  const newEnd = jst(now + 2 * 3600_000);
  await setValue("overrun-new-end", newEnd);
  await session.click(await one("[data-testid=overrun-extend]"));
  await one("[data-testid=composer]", 15_000);
  assert.equal(await session.execute("return document.querySelector('[data-testid=draft-status]').value"), "in_progress");
  assert.equal(await session.execute("return document.querySelector('[data-testid=window-end]')?.value"), newEnd);
  await until(() => textOf("[data-testid=preview-ja]"), (t) => t.includes("延長いたします"), 15_000);
  await shot("extension-drafted");
  await session.click(await one("[data-testid=publish]"));
  await session.click(await one("[data-testid=confirm-publish]"));
  const extendedUrl = await session.text(await one("[data-testid=published-url]", 30_000));
  assert.equal(new URL(extendedUrl).pathname, new URL(url).pathname, "the same maintenance on the page");
  const after = await onSandbox(extendedUrl);
  assert.equal(after.scheduled_until, utcOf(newEnd), "the sandbox has the new end");
  assert.equal(after.incident_updates.length, 2);
  const page = await fetch(extendedUrl).then((r) => r.text());
  assert.ok(page.includes(`${newEnd.slice(0, 10).replaceAll("-", "/")} ${newEnd.slice(11)} JST`), "the public page shows the new end");
  await until(async () => (await session.findAll("[data-testid=overrun-banner]")).length, (n) => n === 0, 15_000);

  // 4. Another maintenance overruns and is turned into an incident.
  const secondUrl = await publishMaintenance({ ja: "検索基盤の更新作業", en: "Search platform renewal" }, jst(now - 2 * 3600_000), jst(now - 60_000));
  await session.click(await rowOf("検索基盤の更新作業"));
  await one("[data-testid=overrun-banner]", 15_000);
  await session.click(await one("[data-testid=overrun-convert]"));
  await one("[data-testid=composer]", 15_000);
  assert.equal(await session.execute("return document.querySelector('[data-testid=draft-status]').value"), "investigating");
  assert.equal(await session.execute("return document.querySelector('[data-testid=maintenance-form]')"), null);
  await writeBodies(
    ["検索基盤の更新後、検索が利用できない状態が続いております。", "", "■ 発生している現象", "- 検索結果が表示されません"],
    ["Since the search platform renewal, search has been unavailable.", "", "■ What is happening", "- Search returns no results"],
  );
  await saved();
  // The new incident's preview names the maintenance it came from.
  const link = await one("[data-testid=preview-link][data-relation=from_maintenance]", 15_000);
  assert.match(await session.text(link), /メンテナンス #\d+ から切り替え/);
  await shot("incident-drafted");
  await session.click(await one("[data-testid=publish]"));
  await session.click(await one("[data-testid=confirm-publish]"));
  const incidentUrl = await session.text(await one("[data-testid=published-url]", 30_000));
  assert.notEqual(new URL(incidentUrl).pathname, new URL(secondUrl).pathname, "a new incident on the page");
  const incident = await onSandbox(incidentUrl);
  assert.equal(incident.status, "investigating");
  assert.notEqual(incident.impact, "maintenance");
  assert.match(incident.name, /検索基盤の更新作業/);

  // 5. Linked both ways in the list.
  const links = await until(
    () => session.execute("return [...document.querySelectorAll('[data-testid=row-link]')].map((l) => l.dataset.relation + ' ' + l.innerText)"),
    (l) => l.length >= 2,
    15_000,
  );
  assert.ok(links.some((l) => /^became_incident .*障害 #\d+ に切り替え/.test(l)), JSON.stringify(links));
  assert.ok(links.some((l) => /^from_maintenance .*メンテナンス #\d+ から切り替え/.test(l)), JSON.stringify(links));
  await shot("linked");
});
