import { describe, expect, test } from "vitest";
import type { Event, NodeId } from "@synod/protocol";
import { generateNemesis, SimulationConfigError, type ByzantineHook } from "../src/index.js";
import { makeSim } from "./helpers.js";
import { BeaconNode, ToyNode } from "./toys.js";

type Beacon = { type: "beacon"; n: number };
const nodes = ["n1", "n2", "n3", "n4"];

function beacons(hook?: ByzantineHook<Beacon, never>, faults: { atMs: number; fault: { type: "byzantine"; node: NodeId; behaviour: never } }[] = [], seed = 1) {
  const sim = makeSim<Beacon, never, never>((id) => new BeaconNode(id, nodes, 10), {
    seed,
    nodes,
    faults: faults as never,
    budget: { maxTimeMs: 105, maxEvents: 100_000 },
    ...(hook === undefined ? {} : { byzantine: hook }),
  });
  sim.run();
  return sim.log();
}

const fault = (behaviour: string, node = "n1", atMs = 0) => ({ atMs, fault: { type: "byzantine" as const, node, behaviour: behaviour as never } });

/** Received beacons per (from, to). */
function received(log: ReturnType<typeof beacons>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of log.messages) {
    if (m.status !== "delivered") continue;
    const k = `${m.from}->${m.to}`;
    out.set(k, [...(out.get(k) ?? []), (m.message as Beacon).n]);
  }
  return out;
}

describe("byzantine faults", () => {
  test("silent: the node's messages are withheld (recorded as dropped, reason byzantine)", () => {
    const log = beacons(undefined, [fault("silent")]);
    const r = received(log);
    expect(r.get("n1->n2")).toBeUndefined();
    expect(r.get("n2->n1")?.length).toBe(10);
    expect(log.messages.filter((m) => m.dropReason === "byzantine").length).toBe(30);
  });

  test("replay: old messages are sent again, to random receivers", () => {
    const r = received(beacons(undefined, [fault("replay")]));
    const fromN1 = ["n2", "n3", "n4"].flatMap((to) => r.get(`n1->${to}`) ?? []);
    expect(fromN1.length).toBeGreaterThan(30);
    const sorted = (r.get("n1->n2") ?? []).every((n, i, a) => i === 0 || a[i - 1]! <= n);
    const allSorted = ["n2", "n3", "n4"].every((to) => (r.get(`n1->${to}`) ?? []).every((n, i, a) => i === 0 || a[i - 1]! <= n));
    expect(sorted && allSorted).toBe(false);
  });

  test("delay-some: messages to some receivers arrive 20-200 ms late, to the others on time", () => {
    const r = received(beacons(undefined, [fault("delay-some")]));
    const counts = ["n2", "n3", "n4"].map((to) => r.get(`n1->${to}`)?.length ?? 0);
    expect(counts.some((c) => c === 10)).toBe(true);
    expect(counts.some((c) => c < 10)).toBe(true);
  });

  test("hooked behaviours call the protocol's hook per message and receiver; honest stops them", () => {
    const calls: string[] = [];
    const hook: ByzantineHook<Beacon, never> = {
      mutate: (b, env) => {
        calls.push(`${b}:${env.to}`);
        return env.to === "n2" ? [{ type: "beacon", n: -1 }] : [env.message, env.message];
      },
    };
    const log = beacons(hook, [fault("equivocate"), fault("honest", "n1", 55)]);
    const r = received(log);
    expect(r.get("n1->n2")!.slice(0, 5)).toEqual([-1, -1, -1, -1, -1]);
    expect(r.get("n1->n2")!.slice(5)).toEqual([5, 6, 7, 8, 9]);
    expect(r.get("n1->n3")!.length).toBe(15);
    expect(calls.filter((c) => c.startsWith("equivocate")).length).toBe(15);
  });

  test("a hooked behaviour without a hook is a configuration error naming the fault", () => {
    expect(() => beacons(undefined, [fault("equivocate")])).toThrow(SimulationConfigError);
    expect(() => beacons(undefined, [fault("equivocate")])).toThrow(/faults\[0\]\.fault\.behaviour/);
    expect(() => beacons(undefined, [fault("nonsense")])).toThrow(/unknown behaviour/);
  });

  test("same seed, same run; another seed, another run", () => {
    const a = JSON.stringify(beacons(undefined, [fault("replay"), fault("delay-some")], 5));
    const b = JSON.stringify(beacons(undefined, [fault("replay"), fault("delay-some")], 5));
    const c = JSON.stringify(beacons(undefined, [fault("replay"), fault("delay-some")], 6));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  test("the nemesis draws byzantine faults only for the faulty nodes given", () => {
    const s = generateNemesis({ seed: 3, nodes, endMs: 20_000, kinds: ["byzantine"], byzantine: { nodes: ["n2"], behaviours: ["silent", "replay"] } });
    expect(s.length).toBeGreaterThan(5);
    for (const f of s) if (f.fault.type === "byzantine") expect(f.fault.node).toBe("n2");
  });
});

/** Answers every request with `{ by: <its id or "same"> }` and a sealed-request check. */
class AnswerNode extends ToyNode<never, { sealed?: boolean }, { v: string }> {
  constructor(id: NodeId, private readonly same: boolean) {
    super(id);
  }
  protected handle(event: Event<never, { sealed?: boolean }>): void {
    if (event.type !== "request") return;
    const { clientId, seq, command } = event.request;
    const v = command.sealed === true ? (this.same ? "same" : this.id) : "unsealed";
    this.rd.replies.push({ clientId, seq, ok: true, result: { v } });
  }
}

describe("BFT clients", () => {
  function run(quorum: number, same: boolean, liars: NodeId[]) {
    const outcomes: string[] = [];
    const sim = makeSim<never, { sealed?: boolean }, { v: string }>((id) => new AnswerNode(id, same), {
      nodes,
      clients: { replyQuorum: quorum, timeoutMs: 100, retry: { attemptTimeoutMs: 5, backoffMs: 1, followLeaderHint: false } },
      sealRequest: (r) => ({ ...r, command: { sealed: true } }),
      ...(liars.length > 0 ? { byzantine: { mutate: (_b, e) => [e.message], reply: (r) => (r.ok ? { ...r, result: { v: "lie" } } : r) }, faults: liars.map((l) => fault("lie", l)) } : {}),
      budget: { maxTimeMs: 1000, maxEvents: 100_000 },
    });
    sim.invoke("c1", {}, "n1", { onDone: (o) => outcomes.push(o.type === "ok" ? o.result.v : o.type) });
    sim.run();
    return outcomes;
  }

  test("an ok result needs replyQuorum matching replies; requests are sealed on the way out", () => {
    expect(run(1, false, [])).toEqual(["n1"]);
    expect(run(2, true, [])).toEqual(["same"]);
    // Every node answers differently: no two match, the operation never completes.
    expect(run(2, false, [])).toEqual(["info"]);
    // One liar (f = 1) cannot make f + 1 = 2 matching replies; two colluding liars can.
    expect(run(2, true, ["n1"])).toEqual(["same"]);
    expect(run(2, true, ["n1", "n2"])).toEqual(["lie"]);
  });
});
