/**
 * The side-by-side run with Porcupine (Go): histories are handed over as lincheck's decoded
 * operations (so both checkers see the same operations), and a small Go program of ours
 * (`bench/porcupine/main.go`) times `porcupine.CheckOperationsTimeout` on each. The program is
 * built in a temporary directory against a Porcupine checkout the user fetched; nothing of
 * Porcupine is kept in this repository.
 * @internal
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Operation } from "../types.js";
import type { Value } from "../value.js";

/** One history as the Go program reads it. */
export interface PorcupineHistory {
  readonly name: string;
  readonly model: string;
  readonly init: Value;
  readonly timeoutMs: number;
  readonly ops: readonly {
    readonly client: number;
    readonly call: number;
    readonly ret: number | null;
    readonly input: unknown;
    readonly output?: unknown;
  }[];
}

/** What the Go program reports for one history. */
export interface PorcupineResult {
  readonly name: string;
  readonly verdict: "ok" | "illegal" | "unknown" | "unsupported";
  /** Median time per check, by the wall clock. */
  readonly ms: number;
  /** The same in the process's CPU time. */
  readonly cpuMs: number;
  readonly runs: number;
  readonly error?: string;
}

/** A history's operations for the Go program: lincheck's decoded inputs and outputs, event positions as times. */
export function porcupineHistory(name: string, model: string, init: Value, ops: readonly Operation[], timeoutMs: number): PorcupineHistory {
  const clients = new Map<string, number>();
  const client = (p: number | string): number => {
    if (typeof p === "number") return p;
    let c = clients.get(p);
    if (c === undefined) clients.set(p, (c = 1_000_000 + clients.size));
    return c;
  };
  return {
    name,
    model,
    init,
    timeoutMs,
    ops: ops.map((o) => ({
      client: client(o.process),
      call: o.call,
      ret: Number.isFinite(o.ret) ? o.ret : null,
      input: o.input,
      ...(o.output === undefined ? {} : { output: o.output }),
    })),
  };
}

/** Why Porcupine cannot be run here, or undefined when it can. */
export function porcupineUnavailable(porcupineDir: string | undefined): string | undefined {
  if (porcupineDir === undefined) return "no Porcupine checkout given (PORCUPINE_DIR or --porcupine <dir>)";
  if (!existsSync(join(porcupineDir, "checker.go"))) return `${porcupineDir} is not a Porcupine checkout (no checker.go)`;
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.status !== 0) return "Go is not installed (Debian: apt-get install -y golang-go)";
  return undefined;
}

/**
 * Builds the Go program against `porcupineDir` and checks every history with Porcupine, in one
 * process. Throws with Go's message when the build or the run fails.
 */
export function runPorcupine(porcupineDir: string, histories: readonly PorcupineHistory[]): Map<string, PorcupineResult> {
  const dir = mkdtempSync(join(tmpdir(), "lincheck-porcupine-"));
  try {
    copyFileSync(fileURLToPath(new URL("../../bench/porcupine/main.go", import.meta.url)), join(dir, "main.go"));
    writeFileSync(
      join(dir, "go.mod"),
      `module synod.dev/porcupine-bench\n\ngo 1.16\n\nrequire github.com/anishathalye/porcupine v0.0.0\n\nreplace github.com/anishathalye/porcupine => ${resolve(porcupineDir)}\n`,
    );
    const env = { ...process.env, GOFLAGS: "-mod=mod", GOPROXY: "off", GOTOOLCHAIN: "local" };
    execFileSync("go", ["build", "-o", "porcupine-bench", "."], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
    const input = join(dir, "histories.json");
    writeFileSync(input, JSON.stringify({ histories }));
    const out = execFileSync(join(dir, "porcupine-bench"), [input], { encoding: "utf8", maxBuffer: 1 << 26 });
    const results = new Map<string, PorcupineResult>();
    for (const line of out.trim().split("\n")) {
      if (line === "") continue;
      const r = JSON.parse(line) as PorcupineResult;
      results.set(r.name, r);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
