// The composer from start to finish in the real app (run under Xvfb): a new
// incident from the template, Japanese and English typed (with an IME
// composition), the live preview, date.invalid found and fixed (by the
// one-click fix and by going to the finding and typing), the status changed
// with the template's wording, published to the sandbox and read back from
// its public page over HTTP. A screenshot of each step goes to
// tests/artifacts/e2e/composer-*.png.
//
// WebKitWebDriver cannot drive a real IME, so the composition is what an IME
// makes the page see: compositionstart, compositionupdate, the text changing
// under it, input events with isComposing, keydown with keyCode 229, and
// compositionend, dispatched in the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, launchApp, stopDriver, until } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const artifacts = join(root, "tests/artifacts/e2e");

let driver;
let session;

before(async () => {
  ({ driver, session } = await launchApp(app, await freePort()));
});

after(async () => {
  await session?.close().catch(() => {});
  stopDriver(driver);
});

const shot = (name) => session.screenshot(join(artifacts, `composer-${name}.png`));
/** With UPDATE_README_SCREENSHOTS=1, the README's pictures are taken too. */
const readmeShot = (name) =>
  process.env.UPDATE_README_SCREENSHOTS ? session.screenshot(join(root, "tests/screenshots", `${name}.png`)) : Promise.resolve();
const one = async (css, timeoutMs) => (await session.waitFor(css, timeoutMs))[0];
const textOf = async (css) => session.text(await one(css));

/** Types text line by line (WebDriver's Enter key between lines). */
const lines = (...l) => l.join("\uE007");

/** How many saves the composer has started: every "保存中…" the save state showed. */
const savesStarted = () => session.execute("return window.__saveLog.filter((s) => s === '保存中…').length");

/** Dispatches IME events at the focused element (or `selector`) in the page. */
function ime(steps, selector = null) {
  return session.execute(
    `const [steps, selector] = arguments;
     const el = selector ? document.querySelector(selector) : document.activeElement;
     for (const [kind, data] of steps) {
       if (kind === "start" || kind === "update" || kind === "end") {
         el.dispatchEvent(new CompositionEvent("composition" + kind, { bubbles: true, data }));
       } else if (kind === "key") {
         // What a key pressed for the IME looks like to the page.
         el.dispatchEvent(new KeyboardEvent("keydown", { bubbles: true, cancelable: true, key: data.key, ctrlKey: !!data.ctrl, isComposing: data.composing, keyCode: data.composing ? 229 : data.keyCode }));
       } else if (kind === "replace") {
         // The IME's text under composition: replace the last data.count characters.
         if (el.tagName === "INPUT") {
           el.value = el.value.slice(0, el.value.length - data.count) + data.text;
           el.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: data.composing, data: data.text, inputType: "insertCompositionText" }));
         } else {
           const sel = getSelection();
           for (let i = 0; i < data.count; i++) sel.modify("extend", "backward", "character");
           document.execCommand("insertText", false, data.text);
           el.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: data.composing, data: data.text, inputType: "insertCompositionText" }));
         }
       }
     }
     return true;`,
    [steps, selector],
  );
}

