/**
 * Siblings resolved by a CRDT on the client: concurrent OR-Set adds and counter increments made
 * over the same read come back as siblings, their merge keeps every update, a write over the
 * merged read's context collapses them, an observed remove wins over nothing it did not observe.
 */
import { CrdtInputError, gCounter, orSet } from "@synod/crdt";
import type { ClientReply } from "@synod/protocol";
import { describe, expect, it } from "vitest";
import { crdtPut, resolveSiblings, type DynamoResult, type SiblingsRead } from "../src/index.js";
import { call, cluster, runUntil, type Cluster } from "./helpers.js";

function read(c: Cluster, key: string): SiblingsRead {
  const r: ClientReply<DynamoResult> = call(c, "n1", { op: "get", key });
  if (!r.ok || r.result.op !== "get") throw new Error(`get failed: ${JSON.stringify(r)}`);
  return r.result;
}

function put(c: Cluster, command: ReturnType<typeof crdtPut>["command"]): void {
  const r = call(c, "n1", command);
  expect(r.ok, JSON.stringify(r)).toBe(true);
  runUntil(c, c.nowMs + 50);
}

describe("sibling resolution by a CRDT", () => {
  it("OR-Set: concurrent adds are both kept; a write over the merge collapses the siblings; an observed remove wins", () => {
    const c = cluster({ n: 3, r: 2, w: 2 });
    const a = read(c, "set");
    const b = read(c, "set");
    put(c, crdtPut(orSet, a, "a.1", { type: "add", elem: "x" }).command);
    put(c, crdtPut(orSet, b, "b.1", { type: "add", elem: "y" }).command);
    const both = read(c, "set");
    expect(both.siblings).toHaveLength(2);
    expect([...orSet.value(resolveSiblings(orSet, both))].sort()).toEqual(["x", "y"]);

    // One write over that context replaces both siblings with their merge, minus x.
    put(c, crdtPut(orSet, both, "c.1", { type: "remove", elem: "x" }).command);
    const one = read(c, "set");
    expect(one.siblings).toHaveLength(1);
    expect([...orSet.value(resolveSiblings(orSet, one))]).toEqual(["y"]);

    // Concurrently: d removes y (which it saw), e adds z: y stays removed, z is added.
    const d = read(c, "set");
    const e = read(c, "set");
    put(c, crdtPut(orSet, d, "d.1", { type: "remove", elem: "y" }).command);
    put(c, crdtPut(orSet, e, "e.1", { type: "add", elem: "z" }).command);
    const last = read(c, "set");
    expect(last.siblings).toHaveLength(2);
    expect([...orSet.value(resolveSiblings(orSet, last))]).toEqual(["z"]);
  });

  it("G-Counter: concurrent increments both count (taking either sibling would lose one)", () => {
    const c = cluster({ n: 3, r: 1, w: 1 });
    const a = read(c, "hits");
    const b = read(c, "hits");
    put(c, crdtPut(gCounter, a, "a", { type: "inc", by: 1 }).command);
    put(c, crdtPut(gCounter, b, "b", { type: "inc", by: 1 }).command);
    const r = read(c, "hits");
    expect(r.siblings).toHaveLength(2);
    for (const s of r.siblings) expect(gCounter.value(resolveSiblings(gCounter, { ...r, siblings: [s] }))).toBe(1);
    expect(gCounter.value(resolveSiblings(gCounter, r))).toBe(2);
    put(c, crdtPut(gCounter, r, "a", { type: "inc", by: 1 }).command);
    const after = read(c, "hits");
    expect(after.siblings).toHaveLength(1);
    expect(gCounter.value(resolveSiblings(gCounter, after))).toBe(3);
  });

  it("a sibling that is not a state of the type is an error naming the key and the sibling", () => {
    const bad: SiblingsRead = { key: "k", siblings: [{ value: "not json", dot: "n1:4" }], context: { n1: 4 } };
    expect(() => resolveSiblings(orSet, bad)).toThrow(CrdtInputError);
    expect(() => resolveSiblings(orSet, bad)).toThrow(/k sibling n1:4/);
  });
});
