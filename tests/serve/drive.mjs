// Drive `alignment serve` in headless Chromium, with the keyboard, as a person would.
//
//   node tests/serve/drive.mjs SCRIPT.json OUT.json
//
// SCRIPT.json: {"pages": {"name": "http://127.0.0.1:PORT/", ...}, "steps": [...]}: every page
// is opened at once, each in its own tab (the apps start side by side); steps go to the first
// until a {"use": "name"} step. Each step one of
//   {"use": "name"}                  type into, and read, that page from now on
//   {"wait": "text", "timeout": ms}  until the terminal shows the text (default 30 s);
//                                    with "count": n, until it shows it n times
//   {"gone": "text", "timeout": ms}  until it no longer shows it
//   {"press": "Enter", "repeat": n}  a key, in Playwright's names ("Control+a", "Escape"),
//                                    n times (default once)
//   {"type": "text", "delay": ms}    type text, a key every ms (default 10)
//   {"sleep": ms}                    let the app settle (a modal puts its focus after a refresh)
//   {"screen": "name"}               keep the terminal's text under that name (and the time)
//   {"download": "name", "timeout": ms}  wait for a file the app delivers to the browser
// OUT.json: {"ok": true, "screens": {name: text}, "timings": {name: ms},
//            "downloads": {name: {"file", "text"}}}
//           or {"ok": false, "error": "...", "step": N, "screen": "what was shown"}
//
// Used by tests/serve/test_serve.py. Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM),
// driven through playwright-core from tests/render/node_modules (no browser download), with a
// fresh profile; requests to anything but the server are refused. The terminal is xterm.js
// drawing on a canvas, so its text is read from xterm's buffer: the served textual.js is
// patched in flight to keep a reference to its Terminal (window.__alignmentTerminal).
// Exit status: 0 when every step passed, 1 when one failed, 2 when driving was impossible.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "render", "package.json"));
const { chromium } = require("playwright-core");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TERMINAL = /this\.terminal=new (\w+)\.Terminal\(/;

function screenText(page) {
  return page.evaluate(() => {
    const terminal = window.__alignmentTerminal;
    if (!terminal) return "";
    const buffer = terminal.buffer.active;
    const lines = [];
    for (let y = 0; y < terminal.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\n");
  });
}

async function until(page, test, timeout) {
  const end = Date.now() + timeout;
  for (;;) {
    const text = await screenText(page);
    if (test(text)) return text;
    if (Date.now() > end) return null;
    await page.waitForTimeout(100);
  }
}

async function open(page, url, result) {
  await page.goto(url);
  const ready = await page
    .waitForFunction(() => window.__alignmentTerminal !== undefined, null, { timeout: 45_000 })
    .catch(() => null);
  if (ready === null) throw new Error(result.patchError || `no terminal on ${url} within 45 s`);
  if ((await until(page, (text) => text.trim() !== "", 45_000)) === null) {
    throw new Error(`the terminal on ${url} stayed blank for 45 s`);
  }
  await page.focus(".xterm-helper-textarea");
}

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error("usage: node drive.mjs SCRIPT.json OUT.json");
    process.exit(2);
  }
  const script = JSON.parse(readFileSync(input, "utf8"));
  const origins = new Set(Object.values(script.pages).map((url) => new URL(url).origin));
  const profile = mkdtempSync(join(tmpdir(), "alignment-serve-"));
  const started = Date.now();
  const result = { ok: true, screens: {}, downloads: {}, timings: {} };
  const downloads = [];
  let context;
  let step = -1;
  let page;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: FLAGS,
      timeout: 60_000,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
    });
    // Nothing may leave the machine (the page asks for a Google font): only the server.
    await context.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (!origins.has(url.origin)) return route.abort();
      if (!url.pathname.endsWith("/static/js/textual.js")) return route.continue();
      const response = await route.fetch();
      const code = await response.text();
      if (!TERMINAL.test(code)) {
        result.patchError = "textual.js no longer constructs its Terminal as expected";
        return route.fulfill({ response });
      }
      const patched = code.replace(TERMINAL, "this.terminal=window.__alignmentTerminal=new $1.Terminal(");
      return route.fulfill({ response, body: patched });
    });
    // A delivered file opens a new tab on /download/KEY, which downloads it.
    context.on("page", (tab) => tab.on("download", (download) => downloads.push(download)));
    const pages = {};
    for (const name of Object.keys(script.pages)) pages[name] = await context.newPage();
    await Promise.all(Object.entries(script.pages).map(([name, url]) => open(pages[name], url, result)));
    page = Object.values(pages)[0];
    for (step = 0; step < script.steps.length; step++) {
      const s = script.steps[step];
      if ("use" in s) {
        page = pages[s.use];
        if (!page) throw new Error(`no page named ${JSON.stringify(s.use)}`);
        await page.bringToFront();
        await page.focus(".xterm-helper-textarea");
      } else if ("wait" in s) {
        const count = s.count ?? 1;
        const shown = (text) => text.split(s.wait).length - 1 >= count;
        if ((await until(page, shown, s.timeout ?? 30_000)) === null) {
          throw new Error(`the terminal did not show ${JSON.stringify(s.wait)} ${count} time(s)`);
        }
      } else if ("gone" in s) {
        const found = await until(page, (text) => !text.includes(s.gone), s.timeout ?? 30_000);
        if (found === null) throw new Error(`the terminal still shows ${JSON.stringify(s.gone)}`);
      } else if ("press" in s) {
        for (let i = 0; i < (s.repeat ?? 1); i++) await page.keyboard.press(s.press);
      } else if ("sleep" in s) {
        await page.waitForTimeout(s.sleep);
      } else if ("type" in s) {
        await page.keyboard.type(s.type, { delay: s.delay ?? 10 });
      } else if ("screen" in s) {
        result.screens[s.screen] = await screenText(page);
        result.timings[s.screen] = Date.now() - started; // ms since the browser was asked for
      } else if ("download" in s) {
        const end = Date.now() + (s.timeout ?? 30_000);
        while (downloads.length === 0 && Date.now() < end) await page.waitForTimeout(100);
        const download = downloads.shift();
        if (!download) throw new Error("no file was delivered to the browser");
        const path = await download.path();
        result.downloads[s.download] = {
          file: download.suggestedFilename(),
          text: readFileSync(path, "utf8"),
        };
      } else {
        throw new Error(`unknown step ${JSON.stringify(s)}`);
      }
    }
  } catch (error) {
    result.ok = false;
    result.error = String(error && error.message ? error.message : error);
    result.step = step;
    result.screen = page ? await screenText(page).catch(() => "") : "";
    if (step < 0) process.exitCode = 2; // the page never came up
  } finally {
    if (context) await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  writeFileSync(output, JSON.stringify(result, null, 2));
  if (!process.exitCode) process.exitCode = result.ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
