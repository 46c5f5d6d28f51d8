// The template library in the real app (under Xvfb): a support lead edits
// the resolved template's Japanese text, sees the preview change, saves it,
// and the next incident's first resolved update is written from it.
// Screenshots go to tests/artifacts/e2e/templates-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, launchApp, stopDriver, until } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const artifacts = join(root, "tests/artifacts/e2e");

/** The wording the lead adds to the resolved template. */
const NEW_WORDING = "今後とも安定したサービスの提供に努めてまいります。";
const CTRL = "\uE009";
const END = "\uE010";
const ENTER = "\uE007";

let driver;
let session;

before(async () => {
  ({ driver, session } = await launchApp(app, await freePort()));
});

after(async () => {
  await session?.close().catch(() => {});
  stopDriver(driver);
});

const one = async (css, timeoutMs) => (await session.waitFor(css, timeoutMs))[0];
const textOf = async (css) => session.text(await one(css));

test("the lead edits the resolved template and sees the preview change", async () => {
  await session.click(await one("[data-testid=nav-templates]"));
  await session.waitFor("[data-testid=template-row]");
  await session.click(await one("[data-testid=template-row][data-status=resolved]"));
  await until(() => textOf("[data-testid=template-preview-ja]"), (t) => t.includes("【解決済み】"));
  const before = await textOf("[data-testid=template-preview-ja]");
  assert.doesNotMatch(before, new RegExp(NEW_WORDING));
  await session.screenshot(join(artifacts, "templates-01-resolved.png"));

  // At the end of the Japanese template, a new closing sentence.
  // Typing focuses the editor (a click on its middle could land on the scrolled-away part).
  const editor = await one("[data-testid=template-editor-ja]");
  await session.type(editor, `${CTRL}${END}${CTRL}${NEW_WORDING}${ENTER}`);
  const after = await until(() => textOf("[data-testid=template-preview-ja]"), (t) => t.includes(NEW_WORDING));
  assert.match(after, new RegExp(NEW_WORDING), "the preview shows the new wording as it is typed");
  assert.match(await textOf("[data-testid=template-row][data-status=resolved]"), /未保存/);
  await session.execute(`document.querySelector("[data-testid=template-preview-ja] .page-body").lastElementChild.scrollIntoView({ block: "center" })`);
  await session.screenshot(join(artifacts, "templates-02-edited.png"));

  await session.click(await one("[data-testid=template-save]"));
  const saved = await until(() => textOf("[data-testid=template-message]"), (t) => t.includes("保存しました"));
  assert.match(saved, /日本語 第1版/);
  const row = await until(() => textOf("[data-testid=template-row][data-status=resolved]"), (t) => t.includes("第1版"));
  assert.doesNotMatch(row, /未保存/);
  await session.screenshot(join(artifacts, "templates-03-saved.png"));
});

test("a broken placeholder is flagged as typed and cannot be saved", async () => {
  const editor = await one("[data-testid=template-editor-ja]");
  await session.type(editor, `${CTRL}${END}${CTRL}{{casue}}`);
  const problems = await until(() => textOf("[data-testid=template-problems-ja]"), (t) => t.includes("casue"));
  assert.match(problems, /`casue` is not a field/);
  const save = await one("[data-testid=template-save]");
  assert.equal(await session.attribute(save, "disabled"), "true");
  const underlined = await until(() => session.findAll(".cm-lintRange-error"), (found) => found.length > 0);
  assert.ok(underlined.length > 0, "the editor underlines it");
  // Drawn as a wavy line, in the app too (under its Content-Security-Policy).
  const style = await session.execute(`
    const range = document.querySelector(".cm-lintRange-error");
    range.scrollIntoView({ block: "center" });
    return getComputedStyle(range).textDecorationStyle;
  `);
  assert.equal(style, "wavy");
  await session.screenshot(join(artifacts, "templates-04-broken.png"));
  await session.click(await one("[data-testid=template-discard]"));
  await until(() => textOf("[data-testid=template-problems-ja]"), (t) => !t.includes("casue"));
});

