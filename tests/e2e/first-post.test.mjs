// The first bilingual "investigating" post, from a fresh start to the
// sandbox's public page, in the real app under Xvfb, as one person working
// alone: how many interactions it takes (at most 10) and how long (at most
// 2 minutes). An interaction is one click, or one field written (clicking
// into it and typing or pasting its text). The figures go to
// target/first-post.txt; screenshots to tests/artifacts/e2e/first-post-*.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, launchApp, stopDriver, until } from "./webdriver.mjs";

const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const app = process.env.DESK_APP ?? join(root, "target/debug/incident-desk");
const artifacts = join(root, "tests/artifacts/e2e");

let driver;
let session;
let launched;

before(async () => {
  launched = Date.now();
  ({ driver, session } = await launchApp(app, await freePort(), { firstStart: true }));
});

after(async () => {
  await session?.close().catch(() => {});
  stopDriver(driver);
});

const one = async (css, timeoutMs) => (await session.waitFor(css, timeoutMs))[0];
const shot = (name) => session.screenshot(join(artifacts, `first-post-${name}.png`));
/** Lines typed with WebDriver's Enter key between them. */
const lines = (...l) => l.join("\uE007");

test("the first bilingual investigating post takes at most 10 interactions and 2 minutes", async () => {
  let interactions = 0;
  const click = async (css) => {
    interactions++;
    await session.click(await one(css, 60_000));
  };
  /** One field written: click into it, select what is there, type the text. */
  const write = async (css, text) => {
    interactions++;
    const el = await one(css);
    await session.click(el);
    await session.type(el, "\uE009a\uE009" + text);
  };

  // A fresh start asks where the work is kept: alone, on this computer.
  await click("[data-testid=first-start-alone]");
  await click("[data-testid=new-incident]");
  const editorJa = await one("[data-testid=editor-ja]");
  await until(() => session.text(editorJa), (t) => t.includes("■ 発生している現象"));
  await write("[data-testid=title-ja]", "管理画面にログインできない障害");
  await write("[data-testid=title-en]", "Sign-in to the admin console is failing");
  await write(
    "[data-testid=editor-ja]",
    lines(
      "現在、以下の障害が発生しております。原因は調査中です。",
      "ご利用中のお客様にはご不便をおかけし、申し訳ございません。",
      "",
      "■ 発生期間",
      "2026/12/01 10:00頃〜現在",
      "",
      "■ 発生している現象",
      "- 管理画面にログインできない",
      "",
      "状況に進展があり次第、続報を掲載いたします。",
    ),
  );
  await write(
    "[data-testid=editor-en]",
    lines(
      "We are investigating the issue described below. The cause is not yet known.",
      "We apologise for the inconvenience.",
      "",
      "■ Period",
      "Dec 1, 2026 10:00 JST (approx.) – ongoing",
      "",
      "■ What is happening",
      "- Sign-in to the admin console fails",
      "",
      "We will post an update as soon as we know more.",
    ),
  );
  const findings = await until(async () => session.text(await one("[data-testid=findings]")), (t) => /問題は見つかりませんでした/.test(t), 15_000);
  assert.match(findings, /問題は見つかりませんでした/, "a clean first post: nothing blocks publishing");
  await shot("01-written");

  await click("[data-testid=publish]");
  const where = await session.text(await one("[data-testid=confirm-where]"));
  assert.match(where, /サンドボックス/);
  assert.match(await session.text(await one("[data-testid=confirm-notify]")), /通知する/);
  await shot("02-confirm");
  await click("[data-testid=confirm-publish]");
  const url = await session.text(await one("[data-testid=published-url]", 30_000));
  const publicPage = await fetch(new URL("/", url)).then((r) => r.text());
  assert.match(publicPage, /管理画面にログインできない障害/);
  assert.match(publicPage, /Sign-in to the admin console is failing/);
  const seconds = (Date.now() - launched) / 1000;
  await shot("03-published");

  const summary =
    `first bilingual investigating post, fresh start to the sandbox's public page (real app, Xvfb, tauri-driver)\n` +
    `interactions: ${interactions} (target at most 10)\n` +
    `time from launch: ${seconds.toFixed(1)} s (target at most 120 s; WebDriver types about as fast as a fast typist pastes)\n`;
  mkdirSync(join(root, "target"), { recursive: true });
  writeFileSync(join(root, "target/first-post.txt"), summary);
  console.log(summary);
  assert.ok(interactions <= 10, summary);
  assert.ok(seconds <= 120, summary);
});
