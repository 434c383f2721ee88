/** stopChild: a server that honours SIGTERM stops on it; one that ignores it is killed after the grace. */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { stopChild } from "../lib/processes.mjs";

const server = (ignoreTerm) =>
  spawn(process.execPath, ["-e", `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ""} process.stdout.write('up'); setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "ignore"] });
const started = (c) => new Promise((r) => c.stdout.once("data", r));

describe("stopChild", () => {
  it("stops a process on SIGTERM", async () => {
    const c = server(false);
    await started(c);
    await stopChild(c, 10_000);
    expect(c.signalCode).toBe("SIGTERM");
  });

  it("kills a process that ignores SIGTERM once the grace is over", async () => {
    const c = server(true);
    await started(c);
    await stopChild(c, 200);
    expect(c.signalCode).toBe("SIGKILL");
  });

  it("resolves at once for a process that already exited", async () => {
    const c = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => c.once("exit", r));
    await stopChild(c);
    expect(c.exitCode).toBe(0);
  });
});
