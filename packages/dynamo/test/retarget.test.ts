/**
 * Regression (found by TLC on MCDynamoMsgSloppy.cfg): a sloppy coordinator that had already handed
 * its own copy of a write off, and dropped it, retargeted the write with what it still held -- an
 * empty set of siblings -- and counted the stand-in's acknowledgement towards W although the
 * stand-in never received the write. A retarget now sends the write itself.
 */
import { SeededRng, type Ready } from "@synod/protocol";
import { describe, expect, it } from "vitest";
import { DynamoNode, type DynamoMessage, type DynamoResult, type DynamoCommand } from "../src/index.js";

const IDS = ["s1", "s2", "s3", "s4"];
const OPTS = { nodes: IDS, n: 3, r: 2, w: 2, sloppy: true, coordinator: "any", readRepair: "async", antiEntropyMs: 0 } as const;
type Sent = Ready<DynamoMessage, DynamoResult, DynamoCommand>["send"];

describe("sloppy retarget after a handoff", () => {
  it("sends the write itself to the stand-in, not only what the coordinator still holds", () => {
    const node = (id: string) => new DynamoNode(id, OPTS, SeededRng.derive(1, id));
    const s4 = node("s4");
    const s3 = node("s3");
    const sent = (n: DynamoNode): Sent => n.ready().send;
    // The key's walk is s3, s1, s2, s4 (spec RingWalk): s4 suspects s3, so it coordinates with s1, s2 and itself.
    expect(s4.ring.walk("k")).toEqual(["s3", "s1", "s2", "s4"]);
    s4.step({ type: "timer", nowMs: 1000, name: "tick" });
    for (const p of ["s1", "s2"]) s4.step({ type: "message", nowMs: 1000, from: p, message: { type: "Pong" } });
    s4.ready();
    s4.step({ type: "request", nowMs: 1000, request: { clientId: "c", seq: 1, command: { op: "put", key: "k", value: "v", context: {} } } });
    const [id] = s4.requestIds();
    expect(s4.request(id!)?.targets).toEqual(["s1", "s2", "s4"]);
    expect(s4.hintFor("s3", "k").map((x) => x.value)).toEqual(["v"]);
    sent(s4);
    // s3 is back: s4 hands its hint off, s3 merges and acknowledges, s4 drops it.
    s4.step({ type: "message", nowMs: 1001, from: "s3", message: { type: "Pong" } });
    s4.step({ type: "timer", nowMs: 1001, name: "tick" });
    const handoff = sent(s4).find((e) => e.to === "s3" && e.message.type === "Handoff");
    expect(handoff).toBeDefined();
    s3.step({ type: "message", nowMs: 1001, from: "s4", message: handoff!.message });
    const ack = sent(s3).find((e) => e.message.type === "HandoffAck");
    s4.step({ type: "message", nowMs: 1002, from: "s3", message: ack!.message });
    expect(s4.hintsHeld().size).toBe(0);
    sent(s4);
    // s1 and s2 stay silent: the retarget replaces s1 by s3, standing in for s1, with the write.
    s4.step({ type: "timer", nowMs: 1003, name: `retarget:${id}` });
    const r = sent(s4).filter((e) => e.message.type === "Replicate");
    expect(r.map((e) => e.to)).toEqual(["s3"]);
    const m = r[0]!.message as Extract<DynamoMessage, { type: "Replicate" }>;
    expect(m.hint).toBe("s1");
    expect(m.siblings.map((x) => x.value)).toEqual(["v"]);
    expect(s4.request(id!)?.retargeted).toBe(true);
  });
});
