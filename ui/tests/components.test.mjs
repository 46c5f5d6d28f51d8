// The UI in real Chromium (Debian's, through playwright-core). The Rust
// backend is replaced by its recorded answers (tests/fixtures/ipc.json, kept
// current by a Rust test), so these tests exercise only what the UI does:
// show what it is given, and send the right commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { artifacts, commandError, open, recording } from "./harness.mjs";

/** The domain's facts as Rust generated them into bindings.ts (`export const DOMAIN_FACTS = {…} as const;`). */
const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
const statusFacts = (status) => facts.statuses.find((s) => s.status === status);
const kindFacts = (kind) => facts.kinds.find((k) => k.kind === kind);

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
  const made = (await calls()).filter((c) => c.cmd === "preview_incident");
  assert.deepEqual(made.at(-1), { cmd: "preview_incident", args: { id: idOf("Sign-in to Kumo Mail was failing"), update: null } });
  await context.close();
});

test("the timeline asks for an earlier update; the combined layout shows both in one page", async () => {
  const { page, context, calls } = await open();
  await row(page, "Sign-in to Kumo Mail was failing").click();
  await page.getByTestId("timeline-step").first().click();
  await page.getByTestId("preview-ja").getByText("■ 発生している現象").waitFor();
  assert.deepEqual((await calls()).filter((c) => c.cmd === "preview_incident").at(-1).args, { id: idOf("Sign-in to Kumo Mail was failing"), update: 0 });
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
  // Tab from the top: the four screens, the language menu, the "new" buttons,
  // the search and its filters (a date field's parts are stops of their own), then the first incident.
  const order = [];
  for (let i = 0; i < 25 && !(await page.evaluate(() => document.activeElement?.hasAttribute("data-id"))); i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => document.activeElement?.getAttribute("data-testid"));
    if (order.at(-1) !== id) order.push(id);
  }
  assert.deepEqual(order, [
    "nav-incidents", "nav-review", "nav-templates", "nav-settings", "ui-lang", "new-incident", "new-maintenance",
    "search-input", "search-kind", "search-status", "search-from", "search-to", "incident-row",
  ]);
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

test("publishing asks first, showing what goes where and who is notified, then says where it went and cannot send it again", async () => {
  const { page, context, calls } = await open();
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("preview-ja").waitFor();
  await page.getByTestId("publish").click();
  // The confirmation: Rust's plan, in the UI's language; the focus is on its Publish button.
  await page.getByTestId("publish-confirm").waitFor();
  assert.match(await page.getByTestId("confirm-where").innerText(), /サンドボックス/);
  assert.match(await page.getByTestId("confirm-title").innerText(), /Kumo Mail/);
  assert.equal(await page.getByTestId("confirm-notify").innerText(), "通知する");
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "confirm-publish");
  await page.screenshot({ path: join(artifacts, "publish-confirm.png") });
  assert.equal((await calls()).filter((c) => c.cmd === "publish_update").length, 0, "nothing sent before confirming");
  // Escape closes it and sends nothing; the second time it is confirmed.
  await page.keyboard.press("Escape");
  await page.getByTestId("publish-confirm").waitFor({ state: "detached" });
  await page.getByTestId("publish").click();
  await page.getByTestId("confirm-publish").click();
  await page.getByTestId("published-url").waitFor();
  assert.equal(await page.getByTestId("published-url").innerText(), "http://127.0.0.1:9/incidents/abc");
  const outcome = await page.getByTestId("publish-outcome").innerText();
  assert.match(outcome, /サンドボックスに公開しました/);
  assert.doesNotMatch(outcome, /published incident|127\.0\.0\.1:9\/incidents\/abc.*sandbox:/, "the engine's line is for the log");
  const publishes = (await calls()).filter((c) => c.cmd === "publish_update");
  assert.deepEqual(publishes, [{ cmd: "publish_update", args: { id: idOf("Kumo Mail deliveries are delayed"), update: 0, confirmNewIncident: null } }]);
  // Published: the button says so and cannot send it again; the next step is offered.
  await page.getByTestId("published-state").waitFor();
  assert.equal(await page.getByTestId("publish").isDisabled(), true);
  assert.match(await page.getByTestId("publish").innerText(), /公開済み/);
  assert.match(await page.getByTestId("published-link").innerText(), /127\.0\.0\.1:9/);
  await page.getByTestId("write-next").waitFor();
  await page.screenshot({ path: join(artifacts, "published.png") });
  await context.close();
});

