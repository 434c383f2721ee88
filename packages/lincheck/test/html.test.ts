import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import { renderHtml } from "../src/html.js";
import { generateHistory } from "../src/generate.js";
import { casRegister, kv, register } from "../src/models/index.js";
import { h } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The page's full width and its window's: equal when nothing scrolls sideways. */
async function widths(page: Page): Promise<{ scroll: number; client: number }> {
  return (await page.evaluate("({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })")) as { scroll: number; client: number };
}

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
    writeFileSync(file, renderHtml(illegal, result, { title: "illegal.edn", model: register() }));
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

  it("opens the report of an empty history without errors", async () => {
    const file = join(dir, "empty.html");
    writeFileSync(file, renderHtml([], checkHistory([], register())));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    expect(await page.locator("g.op").count()).toBe(0);
    expect(await page.locator("#step").textContent()).toBe("no order to step through");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("fits a 12-event history in the window: no sideways scrolling", async () => {
    const twelve = h(`
      0 invoke write 1
      1 invoke read nil
      0 ok write 1
      1 ok read 1
      2 invoke cas [1 2]
      0 invoke read nil
      2 ok cas [1 2]
      0 ok read 2
      3 invoke write 3
      1 invoke read nil
      3 ok write 3
      1 ok read 3`);
    const result = checkHistory(twelve, casRegister());
    expect(result.verdict).toBe("ok");
    const file = join(dir, "twelve.html");
    writeFileSync(file, renderHtml(twelve, result, { title: "a long title for a twelve-event history.edn (cas-register, edn)" }));
    for (const width of [1280, 800, 480]) {
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 720 });
      await page.goto(`file://${file}`);
      const sizes = await widths(page);
      expect(sizes.scroll, `page width at a ${width}px window`).toBeLessThanOrEqual(sizes.client);
      expect(await page.locator("g.op").count()).toBe(6);
      const svgBox = await page.locator("#timeline").boundingBox();
      expect(svgBox && svgBox.width <= width).toBe(true);
      await page.close();
    }
  });

  it("steps through the linearization, showing the state after each step", async () => {
    const history = h(`
      0 invoke write 1
      0 ok write 1
      1 invoke cas [1 2]
      1 ok cas [1 2]
      2 invoke read nil
      2 ok read 2`);
    const cas = checkHistory(history, casRegister());
    expect(cas.verdict).toBe("ok");
    const file = join(dir, "steps.html");
    writeFileSync(file, renderHtml(history, cas, { model: casRegister() }));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    expect(await page.locator("#step").textContent()).toBe("step 0 of 3");
    await page.locator("#next").click();
    await page.locator("#next").click();
    expect(await page.locator("#step").textContent()).toBe("step 2 of 3");
    expect(await page.locator("g.op.current").getAttribute("data-id")).toBe("1");
    expect(await page.locator("#stepinfo").textContent()).toBe("Step 2: #1 process 1: cas 1->2\nstate after: 2");
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#stepinfo").textContent()).toContain("Step 3: #2 process 2: read -> 2");
    await page.keyboard.press("ArrowLeft");
    await page.locator("#prev").click();
    expect(await page.locator("#step").textContent()).toBe("step 1 of 3");
    // Clicking an operation jumps to its step.
    await page.locator('g.op[data-id="2"] rect').click();
    expect(await page.locator("#step").textContent()).toBe("step 3 of 3");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows one partition at a time, the failing one first", async () => {
    const history = h(`
      0 invoke put 1 :a
      0 ok put 1 :a
      1 invoke put 5 :b
      1 ok put 5 :b
      2 invoke get nil :b
      2 ok get 4 :b
      3 invoke get nil :a
      3 ok get 1 :a
      4 invoke put 7 :c
      4 ok put 7 :c`);
    const result = checkHistory(history, kv(), { allPartitions: true });
    expect(result.verdict).toBe("illegal");
    const file = join(dir, "partitions.html");
    writeFileSync(file, renderHtml(history, result, { model: kv() }));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    const options = await page.locator("#partition option").allTextContents();
    expect(options).toEqual(["all 3 partitions", "key b (2 ops, illegal)", "key a (2 ops, ok)", "key c (1 ops, ok)"]);
    expect(await page.locator("#partition").inputValue()).toBe(String(result.partitions.findIndex((p) => p.key === "b")));
    expect(await page.locator("g.op").count()).toBe(2);
    expect(await page.locator("text.lane").allTextContents()).toEqual(["process 1", "process 2"]);
    expect(await page.locator("g.op.stuck").count()).toBe(1);
    await page.locator("#partition").selectOption({ label: "all 3 partitions" });
    expect(await page.locator("g.op").count()).toBe(5);
    expect(await page.locator("text.lane").count()).toBe(5);
    await page.locator("#partition").selectOption({ label: "key c (1 ops, ok)" });
    expect(await page.locator("g.op").count()).toBe(1);
    expect(await page.locator("g.op.linearized").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("zooms and pans over 10,000 operations, drawing only what is in view", async () => {
    const { events } = generateHistory({ seed: 7, operations: 10_000, processes: 8, keys: 4, overlap: 1 });
    const result = checkHistory(events, kv());
    expect(result.verdict).toBe("ok");
    const file = join(dir, "big.html");
    writeFileSync(file, renderHtml(events, result, { model: kv() }));
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const t0 = Date.now();
    await page.goto(`file://${file}`);
    console.log(`10,000 operations: page loaded and drawn in ${Date.now() - t0} ms`);
    // Evaluated in the page (a string, as this file is compiled without the DOM's types).
    const drawMs = (await page.evaluate('(() => { const t = performance.now(); document.getElementById("fit").click(); return performance.now() - t; })()')) as number;
    console.log(`10,000 operations: one redraw of the whole history ${drawMs.toFixed(0)} ms`);
    const axis = async (): Promise<[number, number]> => {
      const m = /(-?\d+) \u2192 (-?\d+)/.exec((await page.locator("#axis").textContent()) ?? "");
      return [Number(m?.[1]), Number(m?.[2])];
    };
    // Zoomed out, 10,000 bars would be a blur: each lane's busy stretches are drawn instead.
    expect(await page.locator("g.op").count()).toBe(0);
    expect(await page.locator("rect.dense").count()).toBeGreaterThan(0);
    expect(await page.locator("#dense").textContent()).toBe("10000 operations in view: zoom in to see them one by one");
    const [a0, a1] = await axis();
    for (let i = 0; i < 6; i++) await page.locator("#zoom-in").click();
    const [b0, b1] = await axis();
    expect(b1 - b0).toBeLessThan((a1 - a0) / 32);
    const inView = await page.locator("g.op").count();
    expect(inView).toBeGreaterThan(0);
    expect(inView).toBeLessThan(1000);
    // Drag to the left: the view moves later in time.
    const svgBox = await page.locator("#timeline").boundingBox();
    if (svgBox === null) throw new Error("no timeline");
    await page.mouse.move(svgBox.x + 700, svgBox.y + 40);
    await page.mouse.down();
    await page.mouse.move(svgBox.x + 300, svgBox.y + 40, { steps: 4 });
    await page.mouse.up();
    const [c0, c1] = await axis();
    expect(c0).toBeGreaterThan(b0);
    expect(c1 - c0).toBeCloseTo(b1 - b0, -1);
    // The wheel zooms out around the pointer; fit shows everything again.
    await page.mouse.move(svgBox.x + 600, svgBox.y + 40);
    await page.mouse.wheel(0, 300);
    const [d0, d1] = await axis();
    expect(d1 - d0).toBeGreaterThan(c1 - c0);
    await page.locator("#fit").click();
    expect(await axis()).toEqual([a0, a1]);
    // Stepping far into the order keeps the current operation in view.
    for (let i = 0; i < 6; i++) await page.locator("#zoom-in").click();
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    expect(await page.locator("g.op.current").count()).toBe(1);
    const sizes = await widths(page);
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    expect(errors).toEqual([]);
    await page.close();
  });
});
