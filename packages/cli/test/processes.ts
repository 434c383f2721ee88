import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The committed entry point, exactly as users run it. */
export const SYNOD_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bin", "synod.js");

/** A spawned `synod` process with its output collected. */
export interface SynodProcess {
  child: ChildProcess;
  output(): string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

export function spawnSynod(args: string[]): SynodProcess {
  const child = spawn(process.execPath, [SYNOD_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr!.on("data", (d: Buffer) => {
    out += d.toString();
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Run `synod ...` to completion. */
export async function runSynod(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; output: string; stdout: string; stderr: string }> {
  const p = spawnSynod(args);
  const timer = setTimeout(() => p.child.kill("SIGKILL"), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output(), stdout: p.stdout(), stderr: p.stderr() };
}