test("after a publish, a new incident's draft is not shown as published: its own plan is asked for", async () => {
  const published = idOf("Kumo Mail deliveries are delayed");
  const { page, context, calls } = await open({
    tweak: (rec) => {
      const draft = { incident_id: 99, update_id: 990, version: 1, status: "investigating", statuses: kindFacts("incident").statuses, title: { ja: "", en: "" }, body: { ja: "■ 発生している現象\n- ", en: "■ What is happening\n- " }, notify: null, quiet_statuses: [] };
      rec.answers = { new_incident: { status: "ok", data: draft } };
      rec.preview_draft = structuredClone(rec.preview_incident[String(published)].newest);
      rec.preview_draft.diagnostics = [];
      rec.publish_plan["99"] = structuredClone(rec.publish_plan[String(published)]);
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("publish").click();
  await page.getByTestId("confirm-publish").click();
  await page.getByTestId("published-state").waitFor();
  await page.getByTestId("new-incident").click();
  await page.getByTestId("editor-ja").waitFor();
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "publish_plan" && c.args.id === 99));
  await page.getByTestId("published-state").waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("publish").isDisabled(), false);
  assert.doesNotMatch(await page.getByTestId("publish").innerText(), /公開済み/);
  assert.ok((await calls()).some((c) => c.cmd === "publish_plan" && c.args.id === 99 && c.args.update === null));
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

// The approver's screen, on the recorded review story.
const review = recording.review;
const waitingItem = () => review.review_item[String(review.review_queue[0].update_id)];

test("the badge counts what waits; the approver's screen shows the draft as Statuspage will, with the diffs and findings", async () => {
  const { page, context, errors } = await open();
  await page.getByTestId("review-count").waitFor();
  assert.equal(await page.getByTestId("review-count").innerText(), String(review.review_queue.length));
  await page.getByTestId("nav-review").click();
  const rows = page.getByTestId("queue-row");
  await rows.first().waitFor();
  assert.equal(await rows.count(), review.review_queue.length);
  assert.match(await rows.first().innerText(), /aiko/);
  const item = waitingItem();
  await page.getByTestId("review-detail").waitFor();
  assert.equal(await page.getByTestId("review-author").innerText(), "aiko");
  // Who will be notified, and by whose choice (the recorded item: the organisation's default, notify).
  assert.equal(await page.getByTestId("review-notifies").innerText(), "公開すると購読者に通知されます（組織の既定）");
  assert.match(await page.getByTestId("review-preview-ja").innerText(), /送信待ちのメールの処理が滞っていました/);
  assert.match(await page.getByTestId("review-preview-en").innerText(), /Some delivery servers were falling behind/);
  // Against the last published update: the new cause is inserted, character by character.
  const inserted = await page.getByTestId("diff-ja").locator("ins").allInnerTexts();
  assert.ok(inserted.join("").includes("送信待ちのメールの処理が滞っていました"), JSON.stringify(inserted));
  // Since the revision ben sent back: only the words added in between.
  await page.getByTestId("diff-against-last-reviewed").click();
  const since = await page.getByTestId("diff-ja").locator("ins").allInnerTexts();
  assert.deepEqual(since, ["送信待ちのメールの"]);
  assert.equal(await page.getByTestId("diff-ja").locator("del").count(), 0);
  assert.equal(await page.getByTestId("finding").count(), item.preview.diagnostics.length);
  // The earlier request for changes, with its quoted passage.
  assert.match(await page.getByTestId("step-comment").first().innerText(), /処理が滞って[\s\S]*何の処理か具体的に/);
  // Emergency publishes are listed, flagged, with their reason.
  assert.match(await page.getByTestId("emergency-row").first().innerText(), /夜間で承認者が不在のため/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "review-screen.png"), fullPage: true });
  await context.close();
});

