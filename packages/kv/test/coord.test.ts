/**
 * The coordination tree: sequential keys whose counter only grows, ephemeral keys that go with
 * their session (closed or expired by committed time), the deleted keys every result lists for
 * watches, exactly-once behind the session table, and snapshots.
 */
import { describe, expect, it } from "vitest";
import { coordService, CoordTree, SessionService, validateCoordCommand, type CoordCommand } from "../src/index.js";

const apply = (t: CoordTree, c: CoordCommand) => t.apply(c);

describe("the coordination tree", () => {
  it("appends a growing sequence number to sequential keys, never reused after a delete", () => {
    const t = new CoordTree();
    const a = apply(t, { op: "create", key: "/lock/n-", value: "a", sequential: true });
    const b = apply(t, { op: "create", key: "/lock/n-", value: "b", sequential: true });
    expect(a).toMatchObject({ ok: true, key: "/lock/n-0000000001", seq: 1 });
    expect(b).toMatchObject({ ok: true, key: "/lock/n-0000000002", seq: 2 });
    apply(t, { op: "delete", key: "/lock/n-0000000002" });
    expect(apply(t, { op: "create", key: "/lock/n-", value: "c", sequential: true })).toMatchObject({ key: "/lock/n-0000000003", seq: 3 });
    expect(apply(t, { op: "children", prefix: "/lock/" })).toEqual({ op: "children", keys: ["/lock/n-0000000001", "/lock/n-0000000003"], deleted: [] });
    expect(apply(t, { op: "create", key: "/x", value: "1" })).toMatchObject({ ok: true, seq: 0 });
    expect(apply(t, { op: "create", key: "/x", value: "2" })).toMatchObject({ ok: false, error: "exists" });
  });

  it("deletes a session's ephemeral keys when it closes or expires, and lists them for watches", () => {
    const t = new CoordTree();
    apply(t, { op: "open", session: "s1", atMs: 0, ttlMs: 100 });
    apply(t, { op: "open", session: "s2", atMs: 0, ttlMs: 100 });
    apply(t, { op: "create", key: "/lock/n-", value: "", session: "s1", sequential: true });
    apply(t, { op: "create", key: "/lock/n-", value: "", session: "s2", sequential: true });
    apply(t, { op: "create", key: "/keep", value: "" });
    apply(t, { op: "heartbeat", session: "s2", atMs: 80 });
    expect(t.expiring(99)).toEqual([]);
    expect(t.expiring(100)).toEqual(["s1"]);
    expect(apply(t, { op: "expire", atMs: 99 })).toEqual({ op: "expire", ok: true, deleted: [], expired: [] });
    expect(apply(t, { op: "expire", atMs: 100 })).toEqual({ op: "expire", ok: true, deleted: ["/lock/n-0000000001"], expired: ["s1"] });
    expect(apply(t, { op: "create", key: "/e", value: "", session: "s1" })).toMatchObject({ ok: false, error: "no session s1" });
    expect(apply(t, { op: "heartbeat", session: "s1", atMs: 100 })).toMatchObject({ ok: false });
    expect(apply(t, { op: "close", session: "s2" })).toEqual({ op: "close", ok: true, deleted: ["/lock/n-0000000002"] });
    expect(apply(t, { op: "children", prefix: "/" })).toMatchObject({ keys: ["/keep"] });
  });

  it("keeps the committed time: the latest atMs applied, never going back", () => {
    const t = new CoordTree();
    apply(t, { op: "open", session: "s1", atMs: 40, ttlMs: 100 });
    apply(t, { op: "heartbeat", session: "s1", atMs: 30 });
    expect(t.clockMs).toBe(40);
    apply(t, { op: "expire", atMs: 90 });
    apply(t, { op: "create", key: "/k", value: "" });
    expect(t.clockMs).toBe(90);
  });

  it("is exactly-once behind the session table, and its snapshot restores it equal", () => {
    const svc = new SessionService(coordService);
    const first = svc.apply("c1", 1, { op: "create", key: "/q-", value: "", sequential: true });
    expect(svc.apply("c1", 1, { op: "create", key: "/q-", value: "", sequential: true })).toEqual({ kind: "duplicate", result: (first as { result: unknown }).result });
    svc.apply("c1", 2, { op: "open", session: "s", atMs: 5, ttlMs: 50 });
    const back = SessionService.fromJson(coordService, svc.toJson());
    expect(back.toJson()).toEqual(svc.toJson());
    expect(back.machine.apply({ op: "create", key: "/q-", value: "", sequential: true })).toMatchObject({ seq: 2 });
    expect(() => CoordTree.fromJson({ seq: 1, data: [["a", "b"]], sessions: [] })).toThrow(/data\[0\] must be/);
    expect(back.machine.clockMs).toBe(5);
    expect(() => CoordTree.fromJson({ seq: 1, data: [], sessions: [] })).toThrow(/'clockMs'/);
  });

  it("validates commands, naming the problem", () => {
    expect(validateCoordCommand({ op: "open", session: "s", atMs: 0, ttlMs: 0 })).toMatch(/ttlMs/);
    expect(validateCoordCommand({ op: "create", key: "k", value: "v", sequential: "yes" })).toMatch(/sequential/);
    expect(validateCoordCommand({ op: "watch", key: "k" })).toMatch(/unknown coord op "watch"/);
    expect(validateCoordCommand({ op: "children", prefix: "/" })).toBeNull();
    expect(() => new CoordTree().query({ op: "delete", key: "k" })).toThrow(/not read-only/);
  });
});
