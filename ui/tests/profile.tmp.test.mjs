import { test } from "node:test";
import { open, recording } from "./harness.mjs";

test("profile typing", async () => {
  const id = recording.list_incidents.find((x) => x.title.en.includes("Kumo Mail deliveries")).id;
  const para = "2025/03/04 10:00頃から、一部のお客様で決済画面が表示されない事象が発生しておりました。原因はロードバランサーの設定変更で、11:30頃に設定を戻して復旧いたしました。";
  let ja = "以下の障害は解消いたしました。\n\n■ 発生期間\n2025/03/04 10:00頃〜11:30頃\n\n■ 発生した現象\n";
  while (ja.length < 3000) ja += "- " + para + "\n";
  ja = ja.slice(0, 3000);
  const body = { ja, en: "Investigating." };
  const title = { ja: "決済", en: "Payments" };
  const base = structuredClone(recording.preview_incident[String(id)].newest);
  const answer = (base) => {
    const esc = (t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const html = (text) => text.split(/\n+/).map((l) => `<p>${esc(l)}</p>`).join("\n");
    window.__previewDraft = (args) => {
      const lines = args.body.ja.split("\n");
      const diagnostics = [];
      lines.forEach((l, i) => { if (l.includes("2025/03/04") && diagnostics.length < 38) diagnostics.push({ rule: "date.invalid", severity: "warning", lang: "ja", update: 0, field: "body", message: { ja: "日付の書き方が混在しています。", en: "Mixed date notation." }, line: i + 1, column: 3, end_line: i + 1, end_column: 13, start: 0, end: 0, suggestion: "2025年03月04日" }); });
      return { ...base, diagnostics, ja: { title: args.title.ja, html: html(args.body.ja) }, en: { title: args.title.en, html: html(args.body.en) }, combined: { title: "x", html: html(args.body.ja + "\n" + args.body.en) } };
    };
  };
  const { page } = await open({
    more: [answer, base],
    tweak: (rec) => {
      rec.open_draft = { [String(id)]: { incident_id: id, update_id: 90, version: 1, status: "investigating", statuses: ["investigating", "identified", "monitoring", "resolved", "postmortem"], title, body } };
    },
  });
  await page.getByText("Kumo Mail deliveries are delayed").first().click();
  const editor = page.getByTestId("editor-ja");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.waitForTimeout(1000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  for (let i = 0; i < 40; i++) { await page.keyboard.type("障"); await page.waitForTimeout(100); }
  const { profile } = await cdp.send("Profiler.stop");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = profile.timeDeltas;
  const self = new Map(); const total = new Map();
  profile.samples.forEach((sid, i) => {
    const us = dt[i] ?? 0; const n = byId.get(sid);
    const key = (n) => `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    self.set(key(n), (self.get(key(n)) ?? 0) + us);
    const seen = new Set(); let cur = sid; while (cur !== undefined) { const k = key(byId.get(cur)); if (!seen.has(k)) { total.set(k, (total.get(k) ?? 0) + us); seen.add(k); } cur = parent.get(cur); }
  });
  const fmt = (m) => [...m].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(root)")).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, us]) => `${(us / 1000 / 40).toFixed(2)}ms/key ${k}`).join("\n");
  console.log("SELF\n" + fmt(self) + "\nTOTAL\n" + fmt(total));
});