test("approving sends the exact revision shown", async () => {
  const { page, context, calls } = await open();
  await page.getByTestId("nav-review").click();
  await page.getByTestId("approve").click();
  await page.getByTestId("approved-note").waitFor();
  assert.equal(await page.getByTestId("approve").isDisabled(), true, "approved once is enough");
  assert.equal(await page.getByTestId("request-changes").isDisabled(), false, "changes may still be asked for");
  const item = waitingItem();
  const sent = (await calls()).filter((c) => c.cmd === "approve_revision");
  assert.deepEqual(sent, [{ cmd: "approve_revision", args: { updateId: item.update_id, revision: item.revision } }]);
  await context.close();
});

test("a request for changes needs a comment, and anchors it to the selected passage", async () => {
  const { page, context, calls } = await open();
  await page.getByTestId("nav-review").click();
  await page.getByTestId("request-changes").click();
  await page.getByRole("alert").filter({ hasText: "コメントを 1 件以上" }).waitFor();
  assert.equal((await calls()).filter((c) => c.cmd === "request_changes").length, 0);
  // Select 「送信待ちのメール」 in the Japanese text, as a mouse or Shift+arrows would.
  const item = waitingItem();
  const quote = "送信待ちのメール";
  await page.getByTestId("comment-source").evaluate((area, quote) => {
    const at = area.value.indexOf(quote);
    area.focus();
    area.setSelectionRange(at, at + quote.length);
    area.dispatchEvent(new Event("select"));
  }, quote);
  await page.getByTestId("comment-target").getByText(quote, { exact: false }).waitFor();
  await page.getByTestId("comment-text").fill("「送信待ち」は「配信待ち」に統一してください");
  await page.getByTestId("add-comment").click();
  await page.getByTestId("request-changes").click();
  await page.getByTestId("review-stage").getByText("修正依頼あり").waitFor();
  const start = [...item.text.ja.slice(0, item.text.ja.indexOf(quote))].length;
  const sent = (await calls()).filter((c) => c.cmd === "request_changes");
  assert.deepEqual(sent, [{
    cmd: "request_changes",
    args: {
      updateId: item.update_id,
      revision: item.revision,
      comments: [{ text: "「送信待ち」は「配信待ち」に統一してください", passage: { lang: "ja", start, end: start + [...quote].length, quote } }],
    },
  }]);
  await page.screenshot({ path: join(artifacts, "review-changes.png") });
  await context.close();
});

test("the approver cannot decide on their own text: no buttons to press", async () => {
  const { page, context } = await open({
    tweak: (rec) => {
      const id = String(rec.review.review_queue[0].update_id);
      rec.review.review_item[id].can_decide = false;
    },
  });
  await page.getByTestId("nav-review").click();
  await page.getByTestId("cannot-decide").waitFor();
  assert.equal(await page.getByTestId("approve").isDisabled(), true);
  assert.equal(await page.getByTestId("request-changes").isDisabled(), true);
  await context.close();
});

test("the approver sees when a postmortem also goes to Twitter, and nothing about it otherwise", async () => {
  // The recorded item does not tweet: no line about it.
  let opened = await open();
  await opened.page.getByTestId("nav-review").click();
  await opened.page.getByTestId("review-notifies").waitFor();
  assert.equal(await opened.page.getByTestId("review-tweets").count(), 0);
  await opened.context.close();
  opened = await open({
    tweak: (rec) => {
      const id = String(rec.review.review_queue[0].update_id);
      rec.review.review_item[id].notify_twitter = true;
    },
  });
  await opened.page.getByTestId("nav-review").click();
  await opened.page.getByTestId("review-tweets").waitFor();
  assert.equal(await opened.page.getByTestId("review-tweets").innerText(), "事後報告は Twitter にも投稿されます（作成者の指定）");
  await opened.page.getByTestId("ui-lang").selectOption("en");
  assert.equal(await opened.page.getByTestId("review-tweets").innerText(), "The postmortem is also posted to Twitter (the author's choice)");
  await opened.context.close();
});

