// The search over the incident list, in real Chromium with the Rust backend
// replaced by its recorded answers (harness.mjs; fixtures/search-ipc.json,
// written by src-tauri/src/ipc_tests/search.rs from the real commands): no
// search while an IME composition is under way, one after it ends; the hits
// with their words marked where Rust placed them; the count said politely;
// the preview of a hit asked with the words; filters; an empty result that
// says so; Esc clears; the row of filters wraps at 200 %; no axe violation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { artifacts, open, recording } from "./harness.mjs";

const searches = JSON.parse(readFileSync(new URL("./fixtures/search-ipc.json", import.meta.url), "utf8"));
const axePath = createRequire(import.meta.url).resolve("axe-core");

/** Answers search_incidents and preview_search_match from the recording (an unrecorded request fails the call). */
function recorded(searches) {
  return [
    (searches) => {
      window.__moreCommands = (cmd, args) => {
        if (cmd === "search_incidents") {
          const same = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);
          const found = searches.searches.find((s) => same(s.request, args.request));
          if (!found) throw { kind: "invalid", message: `unrecorded search ${JSON.stringify(args.request)}`, field: null, diagnostics: [] };
          return found.answer;
        }
        if (cmd === "preview_search_match" && args.id === searches.preview.id && args.query === searches.preview.query) return searches.preview.answer;
        // Any other incident: its recorded preview, without marks.
        const byUpdate = searches.previews[String(args.id)];
        if (cmd === "preview_search_match" && byUpdate) return byUpdate[args.update === null ? "newest" : String(args.update)];
        throw new Error(`unexpected command ${cmd} ${JSON.stringify(args)}`);
      };
    },
    { ...searches, previews: recording.preview_incident },
  ];
}

const searchCalls = async (calls) => (await calls()).filter((c) => c.cmd === "search_incidents");

/** Types a word the way an IME does: composition events, input marked as composing, then the end. */
async function typeWithIme(page, word) {
  await page.getByTestId("search-input").evaluate((el, word) => {
    el.focus();
    el.dispatchEvent(new CompositionEvent("compositionstart", { data: "" }));
    for (let i = 1; i <= word.length; i++) {
      el.value = word.slice(0, i);
      el.dispatchEvent(new CompositionEvent("compositionupdate", { data: el.value }));
      el.dispatchEvent(new InputEvent("input", { data: el.value, isComposing: true, inputType: "insertCompositionText", bubbles: true }));
    }
  }, word);
}

async function endIme(page) {
  await page.getByTestId("search-input").evaluate((el) => {
    el.dispatchEvent(new InputEvent("input", { data: el.value, isComposing: false, inputType: "insertFromComposition", bubbles: true }));
    el.dispatchEvent(new CompositionEvent("compositionend", { data: el.value }));
  });
}

test("a Japanese word typed through an IME is searched once the composition ends; its hits are marked and counted", async () => {
  const { page, calls, errors } = await open({ more: recorded(searches) });
  await page.getByTestId("incident-row").first().waitFor();
  const input = page.getByRole("searchbox", { name: /検索/ });
  assert.equal(await input.getAttribute("id"), "incident-search");

  await typeWithIme(page, "配信");
  await page.waitForTimeout(600);
  assert.equal((await searchCalls(calls)).length, 0, "nothing is searched while the IME composes");
  await endIme(page);
  await page.getByTestId("search-results").waitFor();
  const sent = await searchCalls(calls);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].args.request, { query: "配信", status: null, kind: null, from: null, to: null, offset: 0, limit: 50 });

  // The rows are Rust's hits, newest first, each word in <mark> where Rust placed it.
  const answer = searches.searches[0].answer;
  const rows = page.getByTestId("search-results").getByTestId("incident-row");
  assert.equal(await rows.count(), answer.hits.length);
  const delayed = rows.filter({ hasText: "Kumo Mailのメール配信" });
  assert.deepEqual(await delayed.locator(".title-ja mark").allTextContents(), ["配信"]);
  assert.ok((await delayed.getByTestId("search-excerpt").locator("mark").allTextContents()).every((m) => m === "配信"));
  const count = page.getByTestId("search-count");
  assert.equal(await count.getAttribute("aria-live"), "polite");
  assert.equal(await count.textContent(), `${answer.hits.length} 件見つかりました`);

  // Opening the hit asks for its preview with the words, and the preview shows them marked.
  await delayed.click();
  await page.getByTestId("preview-ja").locator("mark").first().waitFor();
  const asked = (await calls()).filter((c) => c.cmd === "preview_search_match");
  assert.deepEqual(asked.at(-1).args, { id: searches.preview.id, update: null, query: "配信" });
  assert.equal(await page.getByTestId("preview-ja").locator("mark").first().textContent(), "配信");
  await page.screenshot({ path: join(artifacts, "search-hits.png") });

  // Esc empties the box and brings the whole list back.
  await input.focus();
  await page.keyboard.press("Escape");
  await page.getByTestId("search-results").waitFor({ state: "detached" });
  assert.equal(await input.inputValue(), "");
  assert.equal(await page.getByTestId("incident-row").count(), recording.list_incidents.length);
  assert.equal(await count.textContent(), "");
  assert.deepEqual(errors, []);
});

