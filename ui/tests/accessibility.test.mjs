// Accessibility of every screen, in both UI languages, in real Chromium
// against the recorded backend (see harness.mjs):
//
// - axe-core's WCAG 2.0/2.1 A and AA rules: no "serious" or "critical"
//   violation. The full results go to tests/artifacts/components/axe-<screen>-<lang>.json.
// - The focus indicator, measured by tabbing through the screen: each focused
//   element shows an outline (≥ 2px, not "none") or a box-shadow ring, in a
//   colour with 3:1 or more against what it is drawn on, and no ancestor that
//   clips its overflow cuts it off. The measurements go to
//   tests/artifacts/components/focus-<screen>-<lang>.json.
//
// One test per screen and language; each has an "axe" and a "focus" subtest,
// so both are reported even when the first fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { artifacts, open, recording } from "./harness.mjs";
import { memoryDraft, recorded as recordedMemory, sentence as memorySentence, source as memorySource } from "./memory-answers.mjs";
import { postmortemDraft, postmortemId, timeline } from "./timeline-answers.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const BLOCKING = new Set(["serious", "critical"]);
/** At most this many Tab presses per screen. */
const TAB_CAP = 80;
/** The focus indicator's least contrast against its surroundings (WCAG 1.4.11). */
const MIN_RATIO = 3;
/** The thinnest outline or ring counted as an indicator, in CSS pixels. */
const MIN_WIDTH = 2;
/** Rounding slack when comparing rectangles, in CSS pixels. */
const TOLERANCE = 0.5;

// ------------------------------------------------------------ colour maths

/** WCAG 2.x relative luminance of an sRGB colour given as [r, g, b] in 0–255. */
function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2.x contrast ratio of two opaque colours, 1–21. */
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `top` (with its alpha) painted over the opaque `bottom`. */
function over([r, g, b, a], [br, bg, bb]) {
  return [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a), 1];
}

/**
 * The opaque colour of a stack of background layers, nearest first (as the
 * page reports them: each ancestor's background-color up to the first
 * opaque one). With no opaque layer, the canvas is white.
 */
function flatten(layers) {
  let colour = [255, 255, 255, 1];
  for (const layer of [...layers].reverse()) colour = over(layer.rgba, colour);
  return colour;
}

