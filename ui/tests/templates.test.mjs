// The template editor in real Chromium, against the template commands'
// recorded answers (tests/fixtures/templates-ipc.json, kept current by a
// Rust test): what it shows, and what it sends while a lead edits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { artifacts, open } from "./harness.mjs";
import { templateCommands, templates } from "./template-answers.mjs";

async function openTemplates(options = {}) {
  const opened = await open({ ...options, more: [templateCommands, templates] });
  await opened.page.getByTestId("nav-templates").click();
  await opened.page.getByTestId("template-row").first().waitFor();
  return opened;
}

const editor = (page, lang) => page.getByTestId(`template-editor-${lang}`);
/** The editor's rendered lines joined (innerText doubles empty lines; lines below the viewport are not drawn). */
const docOf = (page, lang) => editor(page, lang).locator(".cm-line").evaluateAll((lines) => lines.map((l) => l.textContent).join("\n"));

test("the library lists every status by kind; the first opens with both languages and their preview", async () => {
  const { page, context, errors } = await openTemplates();
  assert.equal(await page.getByTestId("template-row").count(), 9);
  const first = templates.load_template.investigating;
  await page.getByTestId("template-preview-ja").getByText(templates.preview_template.investigating.ja.title).waitFor();
  for (const lang of ["ja", "en"]) {
    const shown = await docOf(page, lang);
    assert.ok(shown.split("\n").length > 10 && first.source[lang].startsWith(shown), `${lang}: ${shown}`);
  }
  assert.match(await page.getByTestId("template-preview-en").innerText(), /What is happening/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "templates.png") });
  await context.close();
});

test("a misspelt field typed into the template is flagged, underlined, and blocks the save", async () => {
  const { page, context, calls } = await openTemplates();
  await page.locator("[data-testid=template-row][data-status=resolved]").click();
  await page.getByTestId("template-preview-ja").getByText("【解決済み】", { exact: false }).first().waitFor();
  await editor(page, "ja").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("{{casue}}");
  await page.getByTestId("template-problems-ja").getByText("casue", { exact: false }).waitFor();
  await page.locator(".cm-lintRange-error").first().waitFor();
  assert.equal(await page.getByTestId("template-save").isDisabled(), true);
  const sent = (await calls()).filter((c) => c.cmd === "preview_template").at(-1);
  assert.equal(sent.args.status, "resolved");
  assert.equal(sent.args.source.ja, templates.broken.source.ja);
  assert.equal(sent.args.ui, "ja");
  assert.match(await page.locator("[data-testid=template-row][data-status=resolved]").innerText(), /未保存/);
  await page.screenshot({ path: join(artifacts, "templates-broken.png") });
  await context.close();
});

test("typing {{ offers the fields, and choosing one inserts it", async () => {
  const { page, context } = await openTemplates();
  await editor(page, "en").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("{{");
  const menu = page.locator(".cm-tooltip-autocomplete");
  await menu.getByText("cause", { exact: true }).waitFor();
  await page.screenshot({ path: join(artifacts, "templates-completion.png") });
  await page.keyboard.press("Enter");
  assert.match(await docOf(page, "en"), /\{\{title\}\}$/);
  await context.close();
});

test("saving sends each changed language with the version it started from; IME keys do not save", async () => {
  const { page, context, calls } = await openTemplates();
  await editor(page, "ja").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("追記です。");
  // Ctrl+S pressed while an IME composition is going on is not a shortcut.
  await page.getByTestId("template-editor-ja").dispatchEvent("keydown", { key: "s", ctrlKey: true, isComposing: true, bubbles: true });
  assert.equal((await calls()).filter((c) => c.cmd === "save_template").length, 0);
  await page.getByTestId("template-note").fill("結びの一文を追加");
  await page.keyboard.press("Control+s");
  await page.getByTestId("template-message").getByText("保存しました", { exact: false }).waitFor();
  const saves = (await calls()).filter((c) => c.cmd === "save_template");
  assert.equal(saves.length, 1, "only the Japanese file changed");
  assert.deepEqual(saves[0].args, {
    path: "incident/investigating.ja.md",
    source: templates.load_template.investigating.source.ja + "追記です。",
    expectedVersion: 0,
    note: "結びの一文を追加",
  });
  assert.equal(await page.getByTestId("template-save").isDisabled(), true, "nothing left to save");
  await context.close();
});

