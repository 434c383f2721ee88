import { describe, expect, it } from "vitest";
import type { DurableWrite, Event, ProtocolNode, Ready } from "@synod/protocol";
import { emptyReady } from "@synod/protocol";
import { NodeHost, cryptoRng, seededRng } from "../src/host/index.js";
import { waitFor } from "./helpers.js";

type Msg = { n: number };

/** A scripted node: every event makes it persist, send, reply and arm a timer, in one ready. */
class ScriptedNode implements ProtocolNode<Msg, string, string> {
  readonly id = "n1";
  readonly seen: string[] = [];
  private rd: Ready<Msg, string, string> = emptyReady();
  private dirty = false;
  constructor(private readonly onStep: (e: Event<Msg, string>, rd: Ready<Msg, string, string>) => void) {
    this.rd.timers.push({ name: "boot", afterMs: 5 });
    this.dirty = true;
  }
  step(e: Event<Msg, string>): void {
    this.seen.push(e.type === "timer" ? `timer:${e.name}` : e.type);
    this.onStep(e, this.rd);
    this.dirty = true;
  }
  hasReady(): boolean {
    return this.dirty;
  }
  ready(): Ready<Msg, string, string> {
    const rd = this.rd;
    this.rd = emptyReady();
    this.dirty = false;
    return rd;
  }
}