const css = (rgba) => {
  const [r, g, b, a] = rgba.map((v, i) => (i < 3 ? Math.round(v) : +v.toFixed(3)));
  return a === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${a})`;
};

// ------------------------------------------------------------ in the page

/**
 * Runs in the page (installed as window.__focusProbe): measures the focused
 * element's focus indicator. Returns { end } when nothing is focused any
 * more, { cycle } when the focus came back to an element already measured.
 */
async function focusProbe(minWidth, tolerance) {
  const CLIPPING = ["hidden", "clip", "auto", "scroll"];
  const SCROLLING = ["auto", "scroll"];
  const canvas = document.createElement("canvas").getContext("2d");

  /** A computed colour as [r, g, b, a]. */
  function toRgba(value) {
    const m = /^rgba?\(([^)]*)\)$/.exec(value.trim());
    if (m) {
      const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    }
    // Other notations (color(), oklch(), …): let the canvas convert them to sRGB.
    canvas.clearRect(0, 0, 1, 1);
    canvas.fillStyle = value;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  }

  /** How the report names an element: its data-testid, else tag, classes, label and text. */
  function describe(e, withText = true) {
    if (!e || e.nodeType !== 1) return String(e);
    const tag = e.tagName.toLowerCase();
    const testid = e.getAttribute("data-testid");
    const text = (e.innerText ?? e.textContent ?? "").trim().replace(/\s+/g, " ");
    const snippet = withText && text ? ` "${text.length > 30 ? text.slice(0, 30) + "…" : text}"` : "";
    if (testid) return `${tag}[data-testid=${testid}]${snippet}`;
    const classes = [...e.classList].filter((c) => !c.startsWith("svelte-")).map((c) => `.${c}`).join("");
    const attrs = ["role", "aria-label", "data-status", "type", "name"]
      .filter((a) => e.hasAttribute(a))
      .map((a) => `[${a}="${e.getAttribute(a)}"]`)
      .join("");
    return `${tag}${classes}${attrs}${snippet}`;
  }

  /** Splits a computed box-shadow list at its top-level commas. */
  function shadows(value) {
    if (!value || value === "none") return [];
    const out = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === "(") depth++;
      else if (value[i] === ")") depth--;
      else if (value[i] === "," && depth === 0) {
        out.push(value.slice(start, i).trim());
        start = i + 1;
      }
    }
    out.push(value.slice(start).trim());
    return out.map((s) => {
      const colour = /(rgba?\([^)]*\)|color\([^)]*\)|oklch\([^)]*\)|oklab\([^)]*\)|#[0-9a-f]{3,8}\b)/i.exec(s)?.[1] ?? "rgb(0, 0, 0)";
      const lengths = s.replace(colour, "").match(/-?[\d.]+px/g)?.map(parseFloat) ?? [];
      const [x = 0, y = 0, blur = 0, spread = 0] = lengths;
      return { text: s, colour, rgba: toRgba(colour), x, y, blur, spread, inset: /\binset\b/.test(s) };
    });
  }

  /** The outline and box-shadow rings an element shows now (qualifying or not). */
  function drawn(e) {
    const cs = getComputedStyle(e);
    const out = [];
    const width = parseFloat(cs.outlineWidth) || 0;
    if (cs.outlineStyle !== "none" && cs.outlineStyle !== "hidden" && width > 0) {
      out.push({
        kind: "outline", style: cs.outlineStyle, width, offset: parseFloat(cs.outlineOffset) || 0,
        colour: cs.outlineColor, rgba: toRgba(cs.outlineColor),
      });
    }
    for (const s of shadows(cs.boxShadow)) {
      out.push({ kind: s.inset ? "inset-ring" : "ring", width: s.spread, blur: s.blur, x: s.x, y: s.y, colour: s.colour, rgba: s.rgba, text: s.text });
    }
    return out;
  }

  /** An indicator: an outline ≥ minWidth, or a box-shadow with a spread ≥ minWidth; not transparent. */
  const qualifies = (c) => c.width >= minWidth && c.rgba[3] > 0;

  /** Background layers from `e` up: each non-transparent background-color, to the first opaque one. */
  function backgroundLayers(e) {
    const layers = [];
    for (let a = e; a; a = a.parentElement) {
      const cs = getComputedStyle(a);
      const rgba = toRgba(cs.backgroundColor);
      if (cs.backgroundImage !== "none") layers.push({ by: describe(a, false), image: cs.backgroundImage, rgba: [0, 0, 0, 0] });
      if (rgba[3] > 0) layers.push({ by: describe(a, false), colour: cs.backgroundColor, rgba });
      if (rgba[3] >= 1) break;
    }
    return layers.filter((l) => l.rgba[3] > 0 || l.image);
  }

  const rectOf = (r) => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
  /** How far the indicator reaches beyond the host's border box, per side. */
  function reach(c) {
    if (c.kind === "outline") {
      const d = c.offset + c.width;
      return { left: d, top: d, right: d, bottom: d };
    }
    if (c.kind === "inset-ring") return { left: 0, top: 0, right: 0, bottom: 0 };
    return { left: c.width - c.x, right: c.width + c.x, top: c.width - c.y, bottom: c.width + c.y };
  }
  const grown = (host, d) => {
    const r = host.getBoundingClientRect();
    return { left: r.left - d.left, top: r.top - d.top, right: r.right + d.right, bottom: r.bottom + d.bottom };
  };
  const clientRect = (a) => {
    const r = a.getBoundingClientRect();
    const left = r.left + a.clientLeft;
    const top = r.top + a.clientTop;
    return { left, top, right: left + a.clientWidth, bottom: top + a.clientHeight };
  };
  const axes = { x: ["left", "right"], y: ["top", "bottom"] };
  const within = (box, clip, axis) => {
    const [lo, hi] = axes[axis];
    return box[lo] >= clip[lo] - tolerance && box[hi] <= clip[hi] + tolerance;
  };
  const round = (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 10) / 10]));

  /**
   * Where ancestors cut the indicator off. Hidden/clip: always counted.
   * Scrolling containers (auto/scroll): only when the element itself is in
   * view; an indicator that merely reaches past the scrolled edge is
   * scrolled to, and counts only when scrolling cannot reveal it.
   */
  function clipping(host, c) {
    // An indicator drawn around an ancestor (e.g. the editor's frame): that is what must be in view.
    if (host !== el) host.scrollIntoView({ block: "nearest", inline: "nearest" });
    const d = reach(c);
    const found = [];
    const ancestors = [];
    for (let a = host.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) ancestors.push(a);
    for (const a of ancestors) {
      const cs = getComputedStyle(a);
      for (const axis of ["x", "y"]) {
        const overflow = axis === "x" ? cs.overflowX : cs.overflowY;
        if (!CLIPPING.includes(overflow)) continue;
        let box = grown(host, d);
        let clip = clientRect(a);
        if (within(box, clip, axis)) continue;
        if (SCROLLING.includes(overflow)) {
          if (!within(rectOf(host.getBoundingClientRect()), clip, axis)) {
            found.push({ by: describe(a, false), overflow, axis, verdict: "element not in view (not counted)" });
            continue;
          }
          const [lo, hi] = axes[axis];
          const prop = axis === "x" ? "scrollLeft" : "scrollTop";
          if (box[lo] < clip[lo]) a[prop] -= clip[lo] - box[lo];
          else if (box[hi] > clip[hi]) a[prop] += box[hi] - clip[hi];
          box = grown(host, d);
          clip = clientRect(a);
          if (within(box, clip, axis)) {
            found.push({ by: describe(a, false), overflow, axis, verdict: "revealed by scrolling" });
            continue;
          }
        }
        found.push({ by: describe(a, false), overflow, axis, verdict: "clipped", indicator: round(box), clip: round(clip) });
      }
    }
    // The window: like a scrolling container.
    const view = { left: 0, top: 0, right: document.documentElement.clientWidth, bottom: document.documentElement.clientHeight };
    for (const axis of ["x", "y"]) {
      const box = grown(host, d);
      if (!within(box, view, axis) && within(rectOf(host.getBoundingClientRect()), view, axis)) {
        found.push({ by: "the window", overflow: "viewport", axis, verdict: "clipped", indicator: round(box), clip: round(view) });
      }
    }
    return found;
  }

  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { end: true };
  window.__focusSeen ??= new Set();
  if (window.__focusSeen.has(el)) return { cycle: true, element: describe(el) };
  window.__focusSeen.add(el);
  el.scrollIntoView({ block: "nearest", inline: "nearest" });

  const base = {
    element: describe(el),
    testid: el.getAttribute("data-testid"),
    focusVisible: el.matches(":focus-visible"),
    rect: round(rectOf(el.getBoundingClientRect())),
  };

  // The indicator is the element's own outline; failing that, an outline or
  // ring that appears on it or a neighbour (an ancestor, e.g. CodeMirror's
  // .cm-editor.cm-focused around the focused .cm-content, or a sibling)
  // only while it has the focus.
  let hosts = [];
  const own = drawn(el);
  if (own.some((c) => c.kind === "outline" && qualifies(c))) {
    hosts = [{ host: el, relation: "self", candidates: own.filter(qualifies) }];
  } else {
    // Some editors mark their focus a moment later (CodeMirror's .cm-focused).
    await new Promise((ok) => setTimeout(ok, 100));
    base.ownDrawn = drawn(el);
    const near = [{ host: el, relation: "self" }];
    for (let a = el.parentElement, i = 1; a && i <= 6; a = a.parentElement, i++) near.push({ host: a, relation: `ancestor ${i}` });
    for (const s of [el.previousElementSibling, el.nextElementSibling]) if (s) near.push({ host: s, relation: "sibling" });
    const focused = near.map((n) => ({ ...n, candidates: drawn(n.host) }));
    if (focused.some((n) => n.candidates.some(qualifies))) {
      // Which of them depend on the focus: blur, look again, focus again.
      el.blur();
      await new Promise((ok) => setTimeout(ok, 60));
      const blurred = focused.map((n) => drawn(n.host).map((c) => JSON.stringify(c)));
      el.focus({ preventScroll: true });
      await new Promise((ok) => setTimeout(ok, 60));
      base.refocused = document.activeElement === el;
      base.focusVisibleAfterRefocus = el.matches(":focus-visible");
      hosts = focused
        .map((n, i) => ({ ...n, candidates: n.candidates.filter((c) => qualifies(c) && !blurred[i].includes(JSON.stringify(c))) }))
        .filter((n) => n.candidates.length > 0);
    }
  }

  const indicators = hosts.flatMap(({ host, relation, candidates }) =>
    candidates.map((c) => {
      const onOwn = (c.kind === "outline" && c.offset < 0) || c.kind === "inset-ring";
      return {
        ...c,
        host: relation === "self" ? "self" : `${relation}: ${describe(host, false)}`,
        against: onOwn ? "own background" : "parent's background",
        background: backgroundLayers(onOwn ? host : host.parentElement ?? host),
        clipping: clipping(host, c),
      };
    }),
  );
  return { ...base, indicators };
}

/**
 * Judges one measured element: passes when one of its indicators qualifies,
 * has 3:1 against its background and is clipped by nothing.
 */
function judge(m) {
  const verdicts = m.indicators.map((c) => {
    const background = flatten(c.background);
    const colour = over(c.rgba, background);
    const ratio = contrast(colour, background);
    const problems = [];
    if (c.width < MIN_WIDTH) problems.push(`${c.kind} only ${c.width}px wide`);
    if (c.rgba[3] === 0) problems.push(`${c.kind} transparent`);
    if (ratio < MIN_RATIO) {
      const from = c.background.find((l) => l.rgba[3] >= 1)?.by ?? "the canvas (white)";
      problems.push(`${c.kind} ${css(c.rgba)} on ${css(background)} (${c.against}, from ${from}): ${ratio.toFixed(2)}:1 < ${MIN_RATIO}:1`);
    }
    for (const clip of c.clipping.filter((x) => x.verdict === "clipped")) {
      problems.push(`${c.kind} clipped on ${clip.axis} by ${clip.by} (overflow ${clip.overflow}): indicator ${JSON.stringify(clip.indicator)} vs clip ${JSON.stringify(clip.clip)}`);
    }
    return { ...c, colourShown: css(colour), backgroundShown: css(background), ratio: Math.round(ratio * 100) / 100, problems };
  });
  const ok = verdicts.some((v) => v.problems.length === 0);
  const drawnNow = (m.ownDrawn ?? []).map((c) => (c.kind === "outline" ? `outline ${c.width}px ${c.style} ${c.colour}` : `box-shadow ${c.text}`)).join(", ") || "nothing";
  const problems = verdicts.length === 0
    ? [`no focus indicator: no outline ≥ ${MIN_WIDTH}px and no box-shadow ring (spread ≥ ${MIN_WIDTH}px) appears on it or around it when focused (it draws: ${drawnNow})`]
    : ok ? [] : verdicts.flatMap((v) => v.problems);
  return { ...m, indicators: verdicts, ok, problems };
}

// ------------------------------------------------------------ the checks

/** Runs axe on the page; writes all results; returns the serious and critical violations. */
async function runAxe(page, name) {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate((values) => window.axe.run(document, { runOnly: { type: "tag", values } }), AXE_TAGS);
  writeFileSync(join(artifacts, `axe-${name}.json`), JSON.stringify(results, null, 2));
  return results.violations.filter((v) => BLOCKING.has(v.impact));
}

const axeMessage = (violations) =>
  violations
    .map((v) => `${v.id} [${v.impact}] ${v.help}\n${v.nodes.map((n) => `    ${n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" ")}`).join("\n")}`)
    .join("\n");

/**
 * Tabs through the page from its start, measuring each focused element,
 * until the focus leaves the page, comes back round, or TAB_CAP presses.
 */
async function walkFocus(page) {
  await page.addScriptTag({ content: `window.__focusProbe = ${focusProbe.toString()};` });
  // Sequential navigation starts at a throwaway element at the top of the body.
  await page.evaluate(() => {
    window.__focusSeen = new Set();
    const start = document.createElement("span");
    start.id = "__focus-start";
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
  });
  const measured = [];
  let ended = "cap";
  for (let i = 0; i < TAB_CAP; i++) {
    await page.keyboard.press("Tab");
    if (i === 0) await page.evaluate(() => document.getElementById("__focus-start")?.remove());
    const m = await page.evaluate(([minWidth, tolerance]) => window.__focusProbe(minWidth, tolerance), [MIN_WIDTH, TOLERANCE]);
    if (m.end) {
      ended = "left the page";
      break;
    }
    if (m.cycle) {
      ended = `came back to ${m.element}`;
      break;
    }
    measured.push(judge(m));
  }
  return { measured, ended };
}

async function checkFocus(page, name) {
  const { measured, ended } = await walkFocus(page);
  const failing = measured.filter((m) => !m.ok);
  writeFileSync(join(artifacts, `focus-${name}.json`), JSON.stringify({ tabs: measured.length, ended, failing: failing.length, measured }, null, 2));
  return { measured, failing, ended };
}

// ------------------------------------------------------------ the screens

/** The domain's facts as Rust generated them into bindings.ts. */
const facts = JSON.parse(readFileSync(new URL("../src/lib/bindings.ts", import.meta.url), "utf8").match(/^export const DOMAIN_FACTS = (.*) as const;$/m)[1]);
const statusesOf = (kind) => facts.kinds.find((k) => k.kind === kind).statuses;
const row = (page, text) => page.getByTestId("incident-row").filter({ hasText: text });
const idOf = (text) => recording.list_incidents.find((r) => r.title.en.includes(text)).id;
const delayed = recording.review.review_queue[0].incident_id;

/** The template commands, answered from their recording (as templates.test.mjs does). */
const templates = JSON.parse(readFileSync(new URL("./fixtures/templates-ipc.json", import.meta.url), "utf8"));
function templateCommands(rec) {
  window.__moreCommands = async (cmd, args) => {
    if (cmd === "list_templates") return rec.list_templates;
    if (cmd === "template_samples") return rec.template_samples;
    if (cmd === "load_template") return rec.load_template[args.status];
    if (cmd === "preview_template") return rec.preview_template[args.status];
    if (cmd === "template_completions") return { ...rec.template_completions, from: { line: args.line, column: args.column }, to: { line: args.line, column: args.column } };
    if (cmd === "template_history") {
      if (args.path !== "incident/investigating.ja.md") return [];
      const v = (version, note) => ({ path: args.path, version, source: "title: {{title}}\n---\n", author: "sato", note, saved_at: { ja: `2026/01/0${version} 10:00`, en: `Jan ${version}, 2026 10:00` } });
      return [v(2, "お詫びの文を変更"), v(1, "")];
    }
    throw new Error(`unexpected command ${cmd}`);
  };
}

/** A finding with a fix in the composer's Japanese text (as the composer test has it). */
const dateFinding = {
  rule: "date.invalid", severity: "error", lang: "ja", update: 0, field: "body",
  message: { ja: "「2025年03年04日」は月の位置に「年」があります。", en: "“2025年03年04日” has 年 where 月 belongs." },
  line: 2, column: 1, end_line: 2, end_column: 12, start: 0, end: 0, suggestion: "2025年03月04日",
};
const draftText = {
  title: { ja: "API のタイムアウト", en: "API timeouts" },
  body: { ja: "■ 発生期間\n2025年03年04日 10:00頃〜現在\n\n■ 発生している現象\n- API がタイムアウトする", en: "■ Period\nMar 4, 2025 10:00–ongoing\n\n■ What is happening\n- API requests time out" },
};

/**
 * Each screen: how to open the app for it (`options` for open()) and how
 * to reach it once the list is shown.
 */
const screens = {
  // The start: the list, with the first incident's preview beside it.
  list: {
    reach: async (page) => {
      await page.getByTestId("preview-ja").waitFor();
    },
  },
  // An ongoing incident's preview: timeline, next update, findings, publish bar.
  preview: {
    reach: async (page) => {
      await row(page, "Kumo Mail deliveries are delayed").click();
      await page.getByTestId("next-update-countdown").waitFor();
      await page.getByTestId("preview-en").waitFor();
    },
  },
  // The publish confirmation open on that preview.
  "publish-confirm": {
    reach: async (page) => {
      await row(page, "Kumo Mail deliveries are delayed").click();
      await page.getByTestId("preview-ja").waitFor();
      await page.getByTestId("publish").click();
      await page.getByTestId("confirm-publish").waitFor();
    },
  },
  // The composer on a draft of an update (no review story), with a finding that has a fix.
  composer: {
    options: {
      tweak: (rec) => {
        const id = idOf("Kumo API requests are timing out");
        rec.open_draft = { [String(id)]: { incident_id: id, update_id: 95, version: 1, status: "investigating", statuses: statusesOf("incident"), ...structuredClone(draftText), notify: null, quiet_statuses: [] } };
        rec.preview_draft = structuredClone(rec.preview_incident[String(id)].newest);
        rec.preview_draft.diagnostics = [dateFinding];
      },
    },
    reach: async (page) => {
      await row(page, "Kumo API requests are timing out").click();
      await page.getByTestId("editor-ja").waitFor();
      await page.getByTestId("finding-fix").waitFor();
    },
  },
  // The composer on a new incident (the list's "new incident" button).
  "composer-new": {
    options: {
      tweak: (rec) => {
        const draft = { incident_id: 99, update_id: 990, version: 1, status: "investigating", statuses: statusesOf("incident"), title: { ja: "", en: "" }, body: { ja: "■ 発生している現象\n- ", en: "■ What is happening\n- " }, notify: null, quiet_statuses: [] };
        rec.answers = { new_incident: { status: "ok", data: draft } };
        rec.preview_draft = structuredClone(rec.preview_incident[String(idOf("Kumo API requests are timing out"))].newest);
        rec.preview_draft.diagnostics = [];
        rec.publish_plan["99"] = structuredClone(rec.publish_plan[String(idOf("Kumo API requests are timing out"))]);
      },
    },
    reach: async (page) => {
      await page.getByTestId("new-incident").click();
      await page.getByTestId("editor-ja").waitFor();
      await page.getByTestId("title-ja").waitFor();
    },
  },
  // The composer with the translation memory's suggestions shown for the caret's sentence, one inserted (marked).
  "composer-memory": {
    options: {
      more: recordedMemory(),
      tweak: (rec) => {
        const id = idOf("Kumo Mail deliveries are delayed");
        rec.open_draft = { [String(id)]: { incident_id: id, update_id: 96, version: 1, status: "investigating", statuses: statusesOf("incident"), ...structuredClone(memoryDraft), notify: null, quiet_statuses: [] } };
        rec.preview_draft = structuredClone(rec.preview_incident[String(id)].newest);
        rec.preview_draft.diagnostics = [];
      },
    },
    reach: async (page) => {
      await row(page, "Kumo Mail deliveries are delayed").click();
      await page.getByTestId("editor-ja").getByText(memorySentence).click();
      await page.getByTestId("memory-suggestion").nth(1).waitFor();
      await page.keyboard.press("Alt+2");
      await page.getByTestId("editor-en").locator(".cm-from-memory").waitFor();
      await page.getByTestId("memory-suggestion").nth(1).waitFor();
    },
  },
  // A postmortem's composer: the timeline table (a row refused, a finding beside a row), its notifications and the picture in the preview.
  "composer-postmortem": {
    options: {
      tweak: (rec) => {
        const line = timeline.preview.timeline_table.row_lines[1].ja;
        const finding = { ...dateFinding, rule: "timeline.order", severity: "warning", line, end_line: line, end_column: 6, suggestion: null };
        postmortemDraft(rec, { diagnostics: [finding], answers: { save_timeline: { status: "error", error: timeline.refused } } });
      },
    },
    reach: async (page) => {
      await row(page, recording.list_incidents.find((r) => r.id === postmortemId).title.en).click();
      await page.getByTestId("timeline-row").nth(3).waitFor();
      await page.getByTestId("timeline-add").click();
      await page.getByTestId("timeline-ja").nth(4).fill("確認");
      await page.getByTestId("timeline-row-problem").waitFor();
      await page.getByTestId("timeline-row-findings").waitFor();
      await page.getByTestId("timeline-picture-ja").waitFor();
      await page.getByTestId("notify-twitter").waitFor();
    },
  },
  // A postmortem's compensation form: an offer shown, a second refused at its period's end, the replacement note.
  "composer-compensation": {
    options: {
      tweak: (rec) => {
        const offers = JSON.parse(readFileSync(new URL("./fixtures/compensation-ipc.json", import.meta.url), "utf8"));
        postmortemDraft(rec, {
          answers: {
            open_compensation: { status: "ok", data: [offers.offer] },
            save_compensation: { status: "error", error: { ...offers.refused, field: "compensation.1.end" } },
          },
        });
      },
    },
    reach: async (page) => {
      await row(page, recording.list_incidents.find((r) => r.id === postmortemId).title.en).click();
      await page.getByTestId("compensation-offer").first().waitFor();
      await page.getByTestId("compensation-add").click();
      await page.getByTestId("compensation-end").nth(1).fill("2025-02-28");
      await page.getByTestId("compensation-problem").waitFor();
    },
  },
  // The approver's screen with a sentence of the revision inserted from memory.
  "review-memory": {
    options: {
      tweak: (rec) => {
        const item = rec.review.review_item[String(rec.review.review_queue[0].update_id)];
        const lines = item.text.ja.split("\n");
        const line = lines.findIndex((l) => l.trim().length > 5);
        item.from_memory = [{ lang: "ja", span: { line: line + 1, column: 1, end_line: line + 1, end_column: [...lines[line]].length + 1 }, source: memorySource }];
      },
    },
    reach: async (page) => {
      await page.getByTestId("nav-review").click();
      await page.getByTestId("from-memory").getByTestId("memory-mark").waitFor();
    },
  },
  // The approver's review screen (ben, with aiko's draft waiting).
  review: {
    reach: async (page) => {
      await page.getByTestId("nav-review").click();
      await page.getByTestId("review-detail").waitFor();
      await page.getByTestId("diff-ja").waitFor();
    },
  },
  // The author's view of her draft sent back with changes requested, the emergency box open.
  "author-review": {
    options: {
      tweak: (rec) => {
        rec.open_draft = { [String(delayed)]: {
          incident_id: delayed, update_id: rec.review.review_queue[0].update_id, version: rec.review.review_queue[0].revision,
          status: "identified", statuses: statusesOf("incident"),
          title: { ja: "Kumo Mailのメール配信に遅延が発生しています", en: "Kumo Mail deliveries are delayed" },
          body: { ja: "本文", en: "Text" }, notify: null, quiet_statuses: [],
        } };
        rec.review.draft_review[String(delayed)].stage = "changes_requested";
      },
    },
    reach: async (page) => {
      await row(page, "Kumo Mail deliveries are delayed").click();
      await page.getByTestId("changes-requested").waitFor();
      await page.getByTestId("emergency").locator("summary").click();
      await page.getByTestId("emergency-reason").waitFor();
    },
  },
  // The template library, first template open.
  templates: {
    options: { more: [templateCommands, templates] },
    reach: async (page) => {
      await page.getByTestId("nav-templates").click();
      await page.getByTestId("template-row").first().waitFor();
      await page.getByTestId("template-preview-ja").getByText(templates.preview_template.investigating.ja.title).waitFor();
    },
  },
  // The settings, with the Statuspage components fetched (their mapping table shown).
  settings: {
    reach: async (page) => {
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("settings-target").waitFor();
      await page.getByTestId("fetch-components").click();
      await page.getByTestId("component-map").waitFor();
    },
  },
};

for (const [screen, { options = {}, reach }] of Object.entries(screens)) {
  for (const lang of ["ja", "en"]) {
    test(`accessibility: ${screen} (${lang})`, async (t) => {
      const name = `${screen}-${lang}`;
      const { page, context, errors } = await open(options);
      try {
        await page.getByTestId("incident-row").first().waitFor();
        if (lang === "en") {
          await page.getByTestId("ui-lang").selectOption("en");
          await page.locator(".shell[lang=en]").waitFor();
        }
        await reach(page);
        await page.waitForTimeout(250);
        assert.equal(await page.locator(".shell").getAttribute("lang"), lang, "the UI is in the language asked for");
        assert.deepEqual(errors, [], "the page ran without errors");

        await t.test("axe: no serious or critical WCAG 2.1 A/AA violation", async () => {
          const blocking = await runAxe(page, name);
          assert.equal(blocking.length, 0, `${screen} (${lang}): ${blocking.length} serious/critical axe violation(s):\n${axeMessage(blocking)}`);
        });

        await t.test("focus: every focused element shows a 3:1 indicator that nothing clips", async () => {
          const { measured, failing, ended } = await checkFocus(page, name);
          assert.ok(measured.length > 0, "Tab reached something");
          const lines = failing.map((m) => `  ${m.element}${m.indicators[0]?.host && m.indicators[0].host !== "self" ? ` (indicator on ${m.indicators[0].host})` : ""}:\n${m.problems.map((p) => `      ${p}`).join("\n")}`);
          assert.equal(failing.length, 0, `${screen} (${lang}): ${failing.length} of ${measured.length} focused elements (Tab walk ${ended}) lack a visible focus indicator:\n${lines.join("\n")}`);
        });
      } finally {
        await context.close();
      }
    });
  }
}

// ------------------------------------------------------------ the check itself

test("the focus check itself: the contrast maths, and known-good and known-bad indicators", async () => {
  // WCAG's own figures.
  assert.equal(contrast([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(contrast([255, 255, 255], [0, 0, 0]), 21);
  assert.equal(contrast([119, 119, 119], [119, 119, 119]), 1);
  assert.ok(Math.abs(contrast([118, 118, 118], [255, 255, 255]) - 4.54) < 0.01, "#767676 on white is 4.54:1");
  assert.ok(Math.abs(contrast([240, 165, 0], [255, 255, 255]) - 2.05) < 0.05, `#f0a500 on white is about 2:1 (${contrast([240, 165, 0], [255, 255, 255])})`);
  assert.deepEqual(over([0, 0, 0, 0.5], [255, 255, 255]).map(Math.round), [128, 128, 128, 1]);

  const { page, context } = await open();
  await page.setContent(`<!doctype html><html><head><style>
    body { margin: 0; padding: 20px; background: #fff; font: 15px sans-serif; }
    button { margin: 8px; }
    :focus-visible { outline: none; }
    .dark:focus-visible { outline: 3px solid #000; outline-offset: 2px; }
    .amber:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
    .thin:focus-visible { outline: 1px solid #000; }
    .seg { display: inline-flex; overflow: hidden; border: 1px solid #1d3f6e; border-radius: 8px; margin: 8px; }
    .seg button { margin: 0; border: 0; }
    .seg button:focus-visible { outline: 3px solid #000; outline-offset: 2px; }
    .ring:focus-visible { box-shadow: 0 0 0 3px #1d3f6e; }
    .bar { background: #1d3f6e; padding: 8px; }
    .bar button:focus-visible { outline: 3px solid #fff; outline-offset: 2px; }
    .inner { background: #1d3f6e; color: #fff; border: 0; }
    .inner:focus-visible { outline: 2px solid #fff; outline-offset: -4px; }
    .wrap { border: 1px solid #999; margin: 8px; }
    .wrap:focus-within { outline: 3px solid #000; }
    .scroller { height: 80px; overflow: auto; padding: 6px; }
    .scroller button:focus-visible { outline: 3px solid #000; outline-offset: 2px; }
  </style></head><body>
    <button class="dark" data-testid="dark">dark</button>
    <button class="amber" data-testid="amber">amber</button>
    <button class="thin" data-testid="thin">thin</button>
    <button data-testid="none">none</button>
    <div class="seg"><button data-testid="seg-a">a</button><button data-testid="seg-b">b</button></div>
    <button class="ring" data-testid="ring">ring</button>
    <div class="bar"><button data-testid="on-dark">on dark</button></div>
    <button class="inner" data-testid="inner">inner</button>
    <div class="wrap"><div contenteditable="true" style="outline: none" data-testid="editable">text</div></div>
    <div class="scroller">${Array.from({ length: 6 }, (_, i) => `<button data-testid="scrolled-${i}">in a scroller ${i}</button><br>`).join("")}</div>
  </body></html>`);
  const { measured, ended } = await walkFocus(page);
  const by = Object.fromEntries(measured.map((m) => [m.testid, m]));
  const order = ["dark", "amber", "thin", "none", "seg-a", "seg-b", "ring", "on-dark", "inner", "editable", ...Array.from({ length: 6 }, (_, i) => `scrolled-${i}`)];
  assert.deepEqual(measured.map((m) => m.testid), order, `every element is visited once (${ended})`);
  const expect = (id, ok, pattern) => {
    assert.equal(by[id].ok, ok, `${id}: ${JSON.stringify(by[id].problems)}`);
    if (pattern) assert.match(by[id].problems.join("\n"), pattern, id);
  };
  expect("dark", true);
  assert.equal(by.dark.indicators[0].ratio, 21);
  expect("amber", false, /2\.\d\d:1 < 3:1/);
  expect("thin", false, /no focus indicator.*outline 1px solid/);
  expect("none", false, /no focus indicator/);
  expect("seg-a", false, /clipped on x by div\.seg.*\(overflow hidden\)/);
  expect("seg-b", false, /clipped on [xy] by div\.seg/);
  expect("ring", true);
  assert.equal(by.ring.indicators[0].kind, "ring");
  expect("on-dark", true);
  assert.ok(by["on-dark"].indicators[0].ratio > 10, "white on the dark bar");
  expect("inner", true);
  assert.equal(by.inner.indicators[0].against, "own background");
  expect("editable", true);
  assert.match(by.editable.indicators[0].host, /ancestor 1: div\.wrap/);
  for (let i = 0; i < 6; i++) expect(`scrolled-${i}`, true);
  await context.close();
});