test("typing {{ offers the fields, with what each holds", async () => {
  const editor = await one("[data-testid=template-editor-ja]");
  await session.type(editor, `${CTRL}${END}${CTRL}{{ca`);
  const offered = await until(() => textOf(".cm-tooltip-autocomplete"), (t) => t.includes("cause"));
  assert.match(offered, /cause[\s\S]*原因/);
  await session.screenshot(join(artifacts, "templates-04b-completion.png"));
  await session.type(editor, ENTER);
  const text = await session.execute(`return [...document.querySelectorAll("[data-testid=template-editor-ja] .cm-line")].map((l) => l.textContent).join("\\n")`);
  assert.match(text, /\{\{cause\}\}$/);
  await session.click(await one("[data-testid=template-discard]"));
});

test("a new incident's first resolved update is written from the saved template", async () => {
  await session.click(await one("[data-testid=nav-incidents]"));
  await session.click(await one("[data-testid=new-incident]"));
  const title = { ja: await one("[data-testid=title-ja]"), en: await one("[data-testid=title-en]") };
  await session.clear(title.ja);
  await session.type(title.ja, "管理画面にログインできない障害");
  await session.clear(title.en);
  await session.type(title.en, "Sign-in to the admin console fails");
  // The first update's text, in both languages (Ctrl+A, then the new text).
  for (const [lang, text] of [
    ["ja", ["現在、管理画面にログインできない障害が発生しております。原因は調査中です。", "", "■ 発生している現象", "- 管理画面にログインできない", "", "状況に進展があり次第、続報を掲載いたします。"]],
    ["en", ["We are investigating an issue where sign-in to the admin console fails.", "", "■ What is happening", "- Sign-in to the admin console fails", "", "We will post an update as soon as we know more."]],
  ]) {
    const editor = await one(`[data-testid=editor-${lang}]`);
    await session.click(editor);
    await session.type(editor, `${CTRL}a${CTRL}${text.join(ENTER)}`);
  }
  const state = await until(() => textOf("[data-testid=save-state]"), (t) => t === "保存済み", 10_000);
  assert.equal(state, "保存済み");
  await session.screenshot(join(artifacts, "templates-05-first-update.png"));
  // One person alone: Publish, confirm, and it goes out (no approval, no reason).
  await session.click(await one("[data-testid=publish]"));
  await session.click(await one("[data-testid=confirm-publish]"));
  await session.waitFor("[data-testid=published-url]", 30_000);

  // The next update: resolved, from the template saved above.
  await session.waitFor("[data-testid=new-update]", 15_000);
  await session.execute(`
    const s = document.querySelector("[data-testid=next-status]");
    s.value = "resolved";
    s.dispatchEvent(new Event("change", { bubbles: true }));
  `);
  await session.click(await one("[data-testid=new-update]"));
  const status = () => session.execute(`return document.querySelector("[data-testid=draft-status]")?.value ?? null`);
  assert.equal(await until(status, (v) => v === "resolved"), "resolved");
  const body = await until(() => textOf("[data-testid=editor-ja]"), (t) => t.includes(NEW_WORDING));
  assert.match(body, new RegExp(NEW_WORDING), "the resolved update starts from the edited template");
  const preview = await until(() => textOf("[data-testid=preview-ja]"), (t) => t.includes(NEW_WORDING));
  assert.match(preview, /【解決済み】管理画面にログインできない障害/);
  assert.match(preview, new RegExp(NEW_WORDING));
  // Scroll the preview and the Japanese editor to the closing lines, for the screenshot.
  await session.execute(`
    document.querySelector("section.preview").scrollTop = 1e6;
    document.querySelector("[data-testid=editor-ja]").closest(".cm-editor").scrollIntoView({ block: "end" });
  `);
  await new Promise((r) => setTimeout(r, 300));
  await session.screenshot(join(artifacts, "templates-06-resolved-update.png"));
});
