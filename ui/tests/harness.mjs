// The harness of the UI's component tests: the built UI served over HTTP
// to real Chromium, with the Rust backend replaced by recorded answers
// (tests/fixtures/*.json, kept current by Rust tests).
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdirSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ui = resolve(fileURLToPath(new URL("..", import.meta.url)));
const dist = join(ui, "dist");
export const artifacts = join(ui, "../tests/artifacts/components");
export const recording = JSON.parse(readFileSync(join(ui, "tests/fixtures/ipc.json"), "utf8"));
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

/**
 * A failure as Rust sends it (`CommandError`): the kind the UI decides by,
 * the message in the UI's language, the field it concerns, the findings.
 */
export function commandError(kind, message, { field = null, diagnostics = [] } = {}) {
  return { kind, message, field, diagnostics };
}

/**
 * Opens the UI with the recorded backend; returns the page and the calls it
 * made. `more` = [fn, arg] installs `window.__moreCommands(cmd, args)` in the
 * page for commands the incident recording does not answer. A test's
 * `tweak` may set `rec.answers[cmd]` to `{ status: "ok", data }` or
 * `{ status: "error", error }` (a `commandError`): that command then answers
 * so, whatever the recording says; or to a list of those, answered one per
 * call in order, then as the recording says.
 *
 * Tauri's events: the page's listeners are kept (`plugin:event|listen`), and
 * `emit(event, payload)` delivers an event to them as Tauri would (e.g.
 * "tauri://close-requested" when the user closes the window);
 * `plugin:window|destroy` is recorded as a call (the window closing).
 */