describe("NodeHost", () => {
  it("persists before sending, then replies, then arms timers, for every event", async () => {
    const order: string[] = [];
    const node = new ScriptedNode((e, rd) => {
      if (e.type === "request") {
        rd.persist.push({ key: "k", value: e.request.seq });
        rd.send.push({ to: "n2", message: { n: e.request.seq } });
        rd.replies.push({ clientId: e.request.clientId, seq: e.request.seq, ok: true, result: "done" });
        rd.applied.push({ index: e.request.seq, command: "c", result: "done" });
      }
    });
    const host = new NodeHost<Msg, string, string>({
      node,
      storage: { append: (w: readonly DurableWrite[]) => order.push(`persist:${JSON.stringify(w)}`) },
      outputs: {
        send: (to, m) => order.push(`send:${to}:${m.n}`),
        reply: (r) => order.push(`reply:${r.seq}`),
      },
      onApplied: (a) => order.push(`applied:${a.length}`),
    });
    host.start();
    host.submitRequest({ clientId: "c", seq: 1, command: "x" });
    host.submitRequest({ clientId: "c", seq: 2, command: "y" });
    await waitFor("two replies", () => order.filter((o) => o.startsWith("reply")).length === 2);
    expect(order).toEqual([
      'persist:[{"key":"k","value":1}]', "send:n2:1", "reply:1", "applied:1",
      'persist:[{"key":"k","value":2}]', "send:n2:2", "reply:2", "applied:1",
    ]);
    await waitFor("the boot timer", () => node.seen.includes("timer:boot"));
    expect(host.stats).toMatchObject({ eventsStepped: 3, persistBatches: 2, messagesSent: 2, repliesSent: 2 });
    host.stop();
  });

  it("group commit: a batch of events is persisted in one append before any of its messages leave", async () => {
    const order: string[] = [];
    const node = new ScriptedNode((e, rd) => {
      if (e.type === "request") {
        rd.persist.push({ key: `k${e.request.seq}`, value: e.request.seq });
        rd.send.push({ to: "n2", message: { n: e.request.seq } });
        rd.replies.push({ clientId: e.request.clientId, seq: e.request.seq, ok: true, result: "done" });
      }
    });
    const host = new NodeHost<Msg, string, string>({
      node,
      storage: { append: (w: readonly DurableWrite[]) => order.push(`persist:${w.map((x) => x.key).join(",")}`) },
      outputs: { send: (_to, m) => order.push(`send:${m.n}`), reply: (r) => order.push(`reply:${r.seq}`) },
      batchEventsMax: 3,
    });
    host.start();
    for (let seq = 1; seq <= 4; seq++) host.submitRequest({ clientId: "c", seq, command: "x" });
    await waitFor("four replies", () => order.filter((o) => o.startsWith("reply")).length === 4);
    expect(order).toEqual([
      "persist:k1,k2,k3", "send:1", "send:2", "send:3", "reply:1", "reply:2", "reply:3",
      "persist:k4", "send:4", "reply:4",
    ]);
    expect(host.stats).toMatchObject({ persistBatches: 2, writesPersisted: 4 });
    host.stop();
  });

  it("a re-armed timer fires once, at its new time; a cancelled one never", async () => {
    const node = new ScriptedNode((e, rd) => {
      if (e.type === "request" && e.request.command === "rearm") rd.timers.push({ name: "boot", afterMs: 30 });
      if (e.type === "request" && e.request.command === "cancel") rd.timers.push({ name: "boot", afterMs: null });
    });
    const host = new NodeHost<Msg, string, string>({ node, storage: { append: () => {} }, outputs: { send: () => {}, reply: () => {} } });
    host.start();
    host.submitRequest({ clientId: "c", seq: 1, command: "rearm" });
    await new Promise((r) => setTimeout(r, 80));
    expect(node.seen.filter((s) => s === "timer:boot")).toHaveLength(1);
    host.submitRequest({ clientId: "c", seq: 2, command: "rearm" });
    host.submitRequest({ clientId: "c", seq: 3, command: "cancel" });
    await new Promise((r) => setTimeout(r, 80));
    expect(node.seen.filter((s) => s === "timer:boot")).toHaveLength(1);
    host.stop();
  });

  it("stops on a storage failure without sending what depended on the write", async () => {
    const sent: number[] = [];
    let fatal: unknown = null;
    const node = new ScriptedNode((e, rd) => {
      if (e.type === "request") {
        rd.persist.push({ key: "vote", value: "n1" });
        rd.send.push({ to: "n2", message: { n: e.request.seq } });
      }
    });
    const host = new NodeHost<Msg, string, string>({
      node,
      storage: { append: () => { throw new Error("EIO: fsync failed"); } },
      outputs: { send: (_to, m) => sent.push(m.n), reply: () => {} },
      onFatal: (err) => (fatal = err),
    });
    host.start();
    host.submitRequest({ clientId: "c", seq: 1, command: "x" });
    host.submitRequest({ clientId: "c", seq: 2, command: "x" });
    await waitFor("the fatal error", () => fatal !== null);
    expect(String(fatal)).toMatch(/EIO/);
    expect(sent).toEqual([]);
    expect(host.running).toBe(false);
    expect(node.seen.filter((s) => s === "request")).toHaveLength(1);
  });

  it("bounds its event queue: excess messages are dropped and excess requests answered unavailable", () => {
    const replies: string[] = [];
    const node = new ScriptedNode(() => {});
    const host = new NodeHost<Msg, string, string>({
      node,
      storage: { append: () => {} },
      outputs: { send: () => {}, reply: (r) => replies.push(r.ok ? "ok" : r.error) },
      eventQueueMax: 3,
    });
    host.start();
    for (let i = 0; i < 5; i++) host.deliverMessage("n2", { n: i });
    host.submitRequest({ clientId: "c", seq: 1, command: "x" });
    expect(host.stats.messagesDroppedQueueFull).toBe(2);
    expect(replies).toEqual(["unavailable"]);
    host.stop();
  });
});

describe("RNGs", () => {
  it("a seeded RNG replays; both stay within bounds", () => {
    const a = seededRng(7);
    const b = seededRng(7);
    const xs = Array.from({ length: 100 }, () => a.nextInt(150, 300));
    expect(Array.from({ length: 100 }, () => b.nextInt(150, 300))).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...xs)).toBeLessThanOrEqual(300);
    expect(new Set(xs).size).toBeGreaterThan(50);
    const c = cryptoRng();
    for (let i = 0; i < 100; i++) {
      const f = c.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const n = c.nextInt(1, 3);
      expect([1, 2, 3]).toContain(n);
    }
    expect(() => a.nextInt(5, 1)).toThrow(/min <= max/);
  });
});
