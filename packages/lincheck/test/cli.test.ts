import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main, parseDurationMs, parseInitLiteral } from "../src/cli.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("lincheck CLI", () => {
  it("checks several files in one call, one JSON line each, exit code by the worst verdict", async () => {
    const { code, out } = await run(fixture("etcd-style-log.txt"), fixture("etcd-style-stale-log.txt"), "--model", "cas-register", "--json");
    expect(code).toBe(1);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: fixture("etcd-style-log.txt"), verdict: "ok", ops: 10, partitions: 1 });
    expect(lines[1]).toMatchObject({ verdict: "illegal", ops: 11, partitions: 1 });
    expect(typeof lines[0].seconds).toBe("number");
    expect(Object.keys(lines[0]).sort()).toEqual(["file", "ops", "partitions", "seconds", "verdict"]);
  });

  it("prints the explanation of an illegal history and writes the HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const html = join(dir, "report.html");
    const { code, out } = await run(fixture("knossos-stream.edn"), "-m", "cas-register", "--html", html);
    expect(code).toBe(1);
    expect(out[0]).toMatch(/knossos-stream\.edn: illegal \(4 operations from 8 events, 1 partition\(s\), [\d.]+ s\)/);
    expect(out.join("\n")).toMatch(/cas 1->5 is impossible in state 4, and no remaining operation can change that/);
    expect(readFileSync(html, "utf8")).toContain('<span class="verdict illegal" id="verdict">illegal</span>');
  });

  it("guesses formats, reads kv histories with keys and honours --init", async () => {
    expect((await run(fixture("history.json"), fixture("history.edn"), "--model", "kv")).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const file = join(dir, "h");
    writeFileSync(file, '[{"process":0,"type":"invoke","f":"read","value":null},{"process":0,"type":"ok","f":"read","value":0}]');
    expect((await run(file, "--model", "register")).code).toBe(1);
    expect((await run(file, "--model", "register", "--init", "0")).code).toBe(0);
    expect((await run(file, "--model", "register", "--init", "nil")).code).toBe(1);
  });

  it("returns unknown (exit 2) when the time budget runs out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const file = join(dir, "hard.json");
    // Many set additions left open forever, plus a read that no subset of them explains: the
    // search has to try every subset, which takes far longer than the 1 ms budget.
    const events: object[] = [];
    for (let p = 0; p < 40; p++) events.push({ process: p, type: "invoke", f: "add", value: p });
    for (let p = 0; p < 40; p++) events.push({ process: p, type: "info", f: "add", value: p });
    events.push({ process: 100, type: "invoke", f: "read", value: null }, { process: 100, type: "ok", f: "read", value: [99] });
    writeFileSync(file, JSON.stringify(events));
    const { code, out } = await run(file, "--model", "set", "--timeout", "1ms", "--json");
    expect(JSON.parse(out[0])).toMatchObject({ verdict: "unknown", ops: 41 });
    expect(code).toBe(2);
  });

  it("reports bad input with its place and exit code 3, and still checks the other files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const bad = join(dir, "bad.edn");
    writeFileSync(bad, "{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :read :value [1}\n");
    const { code, out, err } = await run(bad, fixture("etcd-style-log.txt"), "--model", "cas-register", "--json");
    expect(code).toBe(3);
    expect(err[0]).toBe(`lincheck: ${bad}:2:41: unexpected }; expected ] to close the collection opened at 2:39`);
    expect(JSON.parse(out[0])).toMatchObject({ file: bad, verdict: "error" });
    expect(JSON.parse(out[1])).toMatchObject({ verdict: "ok" });
  });

  it("rejects bad options with exit code 3", async () => {
    expect((await run(fixture("history.json"))).code).toBe(3);
    expect((await run(fixture("history.json"), "--model", "nope")).code).toBe(3);
    expect((await run(fixture("history.json"), "--model", "kv", "--timeout", "soon")).code).toBe(3);
    expect((await run(fixture("history.json"), "--model", "kv", "--format", "xml")).code).toBe(3);
    expect((await run(fixture("history.json"), "--model", "kv", "--format", "edn")).code).toBe(3);
  });

  it("parses durations and init literals", () => {
    expect(parseDurationMs("10s")).toBe(10_000);
    expect(parseDurationMs("250ms")).toBe(250);
    expect(parseDurationMs("2m")).toBe(120_000);
    expect(parseDurationMs("3")).toBe(3000);
    expect(() => parseDurationMs("-1s")).toThrow(/expected a duration/);
    expect(parseInitLiteral('""')).toBe("");
    expect(parseInitLiteral("nil")).toBeNull();
    expect(parseInitLiteral("[1 2]")).toEqual([1, 2]);
    expect(() => parseInitLiteral("[1")).toThrow(/not a JSON or EDN literal/);
  });

  it("runs as the installed bin", async () => {
    const bin = fileURLToPath(new URL("../bin/lincheck.js", import.meta.url));
    expect(existsSync(fileURLToPath(new URL("../dist/cli.js", import.meta.url))), "build the package before testing the bin").toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [bin, fixture("etcd-style-log.txt"), "--model", "cas-register", "--json"]);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: "ok" });
    const failed = await promisify(execFile)(process.execPath, [bin, fixture("etcd-style-stale-log.txt"), "--model", "cas-register"]).catch(
      (e: { code: number }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
  });
});
