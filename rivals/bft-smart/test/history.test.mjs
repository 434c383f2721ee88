import { describe, expect, it } from "vitest";
import { HistoryRecorder, parseBridgeLine, runFigures } from "../lib/history.mjs";

describe("HistoryRecorder", () => {
  it("writes lincheck JSON events in order, with nanosecond times and a get's answer", () => {
    const h = new HistoryRecorder(2);
    const a = h.invoke(0, "put", "k0", "c0-0", 1);
    const b = h.invoke(1, "get", "k0", null, 1.5);
    h.complete(a, "ok", null, 2);
    h.complete(b, "ok", "c0-0", 3);
    expect(JSON.parse(h.toJson())).toEqual([
      { process: 0, type: "invoke", f: "put", key: "k0", value: "c0-0", time: 1_000_000 },
      { process: 1, type: "invoke", f: "get", key: "k0", value: null, time: 1_500_000 },
      { process: 0, type: "ok", f: "put", key: "k0", value: null, time: 2_000_000 },
      { process: 1, type: "ok", f: "get", key: "k0", value: "c0-0", time: 3_000_000 },
    ]);
  });

  it("retires the process of an info operation (Jepsen: it stays open forever)", () => {
    const h = new HistoryRecorder(3);
    h.complete(h.invoke(1, "put", "k", "v", 0), "info", null, 1);
    h.invoke(1, "get", "k", null, 2);
    const procs = JSON.parse(h.toJson()).map((e) => e.process);
    expect(procs).toEqual([1, 1, 4]);
  });

  it("refuses a second open operation of one client and completing an unknown one", () => {
    const h = new HistoryRecorder(1);
    h.invoke(0, "get", "k", null, 0);
    expect(() => h.invoke(0, "get", "k", null, 1)).toThrow(/client 0 invoked while its operation 0 is open/);
    expect(() => h.complete(7, "ok", null, 1)).toThrow(/operation 7 is not open/);
    expect(() => h.complete(0, "maybe", null, 1)).toThrow(/unknown completion type maybe/);
  });
});

describe("parseBridgeLine", () => {
  it("reads ready, ok with a value or none, timeout and error lines", () => {
    expect(parseBridgeLine("SYNOD ready 9")).toEqual({ kind: "ready", clients: 9 });
    expect(parseBridgeLine("SYNOD 12 ok c3-4")).toEqual({ req: "12", kind: "ok", value: "c3-4" });
    expect(parseBridgeLine("SYNOD 12 ok -")).toEqual({ req: "12", kind: "ok", value: null });
    expect(parseBridgeLine("SYNOD 5 timeout")).toEqual({ req: "5", kind: "timeout" });
    expect(parseBridgeLine("SYNOD 5 error RuntimeException: Impossible to connect to servers!")).toEqual({ req: "5", kind: "error", message: "RuntimeException: Impossible to connect to servers!" });
  });

  it("passes BFT-SMaRt's own log lines through as logs", () => {
    expect(parseBridgeLine("-- Replica disconnected. Connection reset by peer.")).toEqual({ kind: "log", line: "-- Replica disconnected. Connection reset by peer." });
  });

  it("refuses malformed tagged lines, naming them", () => {
    expect(() => parseBridgeLine("SYNOD 12 ok")).toThrow(/ok without a value: "12 ok"/);
    expect(() => parseBridgeLine("SYNOD hello")).toThrow(/malformed line: "hello"/);
    expect(() => parseBridgeLine("SYNOD 5 timeout now")).toThrow(/timeout with trailing text/);
  });
});

describe("runFigures", () => {
  const op = (invokedMs, completedMs, type = "ok") => ({ client: 0, f: "get", key: "k", invokedMs, completedMs, type });

  it("measures the steady part before the kill and the stall after it", () => {
    const ops = [op(0, 10), op(10, 30), op(30, 40), op(40, 100), op(100, 1100), op(1100, 1110), op(1110, 1120, "info")];
    const f = runFigures(ops, 0, 50, 1200);
    expect(f.steadyOps).toBe(3); // completed before the kill at 50 ms
    expect(f.opsPerSecond).toBeCloseTo(60);
    expect(f.p50Ms).toBe(10);
    expect(f.maxMs).toBe(20);
    // Completions after the kill: 100, 1100, 1110: the longest gap is 100 -> 1100.
    expect(f.stallMs).toBe(1000);
    // The first operation invoked after the kill (at 100) completed at 1100.
    expect(f.firstAfterKillMs).toBe(1050);
    expect(f.opsInfo).toBe(1);
  });

  it("a service that never answers again stalls until the end", () => {
    const f = runFigures([op(0, 10), op(10, 20)], 0, 30, 5030);
    expect(f.stallMs).toBe(5000);
    expect(f.firstAfterKillMs).toBeNull();
  });

  it("takes latency percentiles by nearest rank over the steady part", () => {
    const f = runFigures([op(0, 1), op(1, 3), op(3, 6), op(6, 10)], 0, 20, 40);
    expect(f.p50Ms).toBe(2);
    expect(f.p99Ms).toBe(4);
  });
});