export async function open({ width = 1280, height = 800, scale = 1, tweak = null, more = null } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: scale, locale: "ja-JP" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const rec = structuredClone(recording);
  if (tweak) tweak(rec);
  if (more) await page.addInitScript(...more);
  await page.addInitScript((rec) => {
    window.__calls = [];
    const callbacks = new Map();
    const listeners = [];
    // Delivers a Tauri event to the page's listeners (what Rust's emit does).
    window.__emit = (event, payload) =>
      Promise.all(listeners.filter((l) => l.event === event).map((l) => callbacks.get(l.handler)?.({ event, id: l.id, payload })));
    window.__TAURI_INTERNALS__ = {
      metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
      invoke: async (cmd, args) => {
        window.__calls.push({ cmd, args });
        if (cmd === "plugin:event|listen") {
          listeners.push({ event: args.event, handler: args.handler, id: listeners.length + 1 });
          return listeners.length;
        }
        if (cmd === "plugin:event|unlisten") return null;
        if (cmd === "plugin:window|destroy") return null;
        let answer = rec.answers?.[cmd];
        if (Array.isArray(answer)) answer = answer.shift();
        if (answer) {
          if (answer.status === "error") throw answer.error;
          return answer.data;
        }
        if (cmd === "list_incidents") return rec.list_incidents;
        if (cmd === "preview_incident") {
          const byUpdate = rec.preview_incident[String(args.id)];
          if (!byUpdate) throw { kind: "not_found", message: `インシデント ${args.id} が見つかりません。`, field: null, diagnostics: [] };
          return byUpdate[args.update === null ? "newest" : String(args.update)];
        }
        // Drafts by incident id (the review story's, or a test's own).
        if (cmd === "open_draft") return rec.open_draft?.[String(args.id)] ?? null;
        // A test may answer previews from the text typed (window.__previewDraft).
        if (cmd === "preview_draft") return window.__previewDraft?.(args) ?? rec.preview_draft ?? rec.preview_incident[String(args.id)].newest;
        if (cmd === "restatus_draft" && rec.restatus_draft) return rec.restatus_draft;
        // A postmortem's timeline table: none unless a test answers it (timeline-answers.mjs); a save keeps the text.
        if (cmd === "open_timeline") return null;
        if (cmd === "save_timeline") return { version: args.version + 1, body: args.body, replaced: null };
        // A postmortem's compensation form: no offers unless a test answers it (compensation.test.mjs); a save keeps the text.
        if (cmd === "open_compensation") return null;
        if (cmd === "save_compensation") return { version: args.version + 1, body: args.body, replaced: null };
        // A postmortem's notifications: the default (subscribers as the organisation says, no tweet); a choice makes a revision.
        if (cmd === "postmortem_notifications") return { subscribers: null, twitter: false };
        if (cmd === "choose_postmortem_notifications") return { version: args.version + 1 };
        if (cmd === "save_draft") {
          const saved = Object.values(rec.open_draft ?? {}).find((d) => d.update_id === args.updateId);
          if (saved) return { version: saved.version + 1 };
        }
        // The review commands, from the recorded review story (ben approves, aiko writes).
        if (cmd === "who_am_i") return rec.review.who_am_i;
        if (cmd === "review_queue") return rec.review.review_queue;
        if (cmd === "emergency_publishes") return rec.review.emergency_publishes;
        if (cmd === "review_item") return rec.review.review_item[String(args.updateId)];
        if (cmd === "draft_review") return rec.review.draft_review[String(args.id)] ?? null;
        if (cmd === "approve_revision") return { ...rec.review.review_item[String(args.updateId)], stage: "approved" };
        if (cmd === "request_changes") return { ...rec.review.review_item[String(args.updateId)], stage: "changes_requested" };
        if (cmd === "request_review") return { ...rec.review.draft_review[Object.keys(rec.review.draft_review)[0]], stage: "requested" };
        if (cmd === "publish_target") return rec.settings.initial.target;
        // Where the data lives: alone, question answered (a test may answer otherwise through rec.answers).
        if (cmd === "connection_state") return { first_start: false, current: { mode: "alone" }, overridden: false, local_drafts: [] };
        // What Rust planned for each sample's newest update; once that incident is published (window.__published), where it went.
        if (cmd === "publish_plan") {
          const plan = rec.publish_plan[String(args.id)];
          return window.__published === args.id ? { ...plan, published: [{ page_id: "sandbox", url: "http://127.0.0.1:9/incidents/abc", at: "2026-12-02T10:00:00.000000Z" }] } : plan;
        }
        if (cmd === "next_update") return rec.next_update[String(args.id)] ?? null;
        // The translation memory: by default it remembers nothing; a test may
        // answer from the text and caret sent (window.__suggestTranslation) or through rec.answers.
        if (cmd === "suggest_translation") return window.__suggestTranslation?.(args) ?? { segment: null, text: "", suggestions: [], target: null, target_prefix: "", target_suffix: "" };
        if (cmd === "memory_marks") return [];
        // A maintenance's window form: none unless a test answers (maintenance.test.mjs records real ones).
        if (cmd === "maintenance_window" && !window.__maintenanceAnswers) return null;
        if (cmd === "record_memory_insert") return null;
        // Settings: the answers Rust really gave, step by step (see settings.rs `recording`).
        const settings = rec.settings;
        if (cmd === "get_settings") return settings.initial;
        if (cmd === "set_ui_language") return null;
        if (cmd === "save_publish_settings") {
          if (/\s/.test(args.settings.page_id)) throw settings.bad_page_id;
          return settings.saved_page;
        }
        if (cmd === "set_api_key") return settings.key_set;
        if (cmd === "remove_api_key") return settings.key_removed;
        if (cmd === "fetch_page_components") return settings.components;
        if (cmd === "add_glossary_term") return settings.term_added;
        if (cmd === "remove_glossary_term") return settings.key_removed;
        if (cmd === "notify_update_due") return true;
        if (cmd === "publish_update") {
          window.__published = args.id;
          return {
            all_done: true,
            warnings: [],
            pages: [{
              page_id: "sandbox", done: true, already: false,
              summary: { ja: "サンドボックスに公開しました。", en: "Published to the sandbox." },
              technical: "sandbox: published incident abc http://127.0.0.1:9/incidents/abc",
              url: "http://127.0.0.1:9/incidents/abc",
            }],
          };
        }
        if (window.__moreCommands) return window.__moreCommands(cmd, args);
        throw new Error(`unexpected command ${cmd}`);
      },
      transformCallback: (callback) => {
        const id = callbacks.size + 1;
        callbacks.set(id, callback);
        return id;
      },
    };
  }, rec);
  await page.goto(base);
  return {
    page,
    context,
    errors,
    calls: () => page.evaluate(() => window.__calls),
    emit: (event, payload = null) => page.evaluate(([event, payload]) => window.__emit(event, payload), [event, payload]),
  };
}