/** The delivery delay's newest update is aiko's draft, waiting in the review story. */
function authorsDraft(rec) {
  const delayed = rec.review.review_queue[0].incident_id;
  rec.open_draft = { [String(delayed)]: {
    incident_id: delayed, update_id: rec.review.review_queue[0].update_id, version: rec.review.review_queue[0].revision,
    status: "identified", statuses: kindFacts("incident").statuses,
    title: { ja: "Kumo Mailのメール配信に遅延が発生しています", en: "Kumo Mail deliveries are delayed" },
    body: { ja: "本文", en: "Text" },
    notify: null, quiet_statuses: [],
  } };
}

test("the author sees the request for changes on the draft, asks again, and may publish in an emergency with a reason", async () => {
  const delayed = review.review_queue[0].incident_id;
  const { page, context, calls } = await open({
    tweak: (rec) => {
      authorsDraft(rec);
      rec.review.draft_review[String(delayed)].stage = "changes_requested";
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("author-review").waitFor();
  assert.match(await page.getByTestId("changes-requested").innerText(), /ben[\s\S]*何の処理か具体的に/);
  await page.getByTestId("request-review").click();
  await page.getByTestId("draft-stage").getByText("承認待ち").waitFor();
  await page.getByTestId("emergency").locator("summary").click();
  await page.getByTestId("emergency-publish").click();
  await page.getByRole("alert").filter({ hasText: "理由を書いてください" }).waitFor();
  assert.equal((await calls()).filter((c) => c.cmd === "publish_emergency").length, 0, "no reason, no publish");
  await page.screenshot({ path: join(artifacts, "author-review.png"), fullPage: true });
  await context.close();
});

test("Publish on a draft without approval opens the reason box where a reason is allowed, and sends nothing yet", async () => {
  const delayed = review.review_queue[0].incident_id;
  const { page, context, calls } = await open({
    tweak: (rec) => {
      authorsDraft(rec);
      rec.preview_draft = structuredClone(rec.preview_incident[String(delayed)].newest);
      rec.preview_draft.diagnostics = [];
      rec.preview_draft.publish_blocked = null;
      rec.review.draft_review[String(delayed)].stage = "not_requested";
      rec.review.draft_review[String(delayed)].emergency_allowed = true;
      rec.publish_plan[String(delayed)].single_person = false;
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("author-review").waitFor();
  await page.getByTestId("publish").click();
  await page.getByTestId("confirm-publish").click();
  await page.getByTestId("reason-asked").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "emergency-reason");
  assert.equal((await calls()).filter((c) => c.cmd === "publish_update" || c.cmd === "publish_emergency").length, 0, "nothing is sent without the reason");
  await page.keyboard.type("夜間で承認者がいないため");
  await page.getByTestId("emergency-publish").click();
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "publish_emergency"));
  const sent = (await calls()).find((c) => c.cmd === "publish_emergency");
  assert.equal(sent.args.reason, "夜間で承認者がいないため");
  await context.close();
});

// ---------------------------------------------------------------- settings

/** Opens the settings screen. */
async function openSettings(options) {
  const opened = await open(options);
  await opened.page.getByTestId("nav-settings").click();
  await opened.page.getByTestId("settings-target").waitFor();
  return opened;
}

test("settings: the target says sandbox and why; a bad page id is refused with the field named", async () => {
  const { page, context, calls } = await openSettings();
  assert.match(await page.getByTestId("settings-target").innerText(), /ローカルのサンドボックス/);
  assert.match(await page.getByTestId("settings-target").innerText(), /API キーが未設定/);
  assert.match(await page.getByTestId("key-state").innerText(), /未設定/);
  await page.getByTestId("page-id").fill("my page");
  await page.getByTestId("save-pages").click();
  await page.getByTestId("settings-error").waitFor();
  // Rust's message in the app's language (Japanese), shown as it is; the field it names is marked.
  const refused = recording.settings.bad_page_id;
  assert.equal(refused.kind, "invalid");
  assert.equal(refused.field, "page id");
  assert.equal(await page.getByTestId("settings-error").innerText(), refused.message);
  assert.match(refused.message, /ページ ID/);
  assert.doesNotMatch(refused.message, /^page id/);
  assert.equal(await page.getByTestId("page-id").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByTestId("page-id").inputValue(), "my page", "what was typed stays");
  const saves = (await calls()).filter((c) => c.cmd === "save_publish_settings");
  assert.equal(saves[0].args.settings.page_id, "my page");
  await page.screenshot({ path: join(artifacts, "settings-error.png") });
  await context.close();
});

test("settings: a key and page id switch the target to Statuspage; the key is never shown or kept in the page", async () => {
  const { page, context, calls } = await openSettings();
  await page.getByTestId("page-id").fill("kctbh9vrtdwd");
  await page.getByTestId("save-pages").click();
  await page.getByTestId("api-key").fill("my-secret-key");
  await page.getByTestId("set-key").click();
  await page.getByTestId("remove-key").waitFor();
  assert.equal(await page.getByTestId("api-key").inputValue(), "", "the field is emptied");
  assert.match(await page.getByTestId("settings-target").innerText(), /Statuspage \(kctbh9vrtdwd\)/);
  assert.match(await page.getByTestId("key-state").innerText(), /設定済み/);
  assert.ok(!(await page.content()).includes("my-secret-key"));
  assert.deepEqual((await calls()).filter((c) => c.cmd === "set_api_key"), [{ cmd: "set_api_key", args: { key: "my-secret-key" } }]);
  await page.screenshot({ path: join(artifacts, "settings-statuspage.png") });
  await page.getByTestId("remove-key").click();
  await page.getByTestId("settings-target").filter({ hasText: "ローカルのサンドボックス" }).waitFor();
  assert.match(await page.getByTestId("key-state").innerText(), /未設定/);
  await context.close();
});

test("settings: components are fetched and mapped; glossary terms are added", async () => {
  const { page, context, calls } = await openSettings();
  await page.getByTestId("fetch-components").click();
  const table = page.getByTestId("component-map");
  await table.waitFor();
  const first = recording.settings.components.mapping[0].ours;
  await table.getByLabel(new RegExp(first)).selectOption("API");
  await page.getByTestId("restore-components").uncheck();
  await page.getByTestId("save-components").click();
  const save = (await calls()).filter((c) => c.cmd === "save_publish_settings").at(-1);
  assert.equal(save.args.settings.component_map[first], "API");
  assert.equal(save.args.settings.restore_components_on_resolve, false);
  await page.getByTestId("term-ja").fill("Kumo Mail");
  await page.getByTestId("add-term").click();
  await page.getByTestId("glossary-term").waitFor();
  assert.match(await page.getByTestId("glossary-term").innerText(), /Kumo Mail/);
  await page.screenshot({ path: join(artifacts, "settings-components.png"), fullPage: true });
  await context.close();
});

test("settings: the language choice switches the app and is kept", async () => {
  const { page, context, calls } = await openSettings();
  await page.getByTestId("settings-lang-en").check();
  await page.getByRole("heading", { name: "Settings" }).waitFor();
  assert.deepEqual((await calls()).filter((c) => c.cmd === "set_ui_language"), [{ cmd: "set_ui_language", args: { lang: "en" } }]);
  assert.match(await page.getByTestId("settings-target").innerText(), /No Statuspage API key is set/);
  await page.screenshot({ path: join(artifacts, "settings-en.png"), fullPage: true });
  await context.close();
});

test("the next promised update counts down (overdue here) beside the timeline", async () => {
  const { page, context } = await open();
  await row(page, "Kumo Mail deliveries are delayed").click();
  const countdown = page.getByTestId("next-update-countdown");
  await countdown.waitFor();
  assert.match(await countdown.innerText(), /次の更新の予定/);
  assert.match(await page.getByTestId("countdown").innerText(), /過ぎています/);
  await context.close();
});

test("when the countdown reaches zero, one desktop notification is asked for", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const soon = new Date(Date.now() + 2500).toISOString();
  const { page, context, calls } = await open({
    tweak: (rec) => (rec.next_update[String(id)] = { at: soon, label: { ja: "まもなく", en: "soon" } }),
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("countdown").getByText(/あと/).waitFor();
  await page.getByTestId("countdown").getByText(/過ぎています/).waitFor({ timeout: 6000 });
  await page.waitForTimeout(1500);
  const asked = (await calls()).filter((c) => c.cmd === "notify_update_due");
  assert.deepEqual(asked, [{ cmd: "notify_update_due", args: { id, lang: "ja" } }]);
  await page.screenshot({ path: join(artifacts, "countdown-due.png") });
  await context.close();
});

test("settings at 200% zoom: nothing spills sideways", async () => {
  const { page, context } = await openSettings({ width: 640, height: 400, scale: 2 });
  await page.getByTestId("fetch-components").click();
  await page.getByTestId("component-map").waitFor();
  const overflow = await page.evaluate(() =>
    ["html", ".settings", ".card"].flatMap((sel) =>
      [...document.querySelectorAll(sel)].map((el) => ({ sel, extra: el.scrollWidth - el.clientWidth })),
    ),
  );
  const spilling = overflow.filter((o) => o.extra > 1);
  assert.deepEqual(spilling, [], `wider than their box: ${JSON.stringify(spilling)}`);
  await page.screenshot({ path: join(artifacts, "settings-zoom-200.png"), fullPage: true });
  await context.close();
});

test("in the composer a finding leads to its place, its fix applies, and a new status rewords the text through Rust", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const body = { ja: "■ 発生期間\n2025年03年04日 10:00頃〜現在\n\n■ 発生している現象\n- メールが遅れて届く", en: "■ Period\nMar 4, 2025 10:00–ongoing\n\n■ What is happening\n- Mail is delayed" };
  const title = { ja: "メール配信の遅延", en: "Mail delays" };
  const reworded = { ja: "以下の障害は解消いたしました。\n\n■ 発生期間\n2025年03月04日 10:00頃〜現在\n\n■ 発生した現象\n- メールが遅れて届く", en: body.en.replace("What is happening", "What happened") };
  const { page, context, calls } = await open({
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 90, version: 1, status: "investigating", statuses: kindFacts("incident").statuses, title, body, notify: null, quiet_statuses: [] } };
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

test("typing in the composer changes only the preview's paragraph that changed; the others keep their place on the page", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const body = { ja: "一行目です。\n\n二行目です。\n\n三行目", en: "One.\n\nTwo." };
  const title = { ja: "メール配信の遅延", en: "Mail delays" };
  const base = structuredClone(recording.preview_incident[String(id)].newest);
  base.diagnostics = [];
  // The preview answers with a paragraph per line of what was typed (as Rust renders it).
  const answer = (base) => {
    const paragraphs = (text) => text.split(/\n+/).map((line) => `<p>${line}</p>`).join("\n");
    window.__previewDraft = (args) => ({ ...base, ja: { title: args.title.ja, html: paragraphs(args.body.ja) }, en: { title: args.title.en, html: paragraphs(args.body.en) } });
  };
  const { page, context } = await open({
    more: [answer, base],
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 91, version: 1, status: "investigating", statuses: kindFacts("incident").statuses, title, body, notify: null, quiet_statuses: [] } };
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  const preview = page.getByTestId("preview-ja");
  await preview.getByText("三行目").waitFor();
  await page.evaluate(() => {
    window.__firstParagraph = document.querySelector("[data-testid=preview-ja] .page-body p");
  });
  await page.getByTestId("editor-ja").getByText("三行目").click();
  await page.keyboard.press("End");
  await page.keyboard.type("の続き");
  await preview.getByText("三行目の続き").waitFor();
  const kept = await page.evaluate(() => {
    const paragraphs = [...document.querySelectorAll("[data-testid=preview-ja] .page-body p")];
    return { same: paragraphs[0] === window.__firstParagraph, texts: paragraphs.map((p) => p.textContent) };
  });
  assert.deepEqual(kept.texts, ["一行目です。", "二行目です。", "三行目の続き"]);
  assert.ok(kept.same, "the unchanged first paragraph is the same element as before");
  await context.close();
});

// ------------------------------------------------------- typed errors, domain facts

test("a save Rust calls a conflict shows the conflict state and keeps the text: decided by kind, not by the words", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const title = { ja: "メール配信の遅延", en: "Mail delays" };
  const body = { ja: "本文です。", en: "The text." };
  // As Rust sends it to the Japanese UI: nothing in it says "changed elsewhere".
  const conflict = commandError(
    "conflict",
    "更新 92 は、編集中に別の場所で変更されました（編集を始めたのはリビジョン 1、その後リビジョン 2 が保存されています）。入力した文章は保存されていませんが、失われずに手元に残っています。",
  );
  assert.doesNotMatch(conflict.message, /changed elsewhere/);
  const { page, context, calls } = await open({
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 92, version: 1, status: "investigating", statuses: kindFacts("incident").statuses, title, body, notify: null, quiet_statuses: [] } };
      rec.answers = { save_draft: { status: "error", error: conflict } };
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  const titleJa = page.getByTestId("title-ja");
  await titleJa.waitFor();
  await titleJa.click();
  await page.keyboard.press("End");
  await page.keyboard.type("（続報）");
  await page.keyboard.press("Control+s");
  const state = page.getByTestId("save-state");
  await page.locator("[data-testid=save-state].state-conflict").waitFor();
  assert.equal(await state.innerText(), "他の場所で変更されました（入力内容は残っています）");
  await page.getByTestId("composer").getByRole("alert").filter({ hasText: conflict.message }).waitFor();
  assert.equal(await titleJa.inputValue(), "メール配信の遅延（続報）", "the text typed is kept");
  // A conflict stops saving (a failed save would be tried again): Ctrl+S sends nothing more.
  await page.keyboard.press("Control+s");
  await page.waitForTimeout(900);
  assert.equal((await calls()).filter((c) => c.cmd === "save_draft").length, 1);
  assert.equal(await state.innerText(), "他の場所で変更されました（入力内容は残っています）");
  await page.screenshot({ path: join(artifacts, "composer-conflict.png") });
  await context.close();
});

test("the Japanese UI shows Rust's Japanese refusal of a publish as it is", async () => {
  const delayed = review.review_queue[0].incident_id;
  // The store's real refusal, as Rust answers it in the Japanese UI (recorded in ipc.json).
  const refusal = review.publish_refused;
  assert.equal(refusal.kind, "refused");
  const { page, context, calls } = await open({
    tweak: (rec) => {
      authorsDraft(rec);
      rec.preview_draft = structuredClone(rec.preview_incident[String(delayed)].newest);
      rec.preview_draft.diagnostics = [];
      rec.preview_draft.publish_blocked = null;
      rec.review.draft_review[String(delayed)].stage = "requested";
      rec.review.draft_review[String(delayed)].emergency_allowed = false;
      rec.answers = { publish_update: { status: "error", error: refusal } };
      rec.publish_plan[String(delayed)].single_person = false;
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("author-review").waitFor();
  await page.getByTestId("publish").click();
  await page.getByTestId("confirm-publish").click();
  const failure = page.getByTestId("publish-failure");
  await failure.waitFor();
  assert.equal(await page.locator(".shell").getAttribute("lang"), "ja");
  assert.ok((await failure.innerText()).includes(refusal.message), await failure.innerText());
  assert.equal((await calls()).filter((c) => c.cmd === "publish_update").length, 1);
  assert.equal(await page.getByTestId("published-url").count(), 0, "nothing was published");
  await page.screenshot({ path: join(artifacts, "publish-refused-ja.png") });
  await context.close();
});

test("statuses, kinds and severities are named as Rust's domain facts name them, in the UI's language", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const { page, context } = await open({
    tweak: (rec) => {
      const p = rec.preview_incident[String(id)].newest;
      p.diagnostics = [{
        rule: "glossary.variant", severity: "warning", lang: "ja", update: 0, field: "body",
        message: { ja: "表記ゆれ", en: "A variant spelling" },
        line: 1, column: 1, end_line: 1, end_column: 2, start: 0, end: 1, suggestion: null,
      }];
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  const next = page.getByTestId("next-status");
  await next.waitFor();
  const labels = (lang) => kindFacts("incident").statuses.map((s) => statusFacts(s).label[lang]);
  assert.deepEqual(await next.locator("option").allInnerTexts(), labels("ja"));
  assert.deepEqual(await next.locator("option").evaluateAll((os) => os.map((o) => o.value)), kindFacts("incident").statuses);
  const warning = facts.severities.find((s) => s.severity === "warning").label;
  assert.equal(await page.getByTestId("finding").locator(".severity").innerText(), warning.ja);
  const maintenance = row(page, "Maintenance for the search upgrade");
  assert.equal(await maintenance.locator(".kind").innerText(), kindFacts("maintenance").label.ja);
  assert.equal(statusFacts("scheduled").ongoing || statusFacts("scheduled").closed, false);
  assert.equal(await maintenance.locator(".state").innerText(), "予定");
  await page.getByTestId("ui-lang").selectOption("en");
  await next.locator("option").first().getByText(labels("en")[0]).waitFor({ state: "attached" });
  assert.deepEqual(await next.locator("option").allInnerTexts(), labels("en"));
  assert.equal(await page.getByTestId("finding").locator(".severity").innerText(), warning.en);
  assert.equal(await maintenance.locator(".kind").innerText(), kindFacts("maintenance").label.en);
  assert.equal(await maintenance.locator(".state").innerText(), "Upcoming");
  await context.close();
});

test("while typing, the composer asks Rust for only the preview pages shown, and again when the layout changes", async () => {
  const delayed = review.review_queue[0].incident_id;
  const { page, context, calls } = await open({
    tweak: (rec) => {
      authorsDraft(rec);
      rec.preview_draft = structuredClone(rec.preview_incident[String(delayed)].newest);
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  await page.getByTestId("editor-ja").waitFor();
  const pagesAsked = async () => (await calls()).filter((c) => c.cmd === "preview_draft").map((c) => c.args.pages);
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "preview_draft"), null, { timeout: 5000 });
  assert.deepEqual([...new Set(await pagesAsked())], ["per_language"], "side by side: the combined page is not asked for");
  await page.getByTestId("layout-combined").click();
  await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === "preview_draft").at(-1)?.args.pages === "combined", null, { timeout: 5000 });
  await page.getByTestId("preview-combined").waitFor();
  await page.getByTestId("layout-per-language").click();
  await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === "preview_draft").at(-1)?.args.pages === "per_language", null, { timeout: 5000 });
  await context.close();
});

test("the author chooses whether subscribers are notified; the default says what it is, the save carries the choice", async () => {
  const id = idOf("Kumo Mail deliveries are delayed");
  const { page, context } = await open({
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: {
        incident_id: id, update_id: 93, version: 1, status: "investigating", statuses: kindFacts("incident").statuses,
        title: { ja: "配信の遅延", en: "Delivery delays" }, body: { ja: "■ 発生している現象\n- 遅延", en: "■ What is happening\n- Delays" },
        notify: null, quiet_statuses: ["investigating"],
      } };
    },
  });
  await row(page, "Kumo Mail deliveries are delayed").click();
  const choice = page.getByTestId("draft-notify");
  await choice.waitFor();
  assert.equal(await choice.inputValue(), "default");
  assert.match(await choice.locator("option").first().innerText(), /組織の既定（通知しない）/);
  await choice.selectOption("yes");
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "save_draft" && c.args.notify === true), null, { timeout: 5000 });
  await context.close();
});

test("settings: the statuses that notify subscribers by default are the organisation's, saved with the publish settings", async () => {
  const { page, context, calls } = await openSettings();
  const monitoring = page.getByTestId("notify-monitoring");
  await monitoring.waitFor();
  assert.equal(await monitoring.isChecked(), true, "every status notifies until the organisation says otherwise");
  await monitoring.uncheck();
  await page.getByTestId("save-notifications").click();
  await page.waitForFunction(() => window.__calls.some((c) => c.cmd === "save_publish_settings"));
  const saved = (await calls()).find((c) => c.cmd === "save_publish_settings");
  assert.deepEqual(saved.args.settings.quiet_statuses, ["monitoring"]);
  await page.getByTestId("settings-notifications").screenshot({ path: join(artifacts, "settings-notifications.png") });
  await context.close();
});
