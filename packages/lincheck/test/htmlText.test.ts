import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import { renderHtml } from "../src/html.js";
import { kv, register } from "../src/models/index.js";
import { parseJsonHistory } from "../src/readers/json.js";

describe("renderHtml (as text)", () => {
  it("uses real timestamps when the history has them", async () => {
    const path = fileURLToPath(new URL("./fixtures/history.json", import.meta.url));
    const history = parseJsonHistory(await readFile(path, "utf8"), path);
    const html = renderHtml(history, checkHistory(history, kv()));
    expect(html).toContain("time (ns)");
    expect(html).not.toMatch(/<script src|<link /);
  });

  it("renders an empty history", () => {
    const html = renderHtml([], checkHistory([], register()));
    expect(html).toContain('<span class="verdict ok" id="verdict">ok</span>');
    // The page draws from the data it embeds; for an empty history there is nothing to draw.
    const data = JSON.parse(/const D = (.*);\n/.exec(html)?.[1] ?? "null") as { ops: unknown[]; partitions: unknown[]; order: unknown[] };
    expect(data.ops).toEqual([]);
    expect(data.order).toEqual([]);
  });
});
