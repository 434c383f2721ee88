import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EXIT, main, parseDurationMs, parseInitLiteral } from "../src/cli.js";

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
    expect(code).toBe(12);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ file: fixture("etcd-style-log.txt"), verdict: "ok", ops: 10, partitions: 1 });
    expect(lines[1]).toMatchObject({ verdict: "illegal", ops: 11, partitions: 1 });
    expect(typeof lines[0].seconds).toBe("number");
    expect(Object.keys(lines[0]).sort()).toEqual(["file", "linearization", "ops", "partitionVerdicts", "partitions", "seconds", "verdict"]);
    expect(Object.keys(lines[1]).sort()).toEqual(["explanation", "failure", "file", "ops", "partitionVerdicts", "partitions", "seconds", "verdict"]);
  });

  it("carries the witness order of a linearizable history in --json", async () => {
    const { code, out } = await run(fixture("etcd-style-log.txt"), "--model", "cas-register", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(out[0]) as { linearization: { id: number; process: number; op: string; at: string }[]; partitionVerdicts: object };
    expect(report.partitionVerdicts).toEqual({ ok: 1, illegal: 0, unknown: 0, skipped: 0 });
    // Ten operations, of which the timed-out read (id 6) need not take effect and is left out.
    expect(report.linearization.map((o) => o.id).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9]);
    expect(report.linearization[1]).toEqual({ id: 1, process: 1, op: "write 3", at: `${fixture("etcd-style-log.txt")}:3` });
  });

  it("carries the explanation of an illegal history in --json", async () => {
    const { code, out } = await run(fixture("knossos-stream.edn"), "-m", "cas-register", "--json");
    expect(code).toBe(EXIT.illegal);
    const report = JSON.parse(out[0]) as { failure: Record<string, unknown>; explanation: string };
    expect(report.failure).toEqual({
      partition: null,
      partitionOps: 4,
      prefix: [
        { id: 0, process: 0, op: "write 1", at: `${fixture("knossos-stream.edn")}:1:1` },
        { id: 1, process: 1, op: "read -> 1", at: `${fixture("knossos-stream.edn")}:2:1` },
        { id: 2, process: 1, op: "cas 1->4", at: `${fixture("knossos-stream.edn")}:5:1` },
      ],
      stateAfterPrefix: "4",
      stuck: [
        {
          id: 3,
          process: 2,
          op: "cas 1->5",
          at: `${fixture("knossos-stream.edn")}:6:1`,
          reason: "cas 1->5 is impossible in state 4, and no remaining operation can change that",
        },
      ],
    });
    expect(report.explanation).toContain("Longest linearizable prefix found (3 operations)");
  });

  it("prints the explanation of an illegal history and writes the HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const html = join(dir, "report.html");
    const { code, out } = await run(fixture("knossos-stream.edn"), "-m", "cas-register", "--html", html);
    expect(code).toBe(12);
    expect(out[0]).toMatch(/knossos-stream\.edn: illegal \(4 operations from 8 events, 1 partition\(s\), [\d.]+ s\)/);
    expect(out.join("\n")).toMatch(/cas 1->5 is impossible in state 4, and no remaining operation can change that/);
    expect(readFileSync(html, "utf8")).toContain('<span class="verdict illegal" id="verdict">illegal</span>');
  });

  it("guesses formats, reads kv histories with keys and honours --init", async () => {
    expect((await run(fixture("history.json"), fixture("history.edn"), "--model", "kv")).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const file = join(dir, "h");
    writeFileSync(file, '[{"process":0,"type":"invoke","f":"read","value":null},{"process":0,"type":"ok","f":"read","value":0}]');
    expect((await run(file, "--model", "register")).code).toBe(12);
    expect((await run(file, "--model", "register", "--init", "0")).code).toBe(0);
    expect((await run(file, "--model", "register", "--init", "nil")).code).toBe(12);
  });

  it("reads nil reads as unknown (Knossos) unless --nil-read value, and refuses it where it means nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const file = join(dir, "h.edn");
    writeFileSync(file, "[{:process 0 :type :invoke :f :write :value 1} {:process 0 :type :ok :f :write :value 1}\n {:process 1 :type :invoke :f :read :value nil} {:process 1 :type :ok :f :read :value nil}]");
    expect((await run(file, "--model", "cas-register", "--init", "0")).code).toBe(0);
    expect((await run(file, "--model", "cas-register", "--init", "0", "--nil-read", "value")).code).toBe(12);
    expect((await run(file, "--model", "cas-register", "--nil-read", "maybe")).code).toBe(1);
    const { code, err } = await run(file, "--model", "mutex", "--nil-read", "value");
    expect(code).toBe(1);
    expect(err.join("\n")).toContain("the mutex model has no reads of a nil value to interpret");
    // JSON alike: a null read result is an unknown read.
    const json = join(dir, "h.json");
    writeFileSync(
      json,
      JSON.stringify([
        { process: 0, type: "invoke", f: "write", value: 1 },
        { process: 0, type: "ok", f: "write", value: 1 },
        { process: 1, type: "invoke", f: "read", value: null },
        { process: 1, type: "ok", f: "read", value: null },
      ]),
    );
    expect((await run(json, "--model", "register", "--init", "0")).code).toBe(0);
    expect((await run(json, "--model", "register", "--init", "0", "--nil-read", "value")).code).toBe(12);
    const txn = join(dir, "txn.json");
    writeFileSync(
      txn,
      JSON.stringify([
        { process: 0, type: "invoke", f: "txn", value: [["write", "x", 1]] },
        { process: 0, type: "ok", f: "txn", value: [["write", "x", 1]] },
        { process: 1, type: "invoke", f: "txn", value: [["read", "x", null]] },
        { process: 1, type: "ok", f: "txn", value: [["read", "x", null]] },
      ]),
    );
    expect((await run(txn, "--model", "multi-register", "--init", "0")).code).toBe(0);
    expect((await run(txn, "--model", "multi-register", "--init", "0", "--nil-read", "value")).code).toBe(12);
  });

  it("stops at the first failing partition unless --all-partitions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const file = join(dir, "keys.json");
    // Keys a and b are each illegal on their own (a read of a value never written); c is fine.
    const events: object[] = [];
    for (const [p, key, read] of [[0, "a", 9], [1, "b", 9], [2, "c", null]] as const) {
      events.push({ process: p, type: "invoke", f: "read", key, value: null }, { process: p, type: "ok", f: "read", key, value: read });
    }
    writeFileSync(file, JSON.stringify(events));
    const first = JSON.parse((await run(file, "--model", "kv", "--json")).out[0]) as { partitionVerdicts: Record<string, number>; explanation: string };
    expect(first.partitionVerdicts).toEqual({ ok: 0, illegal: 1, unknown: 0, skipped: 2 });
    expect(first.explanation).toContain("2 other partition(s) were left undecided");
    const all = await run(file, "--model", "kv", "--json", "--all-partitions");
    expect(all.code).toBe(12);
    expect((JSON.parse(all.out[0]) as { partitionVerdicts: object }).partitionVerdicts).toEqual({ ok: 1, illegal: 2, unknown: 0, skipped: 0 });
  });

  it("returns unknown (exit 124, INCOMPLETE) when the time budget runs out", async () => {
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
    expect(JSON.parse(out[0]).reason).toMatch(/time budget of 1 ms ran out/);
    expect(code).toBe(124);
  });

  it("reports a history that cannot be parsed with its place and exit code 150, and still checks the other files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lincheck-cli-"));
    const bad = join(dir, "bad.edn");
    writeFileSync(bad, "{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :read :value [1}\n");
    const { code, out, err } = await run(bad, fixture("etcd-style-log.txt"), "--model", "cas-register", "--json");
    expect(code).toBe(150);
    expect(err[0]).toBe(`lincheck: ${bad}:2:41: unexpected }; expected ] to close the collection opened at 2:39`);
    expect(JSON.parse(out[0])).toMatchObject({ file: bad, verdict: "error" });
    expect(JSON.parse(out[1])).toMatchObject({ verdict: "ok" });
    // An operation the model does not know is bad input too, named by its place.
    const unknownOp = join(dir, "op.edn");
    writeFileSync(unknownOp, "{:process 0 :type :invoke :f :frob :value nil}\n{:process 0 :type :ok :f :frob :value nil}\n");
    const decoded = await run(unknownOp, "--model", "register");
    expect(decoded.code).toBe(150);
    expect(decoded.err[0]).toMatch(/op\.edn:1:1: register model: unknown operation "frob"/);
  });

  it("exits 153 on a file it cannot read or write, worse than any verdict", async () => {
    const missing = await run("/nonexistent/h.edn", fixture("etcd-style-stale-log.txt"), "--model", "cas-register");
    expect(missing.code).toBe(153);
    expect(missing.err[0]).toBe("lincheck: /nonexistent/h.edn: cannot read file: ENOENT");
    const html = await run(fixture("etcd-style-log.txt"), "--model", "cas-register", "--html", "/nonexistent/dir/r.html");
    expect(html.code).toBe(153);
    expect(html.err[0]).toMatch(/cannot write the HTML report: ENOENT/);
  });

  it("exits 255 on an internal error, saying it is one", async () => {
    const err: string[] = [];
    const code = await main([fixture("etcd-style-log.txt"), "--model", "cas-register"], {
      out: () => {
        throw new Error("boom");
      },
      err: (l) => err.push(l),
    });
    expect(code).toBe(255);
    expect(err[0]).toMatch(/^lincheck: internal error \(please report it\): Error: boom/);
  });

  it("rejects bad options with exit code 1 (usage)", async () => {
    expect((await run(fixture("history.json"))).code).toBe(1);
    expect((await run(fixture("history.json"), "--model", "nope")).code).toBe(1);
    expect((await run(fixture("history.json"), "--model", "kv", "--timeout", "soon")).code).toBe(1);
    expect((await run(fixture("history.json"), "--model", "kv", "--format", "xml")).code).toBe(1);
    expect((await run(fixture("history.json"), "--model", "queue", "--init", "5")).code).toBe(1);
    // A JSON file read as EDN does not parse: that is the history's fault, not the command line's.
    expect((await run(fixture("history.json"), "--model", "kv", "--format", "edn")).code).toBe(150);
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
    expect((failed as { code: number }).code).toBe(12);
  });
});
