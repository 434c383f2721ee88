import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import { renderHtml } from "../src/html.js";
import { register } from "../src/models/index.js";
import { h } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const illegal = h(`
  0 invoke write 1
  0 ok write 1
  1 invoke write 2
  1 ok write 2
  2 invoke read nil
  2 ok read 1
  3 invoke write 3
  3 info write 3`);

const linearizable = h(`
  0 invoke write 1
  1 invoke read nil
  1 ok read 1
  0 ok write 1
  2 invoke write <script>
  2 ok write <script>`);

describe("HTML report in a headless browser", () => {
  let browser: BrowserContext;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH`);
    }
    dir = mkdtempSync(join(tmpdir(), "lincheck-html-"));
    // A fresh profile per run; without these flags Chromium waits on network it does not have.
    browser = await chromium.launchPersistentContext(join(dir, "profile"), {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("draws lanes, bars and the failing point of an illegal history, with details on hover", async () => {
    const result = checkHistory(illegal, register());
    expect(result.verdict).toBe("illegal");
    const file = join(dir, "illegal.html");
    writeFileSync(file, renderHtml(illegal, result, { title: "illegal.edn" }));
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) requests.push(r.url());
    });
    await page.goto(`file://${file}`);
    expect(await page.locator("#verdict").textContent()).toBe("illegal");
    expect(await page.locator("text.lane").allTextContents()).toEqual(["process 0", "process 1", "process 2", "process 3"]);
    expect(await page.locator("g.op").count()).toBe(result.operations.length);
    expect(await page.locator("g.op.stuck").count()).toBe(1);
    expect(await page.locator("g.op.prefix").count()).toBe(2);
    expect(await page.locator("g.op.info").count()).toBe(1);
    // Bars are laid out over time: the read starts right of the first write's end.
    const first = await page.locator('g.op[data-id="0"] rect').boundingBox();
    const read = await page.locator('g.op[data-id="2"] rect').boundingBox();
    expect(first && read && read.x > first.x + first.width).toBe(true);
    await expect.poll(() => page.locator("#details").isVisible()).toBe(false);
    await page.locator('g.op[data-id="2"] rect').hover();
    const details = await page.locator("#details").textContent();
    expect(details).toContain("read -> 1");
    expect(details).toContain("cannot go next: read -> 1 is impossible in state 2, and no remaining operation can change that");
    expect(await page.locator("#summary").textContent()).toContain("Longest linearizable prefix found (2 operations)");
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it("draws the linearization of a linearizable history and escapes values", async () => {
    const result = checkHistory(linearizable, register());
    expect(result.verdict).toBe("ok");
    const file = join(dir, "ok.html");
    writeFileSync(file, renderHtml(linearizable, result));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("dialog", (d) => errors.push(`dialog ${d.message()}`));
    await page.goto(`file://${file}`);
    expect(await page.locator("#verdict").textContent()).toBe("ok");
    expect(await page.locator("g.op.linearized").count()).toBe(3);
    const points = await page.locator("#order").getAttribute("points");
    expect(points?.trim().split(" ")).toHaveLength(3);
    expect(await page.locator('g.op[data-id="2"] text').textContent()).toContain('"<script>"');
    expect(errors).toEqual([]);
    await page.close();
  });
});
