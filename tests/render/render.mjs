// Render Mermaid diagrams with the real mermaid library in headless Chromium.
//
//   node tests/render/render.mjs IN.json OUT.json
//
// IN.json:  [{"name": "...", "code": "flowchart BT ..."}, ...]
// OUT.json: [{"name": "...", "ok": true, "labels": ["node label text", ...], "edges": 3}, ...]
//           or {"name": "...", "ok": false, "error": "Parse error on line 2 ..."}
//
// Used by tests/formats/test_render.py. Chromium is Debian's (/usr/bin/chromium, or
// $CHROMIUM), driven through playwright-core (no browser download), with a fresh profile.
// RENDER_SCREENSHOTS=DIR also saves a PNG of each rendered diagram there, to look at.
// Exit status: 0 when every diagram rendered, 1 when one failed, 2 when rendering was impossible.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
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

async function main() {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error("usage: node render.mjs IN.json OUT.json");
    process.exit(2);
  }
  const diagrams = JSON.parse(readFileSync(input, "utf8"));
  const mermaidPath = require.resolve("mermaid/dist/mermaid.min.js");
  const profile = mkdtempSync(join(tmpdir(), "alignment-render-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      headless: true,
      args: FLAGS,
      timeout: 60_000,
    });
    const page = context.pages()[0] || (await context.newPage());
    // Nothing may leave the machine: block every request that is not inline content.
    await page.route("**/*", (route) => route.abort());
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.setContent("<!doctype html><html><body><div id=out></div></body></html>");
    await page.addScriptTag({ path: mermaidPath });
    await page.evaluate(() => {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
    });
    const results = [];
    for (const [index, diagram] of diagrams.entries()) {
      const result = await page.evaluate(
        async ({ code, id }) => {
          try {
            await window.mermaid.parse(code);
            const { svg } = await window.mermaid.render(id, code);
            const out = document.getElementById("out");
            out.innerHTML = svg;
            // Our only markup in labels is <br/>: read it back as a line break (on a copy,
            // so the drawing itself stays as rendered).
            const text = (el) => {
              const copy = el.cloneNode(true);
              for (const br of copy.querySelectorAll("br")) br.replaceWith("\n");
              return copy.textContent
                .split("\n")
                .map((line) => line.replace(/\s+/g, " ").trim())
                .join("\n")
                .trim();
            };
            const labels = [...out.querySelectorAll("g.node")].map(text);
            const edgeLabels = [...out.querySelectorAll("g.edgeLabel")].map(text).filter(Boolean);
            const edges = out.querySelectorAll("path.flowchart-link, .edgePaths path").length;
            const html = [...out.querySelectorAll("foreignObject *")]
              .map((el) => el.tagName.toLowerCase())
              .filter((tag) => !["div", "span", "p", "br"].includes(tag));
            const failed = /Syntax error|Parse error/i.test(text(out));
            return { ok: !failed, labels, edgeLabels, edges, unexpectedTags: html };
          } catch (error) {
            return { ok: false, error: String((error && error.message) || error) };
          }
        },
        { code: diagram.code, id: `render${index}` },
      );
      results.push({ name: diagram.name, ...result });
      if (result.ok && process.env.RENDER_SCREENSHOTS) {
        const file = join(process.env.RENDER_SCREENSHOTS, `${diagram.name.replace(/\W+/g, "_")}.png`);
        await page.setViewportSize({ width: 1600, height: 1200 });
        await page.locator("#out svg").screenshot({ path: file });
      }
    }
    if (pageErrors.length) {
      results.push({ name: "page errors", ok: false, error: pageErrors.join("\n") });
    }
    writeFileSync(output, JSON.stringify(results, null, 2));
    process.exit(results.every((r) => r.ok) ? 0 : 1);
  } catch (error) {
    console.error(`cannot render: ${(error && error.stack) || error}`);
    process.exit(2);
  } finally {
    if (context) await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

main();