test("a new incident from the template, typed in Japanese and English, checked, fixed, reworded and published", async () => {
  if (process.env.UPDATE_README_SCREENSHOTS) {
    // The list with the first incident's preview beside it.
    await session.waitFor("[data-testid=incident-row]", 60_000);
    await session.waitFor("[data-testid=preview-ja] .page-body p", 60_000);
    await readmeShot("list");
  }
  // 1. Two clicks: a new incident, written from the investigating template.
  await session.click(await one("[data-testid=new-incident]"));
  const editorJa = await one("[data-testid=editor-ja]");
  const editorEn = await one("[data-testid=editor-en]");
  const template = await until(() => session.text(editorJa), (t) => t.includes("■ 発生している現象"));
  assert.match(template, /現在、以下の障害が発生しております。/);
  assert.match(template, /【要記入】/);
  await session.execute(`
    window.__saveLog = [];
    const el = document.querySelector("[data-testid=save-state]");
    new MutationObserver(() => window.__saveLog.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    return true;`);
  await shot("01-new-from-template");

  // The template's own lines stay; its closing sentence (with the promised
  // time of the next update) is read from the editor.
  const closingJa = template.split("\n").find((l) => l.includes("続報を掲載いたします"));
  const closingEn = (await session.text(editorEn)).split("\n").find((l) => l.startsWith("We will post"));
  assert.ok(closingJa && closingEn, "the template ends with the next-update sentence");

  // 2. The titles; the Japanese one ends in an IME composition.
  const titleJa = await one("[data-testid=title-ja]");
  await session.clear(titleJa);
  await session.type(titleJa, "決済画面が表示されない");
  await session.type(await one("[data-testid=title-en]"), "\uE009a\uE009Checkout page does not load");
  const saveState = await one("[data-testid=save-state]");
  await until(() => session.text(saveState), (t) => t === "保存済み", 5_000);
  await session.click(titleJa);
  const before = await savesStarted();
  await ime([["start", ""], ["key", { key: "Process", composing: true }], ["update", "しょうがい"], ["replace", { count: 0, text: "しょうがい", composing: true }]]);
  // Mid-composition: Ctrl+S (keyCode 229, isComposing) is not a shortcut, and autosave waits.
  await ime([["key", { key: "s", ctrl: true, composing: true }]]);
  await sleep(1_500);
  assert.equal(await savesStarted(), before, "nothing is saved while the title is being composed");
  assert.equal(await session.text(saveState), "未保存の変更あり");
  await shot("02-title-composing");
  await ime([["update", "障害"], ["replace", { count: 5, text: "障害", composing: true }], ["end", "障害"], ["replace", { count: 0, text: "", composing: false }]]);
  assert.equal(await session.execute("return document.querySelector('[data-testid=title-ja]').value"), "決済画面が表示されない障害");
  // After compositionend, Ctrl+S saves at once (before autosave would).
  await ime([["key", { key: "s", ctrl: true, composing: false, keyCode: 83 }]]);
  const afterCtrlS = await until(savesStarted, (n) => n > before, 400);
  assert.equal(afterCtrlS, before + 1, "Ctrl+S saves once the composition has ended");

  // 3. The Japanese text, with an impossible date and a misplaced 年, and a
  //    composition in the middle of a line.
  await session.click(editorJa);
  await session.type(
    editorJa,
    "\uE009a\uE009" +
      lines(
        "現在、以下の障害が発生しております。原因は調査中です。",
        "ご利用中のお客様にはご不便をおかけし、申し訳ございません。",
        "",
        "■ 発生期間",
        "2025/02/30 10:00頃〜11:30頃",
        "",
        "■ 発生している現象",
        "- 2025年03年04日 10:00頃から、決済画面が表示されません。",
        "- 影響は",
      ),
  );
  await until(() => session.text(saveState), (t) => t === "保存済み", 5_000);
  const beforeBody = await savesStarted();
  await ime([["start", ""], ["key", { key: "Process", composing: true }], ["update", "いちぶ"], ["replace", { count: 0, text: "いちぶ", composing: true }]], "[data-testid=editor-ja]");
  await ime([["key", { key: "s", ctrl: true, composing: true }]], "[data-testid=editor-ja]");
  await sleep(1_500);
  assert.equal(await savesStarted(), beforeBody, "nothing is saved in the middle of a composition in the editor");
  assert.match(await session.text(editorJa), /影響はいちぶ/, "the text under composition is in the editor");
  await shot("03-body-composing");
  await ime([["update", "一部"], ["replace", { count: 3, text: "一部", composing: true }], ["end", "一部"]], "[data-testid=editor-ja]");
  // Autosave acts once the composition has ended.
  const autosaved = await until(savesStarted, (n) => n > beforeBody, 3_000);
  assert.ok(autosaved > beforeBody, "autosave runs after compositionend");
  assert.equal(await until(() => session.text(saveState), (t) => t === "保存済み", 5_000), "保存済み");
  await session.type(editorJa, lines("のお客様に限られます。", "", closingJa));
  assert.match(await session.text(editorJa), /- 影響は一部のお客様に限られます。/);

  // 4. The English text.
  await session.click(editorEn);
  await session.type(
    editorEn,
    "\uE009a\uE009" +
      lines(
        "We are investigating the issue described below. The cause is not yet known.",
        "We apologise for the inconvenience.",
        "",
        "■ Period",
        "Mar 4, 2025 10:00–11:30 JST (approx.)",
        "",
        "■ What is happening",
        "- Since Mar 4, 2025 10:00, some customers are experiencing errors on the checkout page.",
        "",
        closingEn,
      ),
  );

  // 5. The preview shows both languages as typed; the findings list date.invalid.
  const previewJa = await until(() => textOf("[data-testid=preview-ja]"), (t) => t.includes("一部のお客様に限られます"));
  assert.match(previewJa, /決済画面が表示されない障害/);
  assert.match(previewJa, /2025\/02\/30 10:00頃〜11:30頃/);
  assert.match(await textOf("[data-testid=preview-en]"), /some customers are experiencing errors/);
  const invalid = await until(
    () => session.findAll("[data-testid=finding][data-code='date.invalid']"),
    (f) => f.length === 2,
  );
  assert.equal(invalid.length, 2, "both bad dates are reported");
  assert.match(await textOf("[data-testid=findings]"), /2025\/02\/30/);
  await shot("04-date-invalid");

  // 6a. The one-click fix: 2025年03年04日 → 2025年03月04日 (the linter's own suggestion).
  const fixButton = await until(() => session.findAll("[data-testid=finding-fix]"), (f) => f.length > 0);
  assert.match(await session.text(fixButton[0]), /2025年03月04日/);
  await session.click(fixButton[0]);
  await until(() => session.text(editorJa), (t) => t.includes("2025年03月04日 10:00頃から"));
  assert.doesNotMatch(await session.text(editorJa), /2025年03年04日/);

  // 6b. Going to the other finding selects the date in the editor; typing replaces it.
  const remaining = await until(
    () => session.findAll("[data-testid=finding][data-code='date.invalid'] [data-testid=finding-reveal]"),
    (f) => f.length === 1,
  );
  await session.click(remaining[0]);
  const selected = await session.execute("return getSelection().toString()");
  assert.equal(selected, "2025/02/30", "the finding's range is selected in the Japanese editor");
  assert.equal(await session.execute("return document.activeElement.dataset.testid"), "editor-ja");
  await session.type(editorJa, "2025/03/04");
  await until(() => session.findAll("[data-testid=finding][data-code='date.invalid']"), (f) => f.length === 0);
  assert.match(await textOf("[data-testid=preview-ja]"), /2025\/03\/04 10:00頃〜11:30頃/);
  await shot("05-fixed");

  // 7. Resolved: the template's wording for the new status, the typed text kept.
  await session.execute(`
    const s = document.querySelector("[data-testid=draft-status]");
    s.value = "resolved";
    s.dispatchEvent(new Event("change", { bubbles: true }));
    return true;`);
  const reworded = await until(() => session.text(editorJa), (t) => t.includes("■ 発生した現象"));
  assert.match(reworded, /^以下の障害は解消いたしました。/);
  assert.match(reworded, /- 2025年03月04日 10:00頃から、決済画面が表示されません。/);
  assert.match(reworded, /- 影響は一部のお客様に限られます。/);
  assert.match(reworded, /この度はご迷惑をおかけし、誠に申し訳ございませんでした。/);
  assert.doesNotMatch(reworded, /続報を掲載いたします/);
  const rewordedEn = await session.text(editorEn);
  assert.match(rewordedEn, /■ What happened/);
  assert.match(rewordedEn, /some customers experienced errors on the checkout page/);
  const resolvedPreview = await until(() => textOf("[data-testid=preview-ja]"), (t) => t.includes("【解決済み】"));
  assert.match(resolvedPreview, /【解決済み】決済画面が表示されない障害/);
  await until(() => session.text(saveState), (t) => t === "保存済み", 5_000);
  await shot("06-resolved-wording");
  if (process.env.UPDATE_README_SCREENSHOTS) {
    await session.execute("document.activeElement.blur(); document.querySelector('.composer').scrollTop = 0; return true;");
    await readmeShot("composer");
  }

  // 8. Publish to the sandbox and read the public page. One person alone:
  // the Publish button asks to confirm what goes where and who is notified
  // (the focus on its Publish button); no approval, no reason to type.
  await session.click(await one("[data-testid=publish]"));
  await one("[data-testid=publish-confirm]");
  assert.equal(await session.execute("return document.activeElement?.getAttribute('data-testid') ?? null"), "confirm-publish");
  assert.match(await session.text(await one("[data-testid=confirm-notify]")), /通知する/);
  await shot("07-publish-confirms-what-goes-where");
  assert.equal(await session.execute("return document.querySelector('[data-testid=emergency]')"), null, "no emergency wording for one person");
  await session.click(await one("[data-testid=confirm-publish]"));
  const url = await session.text(await one("[data-testid=published-url]", 30_000));
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
  await shot("08-published");
  const page = await fetch(new URL("/", url)).then((r) => r.text());
  assert.match(page, /【解決済み】決済画面が表示されない障害/);
  const incidentPage = await fetch(url).then((r) => r.text());
  assert.match(incidentPage, /影響は一部のお客様に限られます。/);
  assert.match(incidentPage, /some customers experienced errors on the checkout page/);
});
