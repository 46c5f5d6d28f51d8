// Writing a postmortem in the real app (run under Xvfb): the resolved
// sign-in sample's postmortem is started from its preview; the timeline
// table comes prefilled with the published changes of status; a row is
// added (both languages typed, 頃 ticked) and moved up with Alt+↑; once
// saved, the preview shows the day-grouped timeline in both languages with
// the new row in its place, and the timeline picture in each page. Screenshots go to
// tests/artifacts/e2e/postmortem-*.png (and, with UPDATE_README_SCREENSHOTS=1,
// tests/screenshots/postmortem.png).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, KEY, ROOT, appForFile, until } from "./webdriver.mjs";

let session;
appForFile((s) => (session = s));

const one = async (css, timeoutMs) => (await session.waitFor(css, timeoutMs))[0];
const shot = (name) => session.screenshot(join(ARTIFACTS, `postmortem-${name}.png`));
/** The Japanese texts of the table's rows, in order. */
const jaRows = () => session.execute(`return [...document.querySelectorAll("[data-testid=timeline-ja]")].map((i) => i.value)`);
const pageText = (lang) => session.execute(`return document.querySelector("[data-testid=preview-${lang}] .page-body")?.innerText ?? ""`);

async function openRow(text) {
  const rows = await session.findAll("[data-testid=incident-row]");
  const titles = await Promise.all(rows.map((r) => session.text(r)));
  const index = titles.findIndex((t) => t.includes(text));
  assert.ok(index >= 0, `a row with ${text} among ${JSON.stringify(titles)}`);
  await session.click(rows[index]);
}

test("a resolved incident's postmortem: the table prefilled, a row added and moved up, the preview's day-grouped timeline in both languages and the picture", async () => {
  await session.waitFor("[data-testid=incident-row]", 60_000);
  await session.call("POST", "/window/rect", { x: 0, y: 0, width: 1400, height: 900 }).catch(() => {});

  // The resolved sample; its next update is the postmortem.
  await openRow("Kumo Mailにログインできない");
  await one("[data-testid=new-update]");
  await session.execute(`
    const s = document.querySelector("[data-testid=next-status]");
    s.value = "postmortem";
    s.dispatchEvent(new Event("change", { bubbles: true }));
    return true;`);
  await session.click(await one("[data-testid=new-update]"));

  // Prefilled: one row per published change of status (09:26 investigating … 11:35 resolved, JST).
  const prefilled = await until(() => jaRows(), (r) => r.length === 4, 20_000);
  assert.deepEqual(prefilled, ["「調査中」として状況を掲載", "「原因特定」として状況を掲載", "「監視中」として状況を掲載", "「解決済み」として状況を掲載"]);
  const times = await session.execute(`return [...document.querySelectorAll("[data-testid=timeline-at]")].map((i) => i.value)`);
  assert.deepEqual(times, ["2025-03-04T09:26", "2025-03-04T10:01", "2025-03-04T10:53", "2025-03-04T11:35"]);

  // A fifth row: 11:20頃, typed in both languages (WebDriver keys), then moved above 11:35 with Alt+↑.
  await session.click(await one("[data-testid=timeline-add]"));
  await until(() => jaRows(), (r) => r.length === 5);
  await session.execute(`
    const at = document.querySelectorAll("[data-testid=timeline-at]")[4];
    at.value = "2025-03-04T11:20";
    at.dispatchEvent(new Event("input", { bubbles: true }));
    return true;`);
  await session.click((await session.findAll("[data-testid=timeline-approx]"))[4]);
  const ja = (await session.findAll("[data-testid=timeline-ja]"))[4];
  await session.type(ja, "全てのお客様でログインできることを確認");
  await session.type((await session.findAll("[data-testid=timeline-en]"))[4], "Confirmed that every customer could sign in");
  await session.click(ja);
  await session.keys([KEY.alt, KEY.up]);
  const moved = await until(() => jaRows(), (r) => r[3] === "全てのお客様でログインできることを確認");
  assert.equal(moved[4], "「解決済み」として状況を掲載");
  assert.equal(await session.execute(`return document.activeElement?.closest("[data-row]")?.getAttribute("data-row") + ":" + document.activeElement?.getAttribute("data-col")`), "3:ja");

  // Saved; the preview shows the day-grouped timeline Rust wrote from the rows, in both languages.
  const saveState = await one("[data-testid=save-state]");
  await until(() => session.text(saveState), (t) => t === "保存済み", 15_000);
  const jaPage = await until(() => pageText("ja"), (t) => t.includes("11:20頃: 全てのお客様でログインできることを確認"), 15_000);
  assert.match(jaPage, /■ 経緯\n≫2025年3月4日\(火\)\n09:26: 「調査中」として状況を掲載/);
  assert.ok(jaPage.indexOf("11:20頃: 全て") < jaPage.indexOf("11:35: 「解決済み」"), jaPage);
  const enPage = await until(() => pageText("en"), (t) => t.includes("11:20 (approx.): Confirmed that every customer could sign in"));
  assert.match(enPage, /■ Timeline\nTuesday, March 4, 2025 \(JST\)\n09:26: Posted an update: Investigating/);

  // The picture in each page: an image whose description reads the new row.
  for (const lang of ["ja", "en"]) {
    const desc = await until(
      () => session.execute(`return document.querySelector("[data-testid=preview-${lang}] [data-testid=timeline-picture-${lang}] svg[role=img] desc")?.textContent ?? ""`),
      (d) => d.includes(lang === "ja" ? "全てのお客様でログインできることを確認" : "Confirmed that every customer could sign in"),
    );
    assert.ok(desc.length > 0);
  }
  await shot("01-table");

  // The screenshot: the table in the composer, the picture in the preview beside it.
  await session.execute(`
    const pane = document.querySelector(".composer");
    pane.scrollTop += document.querySelector("[data-testid=timeline-table]").getBoundingClientRect().top - pane.getBoundingClientRect().top - 8;
    const preview = document.querySelector(".preview");
    preview.scrollTop += document.querySelector("[data-testid=preview-ja] [data-testid=timeline-picture-ja]").getBoundingClientRect().top - preview.getBoundingClientRect().top - 160;
    return true;`);
  await shot("02-picture");
  if (process.env.UPDATE_README_SCREENSHOTS) await session.screenshot(join(ROOT, "tests/screenshots", "postmortem.png"));
});