test("the preview steps through the statuses and follows the sample", async () => {
  const { page, context, calls } = await openTemplates();
  await page.locator("[data-testid=preview-status][data-status=resolved]").click();
  await page.getByTestId("template-preview-ja").getByText(templates.preview_template.resolved.ja.title).waitFor();
  const stepped = (await calls()).filter((c) => c.cmd === "preview_template").at(-1);
  assert.equal(stepped.args.status, "resolved");
  assert.equal(stepped.args.source, null, "another status shows its saved text");

  const second = templates.template_samples[1];
  await page.getByTestId("sample-picker").selectOption(second.name);
  await page.waitForFunction((name) => window.__calls.filter((c) => c.cmd === "preview_template").at(-1).args.sample.title.ja === name, second.fields.title.ja);
  await page.getByTestId("sample-fields-toggle").click();
  await page.getByTestId("sample-cause-ja").fill("サンプルの原因");
  const edited = (await calls()).filter((c) => c.cmd === "preview_template").at(-1);
  assert.equal(edited.args.sample.text.ja.cause, "サンプルの原因");
  await page.screenshot({ path: join(artifacts, "templates-sample.png"), fullPage: true });
  await context.close();
});

test("a folder import with problems lists them and says nothing was saved", async () => {
  const { page, context, calls } = await openTemplates();
  await page.getByTestId("transfer-toggle").click();
  await page.getByTestId("transfer-folder").fill("/srv/templates");
  await page.getByTestId("import-folder").click();
  await page.getByTestId("transfer-result").getByText("何も読み込んでいません", { exact: false }).waitFor();
  assert.match(await page.getByTestId("transfer-result").innerText(), /incident\/resolved\.en\.md:3:1/);
  assert.deepEqual((await calls()).filter((c) => c.cmd === "import_templates")[0].args, { dir: "/srv/templates" });
  await context.close();
});

test("the history lists who saved each version, and restoring one sends its number", async () => {
  const { page, context, calls } = await openTemplates();
  await page.getByTestId("history-toggle").click();
  const list = page.getByTestId("history-list");
  await list.getByText("お詫びの文を変更").waitFor();
  assert.match(await list.innerText(), /第2版[\s\S]*sato[\s\S]*第1版[\s\S]*標準/);
  // The newest is the active one: only older versions and the built-in text can be restored.
  assert.equal(await page.getByTestId("rollback").count(), 1);
  await page.getByTestId("rollback").click();
  await page.getByTestId("template-message").getByText("第3版", { exact: false }).waitFor();
  assert.deepEqual((await calls()).filter((c) => c.cmd === "rollback_template")[0].args, { path: "incident/investigating.ja.md", version: 1 });
  // With unsaved text, restoring is not offered (the text would be lost).
  await editor(page, "ja").click();
  await page.keyboard.insertText("x");
  assert.equal(await page.getByTestId("rollback").isDisabled(), true);
  await page.screenshot({ path: join(artifacts, "templates-history.png"), fullPage: true });
  await context.close();
});

test("a maintenance template is previewed with a maintenance sample", async () => {
  const { page, context, calls } = await openTemplates();
  await page.locator("[data-testid=template-row][data-status=scheduled]").click();
  const maintenance = templates.template_samples.find((s) => s.fields.kind === "maintenance");
  await page.waitForFunction(
    (name) => window.__calls.filter((c) => c.cmd === "preview_template").at(-1)?.args.sample.title.ja === name,
    maintenance.fields.title.ja,
  );
  assert.equal(await page.getByTestId("sample-picker").inputValue(), maintenance.name);
  assert.equal((await calls()).filter((c) => c.cmd === "preview_template").at(-1).args.status, "scheduled");
  await context.close();
});