test("filters go to Rust as asked; an empty result says so", async () => {
  const { page, calls, errors } = await open({ more: recorded(searches) });
  await page.getByTestId("incident-row").first().waitFor();
  await page.getByTestId("search-kind").selectOption("maintenance");
  await page.getByTestId("search-results").waitFor();
  const rows = page.getByTestId("search-results").getByTestId("incident-row");
  assert.equal(await rows.count(), searches.searches[3].answer.hits.length);
  assert.ok((await rows.allTextContents()).every((t) => t.includes("メンテナンス")));

  await page.getByTestId("search-kind").selectOption("incident");
  await page.getByTestId("search-status").selectOption("resolved");
  await page.getByTestId("search-input").fill("障害");
  await page.waitForFunction(() => window.__calls.filter((c) => c.cmd === "search_incidents").at(-1)?.args.request.query === "障害");
  await page.getByTestId("search-results").getByTestId("incident-row").filter({ hasText: "Webhook" }).locator("mark").first().waitFor();
  assert.deepEqual((await searchCalls(calls)).at(-1).args.request, { query: "障害", status: "resolved", kind: "incident", from: null, to: null, offset: 0, limit: 50 });

  await page.getByTestId("search-clear").click();
  await page.getByTestId("search-input").fill("ずっと先");
  await page.getByTestId("search-empty").waitFor();
  assert.equal(await page.getByTestId("search-empty").textContent(), "該当するインシデントはありません。");
  assert.equal(await page.getByTestId("search-count").textContent(), "該当するインシデントはありません。");
  assert.deepEqual(errors, []);
});

test("at 200 % the filters wrap inside the list, and the search has no axe violation", async () => {
  const { page, errors } = await open({ width: 1280, height: 800, scale: 2, more: recorded(searches) });
  await page.evaluate(() => (document.body.style.zoom = "2"));
  await page.getByTestId("incident-row").first().waitFor();
  await page.getByTestId("search-input").fill("障害 ログイン");
  await page.getByTestId("search-results").waitFor();
  const form = page.getByTestId("search");
  const fits = await form.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  assert.ok(fits, "the search and its filters fit their column at 200 %");
  const tops = await form.locator(".filters label").evaluateAll((ls) => ls.map((l) => Math.round(l.getBoundingClientRect().top)));
  assert.ok(new Set(tops).size > 1, `the filters wrap onto more than one line: ${tops}`);
  await page.screenshot({ path: join(artifacts, "search-200.png"), fullPage: true });

  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`), []);
  assert.deepEqual(errors, []);
});

test("beside the composer, similar past incidents open their preview without leaving the draft", async () => {
  const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
  const statuses = facts.kinds.find((k) => k.kind === "incident").statuses;
  const id = recording.list_incidents.find((r) => r.kind === "incident").id;
  const { similar } = searches;
  const { page, calls, errors } = await open({
    more: [
      (similar) => {
        window.__moreCommands = (cmd) => {
          if (cmd === "similar_incidents") return similar.answer;
          throw new Error(`unexpected command ${cmd}`);
        };
      },
      similar,
    ],
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 901, version: 1, status: "investigating", statuses, title: { ja: "ログイン障害", en: "Sign-in failures" }, body: similar.body, notify: null, quiet_statuses: [] } };
      rec.preview_draft = structuredClone(rec.preview_incident[String(id)].newest);
    },
  });
  await page.locator(`[data-testid=incident-row][data-id="${id}"]`).click();
  const section = page.getByTestId("similar-incidents");
  await section.waitFor();
  assert.equal((await calls()).filter((c) => c.cmd === "similar_incidents").length, 0, "asked only once opened");
  await section.locator("summary").click();
  const items = section.getByTestId("similar-incident");
  await items.first().waitFor();
  assert.equal(await items.count(), similar.answer.length);
  const asked = (await calls()).find((c) => c.cmd === "similar_incidents");
  assert.deepEqual(asked.args, { id, body: similar.body, limit: 5 });
  const best = similar.answer[0];
  assert.match(await items.first().textContent(), new RegExp(best.incident.title.ja.replace(/[【】[\]()]/g, ".")));
  assert.ok((await items.first().textContent()).includes(best.shared));

  // Its preview opens inside the section; the draft's editor and its text stay.
  await items.first().getByTestId("similar-open").click();
  await section.getByTestId("similar-preview").waitFor();
  assert.match(await section.getByTestId("similar-preview").textContent(), /ログイン/);
  assert.equal(await page.getByTestId("composer").count(), 1);
  assert.match(await page.getByTestId("editor-ja").textContent(), /認証に失敗しました/);
  assert.equal(await items.first().getByTestId("similar-open").getAttribute("aria-expanded"), "true");
  await page.screenshot({ path: join(artifacts, "similar-incidents.png") });
  assert.deepEqual(errors, []);
});
