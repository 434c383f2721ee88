import { describe, expect, it } from "vitest";
import { checkHistory } from "../src/check.js";
import { casRegister, counter, kv, multiRegister, mutex, queue, register, set } from "../src/models/index.js";
import type { AnyModel } from "../src/types.js";
import { expectValidWitness, h } from "./helpers.js";

function verdict(text: string, model: AnyModel): string {
  const result = checkHistory(h(text), model);
  if (result.verdict === "ok") expectValidWitness(result, model);
  return result.verdict;
}

describe("register", () => {
  it("accepts a read concurrent with a write seeing either value", () => {
    const text = `
      0 invoke write 1
      1 invoke read nil
      1 ok read X
      0 ok write 1`;
    expect(verdict(text.replace("X", "1"), register())).toBe("ok");
    expect(verdict(text.replace("X", "nil"), register())).toBe("ok");
    expect(verdict(text.replace("X", "2"), register())).toBe("illegal");
  });

  it("rejects a stale read after a completed write", () => {
    const text = `
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 1`;
    expect(verdict(text, register())).toBe("illegal");
  });

  it("rejects two readers seeing concurrent writes in opposite orders", () => {
    const text = `
      0 invoke write 1
      1 invoke write 2
      2 invoke read nil
      2 ok read 1
      3 invoke read nil
      3 ok read 2
      2 invoke read nil
      2 ok read 2
      3 invoke read nil
      3 ok read 1
      0 ok write 1
      1 ok write 2`;
    expect(verdict(text, register())).toBe("illegal");
    // One reader changing its mind is fine.
    expect(verdict(text.replace("3 ok read 1", "3 ok read 2"), register())).toBe("ok");
  });

  it("accepts an info write whose value appears later", () => {
    const text = `
      0 invoke write 1
      0 info write 1
      1 invoke read nil
      1 ok read nil
      1 invoke read nil
      1 ok read 1`;
    expect(verdict(text, register())).toBe("ok");
  });

  it("accepts an info write that never takes effect", () => {
    expect(verdict(`0 invoke write 1\n0 info write 1\n1 invoke read nil\n1 ok read 0`, register({ init: 0 }))).toBe("ok");
    expect(verdict(`0 invoke write 1\n0 info write 1\n1 invoke read nil\n1 ok read nil`, register({ nilRead: "value" }))).toBe("ok");
  });

  it("rejects a failed write whose value appears", () => {
    const text = `
      0 invoke write 1
      0 fail write 1
      1 invoke read nil
      1 ok read 1`;
    expect(verdict(text, register())).toBe("illegal");
  });

  it("uses the given initial value", () => {
    expect(verdict(`0 invoke read nil\n0 ok read 0`, register())).toBe("illegal");
    expect(verdict(`0 invoke read nil\n0 ok read 0`, register({ init: 0 }))).toBe("ok");
    expect(verdict(`0 invoke read nil\n0 ok read ""`, register({ init: "" }))).toBe("ok");
  });

  it("explains a failure with the prefix and the stuck operation", () => {
    const result = checkHistory(h(`0 invoke write 1\n0 ok write 1\n0 invoke write 2\n0 ok write 2\n1 invoke read nil\n1 ok read 1`), register());
    expect(result.verdict).toBe("illegal");
    if (result.verdict !== "illegal") return;
    expect(result.failure.prefix).toEqual([0, 1]);
    expect(result.failure.stateAfterPrefix).toBe("2");
    expect(result.failure.stuck).toEqual([{ id: 2, reason: "read -> 1 is impossible in state 2, and no remaining operation can change that" }]);
    expect(result.explanation).toContain("Longest linearizable prefix found (2 operations)");
    expect(result.explanation).toContain("invoked at line 5");
  });
});

describe("cas-register", () => {
  it("rejects a CAS that succeeds against a value never written", () => {
    const text = `
      0 invoke write 1
      0 ok write 1
      1 invoke cas [5 2]
      1 ok cas [5 2]`;
    expect(verdict(text, casRegister())).toBe("illegal");
    expect(verdict(text.replaceAll("[5 2]", "[1 2]"), casRegister())).toBe("ok");
  });

  it("treats a CAS with result false as a compare that ran and failed", () => {
    expect(verdict(`0 invoke write 1\n0 ok write 1\n1 invoke cas [1 2]\n1 ok cas false`, casRegister())).toBe("illegal");
    expect(verdict(`0 invoke write 1\n0 ok write 1\n1 invoke cas [3 2]\n1 ok cas false`, casRegister())).toBe("ok");
  });

  it("lets an info CAS take effect later", () => {
    const text = `
      0 invoke cas [nil 7]
      0 info cas [nil 7]
      1 invoke read nil
      1 ok read 7`;
    expect(verdict(text, casRegister())).toBe("ok");
  });

  it("knows no cas in the plain register", () => {
    expect(() => checkHistory(h(`0 invoke cas [1 2]\n0 ok cas [1 2]`), register())).toThrow(/line 1: register model: unknown operation "cas"/);
  });
});

describe("kv", () => {
  it("checks keys independently and names the failing key", () => {
    const text = `
      0 invoke put 1 "a"
      0 ok put 1 "a"
      1 invoke put 2 "b"
      1 ok put 2 "b"
      2 invoke get nil "a"
      2 ok get 1 "a"
      2 invoke get nil "b"
      2 ok get 1 "b"`;
    const result = checkHistory(h(text), kv());
    expect(result.verdict).toBe("illegal");
    expect(result.partitions).toHaveLength(2);
    if (result.verdict === "illegal") expect(result.failure.partition).toBe("b");
    expect(verdict(text.replace('2 ok get 1 "b"', '2 ok get 2 "b"'), kv())).toBe("ok");
  });

  it("reads keys from jepsen.independent [k v] tuples", () => {
    const text = `
      0 invoke write [1 5]
      0 ok write [1 5]
      1 invoke read [1 nil]
      1 ok read [1 5]
      1 invoke read [2 nil]
      1 ok read [2 5]`;
    expect(verdict(text, kv())).toBe("illegal");
    expect(verdict(text.replace("1 ok read [2 5]", "1 ok read [2 nil]"), kv())).toBe("ok");
  });

  it("appends to strings and lists, and checks cas", () => {
    const text = `
      0 invoke append "x" "k"
      0 ok append "x" "k"
      0 invoke append "y" "k"
      0 ok append "y" "k"
      1 invoke get nil "k"
      1 ok get "xy" "k"
      1 invoke cas ["xy" "z"] "k"
      1 ok cas ["xy" "z"] "k"
      1 invoke get nil "k"
      1 ok get "z" "k"`;
    expect(verdict(text, kv())).toBe("ok");
    expect(verdict(text.replace('1 ok get "xy" "k"', '1 ok get "yx" "k"'), kv())).toBe("illegal");
    expect(verdict(`0 invoke append 1 "k"\n0 ok append 1 "k"\n1 invoke get nil "k"\n1 ok get [1] "k"`, kv())).toBe("ok");
  });
});

describe("set", () => {
  it("checks read-all, contains and remove", () => {
    const text = `
      0 invoke add 1
      0 ok add 1
      1 invoke add 2
      2 invoke read nil
      2 ok read #{1}
      1 ok add 2
      2 invoke contains 2
      2 ok contains true
      0 invoke remove 1
      0 ok remove 1
      2 invoke read-all nil
      2 ok read-all [2]`;
    expect(verdict(text, set())).toBe("ok");
    expect(verdict(text.replace("2 ok read-all [2]", "2 ok read-all [1 2]"), set())).toBe("illegal");
    expect(verdict(text.replace("2 ok contains true", "2 ok contains false"), set())).toBe("illegal");
  });
});

describe("set without read-alls", () => {
  it("is checked per element", () => {
    const text = `
      0 invoke add 1
      0 ok add 1
      1 invoke add 2
      1 ok add 2
      0 invoke remove 1
      0 ok remove 1
      2 invoke contains 2
      2 ok contains true
      2 invoke contains 1
      2 ok contains X`;
    const ok = checkHistory(h(text.replace("X", "false")), set());
    expect(ok.verdict).toBe("ok");
    expect(ok.partitions.map((p) => p.key)).toEqual(["1", "2"]);
    const bad = checkHistory(h(text.replace("X", "true")), set());
    expect(bad.verdict).toBe("illegal");
    if (bad.verdict === "illegal") expect(bad.failure.partition).toBe("1");
  });
});

describe("queue", () => {
  it("is FIFO", () => {
    const text = `
      0 invoke enqueue 1
      0 ok enqueue 1
      0 invoke enqueue 2
      0 ok enqueue 2
      1 invoke dequeue nil
      1 ok dequeue X`;
    expect(verdict(text.replace("X", "1"), queue())).toBe("ok");
    expect(verdict(text.replace("X", "2"), queue())).toBe("illegal");
  });

  it("lets concurrent enqueues go in either order", () => {
    const text = `
      0 invoke enqueue 1
      1 invoke enqueue 2
      0 ok enqueue 1
      1 ok enqueue 2
      2 invoke dequeue nil
      2 ok dequeue 2
      2 invoke dequeue nil
      2 ok dequeue 1
      2 invoke dequeue nil
      2 ok dequeue nil`;
    expect(verdict(text, queue())).toBe("ok");
    expect(verdict(text.replace("2 ok dequeue nil", "2 ok dequeue 1"), queue())).toBe("illegal");
  });
});

describe("counter", () => {
  it("sums adds", () => {
    const text = `
      0 invoke add 2
      1 invoke read nil
      1 ok read X
      0 ok add 2
      0 invoke add 3
      0 ok add 3
      1 invoke read nil
      1 ok read 5`;
    expect(verdict(text.replace("X", "0"), counter())).toBe("ok");
    expect(verdict(text.replace("X", "2"), counter())).toBe("ok");
    expect(verdict(text.replace("X", "3"), counter())).toBe("illegal");
  });
});

describe("mutex", () => {
  it("rejects two holders at once", () => {
    const text = `
      0 invoke acquire nil
      0 ok acquire nil
      1 invoke acquire nil
      1 ok acquire nil`;
    expect(verdict(text, mutex())).toBe("illegal");
    const handover = `
      0 invoke acquire nil
      0 ok acquire nil
      1 invoke acquire nil
      0 invoke release nil
      0 ok release nil
      1 ok acquire nil`;
    expect(verdict(handover, mutex())).toBe("ok");
  });

  it("lets an info acquire not happen", () => {
    const text = `
      0 invoke acquire nil
      0 ok acquire nil
      1 invoke acquire nil
      1 info acquire nil`;
    expect(verdict(text, mutex())).toBe("ok");
  });
});

describe("multi-register", () => {
  it("applies txns atomically", () => {
    const text = `
      0 invoke txn [[:write :x 1] [:write :y 1]]
      1 invoke txn [[:read :x nil] [:read :y nil]]
      1 ok txn [[:read :x X] [:read :y Y]]
      0 ok txn [[:write :x 1] [:write :y 1]]`;
    const run = (x: string, y: string, model = multiRegister({ init: 0 })): string => verdict(text.replace("X", x).replace("Y", y), model);
    expect(run("1", "1")).toBe("ok");
    expect(run("0", "0")).toBe("ok");
    expect(run("1", "0")).toBe("illegal");
    // Knossos: a nil read checks nothing, unless nil is asked to be a value.
    expect(run("1", "nil")).toBe("ok");
    expect(run("1", "nil", multiRegister())).toBe("ok");
    expect(run("1", "nil", multiRegister({ nilRead: "value" }))).toBe("illegal");
  });
});

/**
 * Knossos's rules for Jepsen histories (knossos model.clj, history.clj), each pinned by a history
 * written here: a completed read of nil is a read whose value is unknown; `fail` did not happen;
 * `info` may have happened at any time after its invocation, or never.
 */
describe("Knossos's semantics", () => {
  const after = `
    0 invoke write 1
    0 ok write 1
    1 invoke read nil
    1 ok read nil`;

  it("takes a completed read of nil as an unknown read for register, cas-register and multi-register", () => {
    expect(verdict(after, register())).toBe("ok");
    expect(verdict(after, casRegister({ init: 0 }))).toBe("ok");
    const txn = `
      0 invoke txn [[:write :x 1]]
      0 ok txn [[:write :x 1]]
      1 invoke txn [[:read :x nil] [:read :y nil]]
      1 ok txn [[:read :x nil] [:read :y 0]]`;
    expect(verdict(txn, multiRegister({ init: 0 }))).toBe("ok");
    expect(verdict(txn.replace("[:read :y 0]", "[:read :y 1]"), multiRegister({ init: 0 }))).toBe("illegal");
  });

  it("takes nil as a value when asked to (nilRead: value), and by default for kv", () => {
    expect(verdict(after, register({ nilRead: "value" }))).toBe("illegal");
    expect(verdict(after, casRegister({ nilRead: "value" }))).toBe("illegal");
    const keyed = after.replace(/(write 1|read nil)$/gm, "$1 :k");
    expect(verdict(keyed, kv())).toBe("illegal");
    expect(verdict(keyed, kv({ nilRead: "unknown" }))).toBe("ok");
  });

  it("refuses nilRead for models without reads of a value", () => {
    expect(() => set({ nilRead: "value" })).toThrow(/set model has no reads of a nil value.*register, cas-register, multi-register, kv/);
    expect(() => queue({ nilRead: "unknown" })).toThrow(/queue model/);
    expect(() => counter({ nilRead: "unknown" })).toThrow(/counter model/);
    expect(() => mutex({ nilRead: "unknown" })).toThrow(/mutex model/);
    expect(() => register({ nilRead: "maybe" as "value" })).toThrow(/nilRead must be "unknown" or "value"/);
  });

  it("drops fail operations: they did not happen", () => {
    const write = `
      0 invoke write 1
      0 fail write 1
      1 invoke read nil
      1 ok read 1`;
    expect(verdict(write, casRegister({ init: 0 }))).toBe("illegal");
    const cas = `
      0 invoke cas [0 1]
      0 fail cas [0 1]
      1 invoke read nil
      1 ok read 1`;
    expect(verdict(cas, casRegister({ init: 0 }))).toBe("illegal");
    // And a failed read constrains nothing.
    expect(verdict(`0 invoke read nil\n0 fail read 5`, casRegister({ init: 0 }))).toBe("ok");
  });

  it("lets an info operation take effect at any time after its invocation, or never", () => {
    const late = `
      0 invoke write 1
      0 info write 1
      1 invoke write 2
      1 ok write 2
      2 invoke read nil
      2 ok read 1`;
    expect(verdict(late, casRegister({ init: 0 }))).toBe("ok");
    const never = `
      0 invoke write 1
      0 info write 1
      2 invoke read nil
      2 ok read 0`;
    expect(verdict(never, casRegister({ init: 0 }))).toBe("ok");
    const infoCas = `
      0 invoke cas [0 1]
      0 info cas [0 1]
      1 invoke read nil
      1 ok read 0
      1 invoke read nil
      1 ok read 1`;
    expect(verdict(infoCas, casRegister({ init: 0 }))).toBe("ok");
  });

  it("never lets an info operation take effect before its invocation", () => {
    const early = `
      1 invoke read nil
      1 ok read 1
      0 invoke write 1
      0 info write 1`;
    expect(verdict(early, casRegister({ init: 0 }))).toBe("illegal");
  });
});

describe("the explanation of an illegal history", () => {
  it("is worked out only when read, so the verdict never waits for it", () => {
    let described = 0;
    const base = casRegister({ init: 0 });
    const counting = {
      ...base,
      describeState: (s: Parameters<typeof base.describeState>[0]) => {
        described++;
        return base.describeState(s);
      },
    };
    const result = checkHistory(h(`0 invoke write 1\n0 ok write 1\n1 invoke read nil\n1 ok read 2`), counting);
    expect(result.verdict).toBe("illegal");
    expect(described).toBe(0);
    if (result.verdict !== "illegal") return;
    expect(result.failure.stateAfterPrefix).toBe("1");
    expect(described).toBeGreaterThan(0);
    const after = described;
    expect(result.explanation).toBe(result.explanation);
    expect(described).toBe(after);
  });

  it("is in the result's JSON, as the witness order of a linearizable one is", () => {
    const illegal = JSON.parse(JSON.stringify(checkHistory(h(`0 invoke write 1\n0 ok write 1\n1 invoke read nil\n1 ok read 2`), casRegister({ init: 0 }))));
    expect(illegal.verdict).toBe("illegal");
    expect(illegal.failure.stateAfterPrefix).toBe("1");
    expect(illegal.explanation).toMatch(/read -> 2 is impossible in state 1/);
    const ok = JSON.parse(JSON.stringify(checkHistory(h(`0 invoke write 1\n0 ok write 1\n1 invoke read nil\n1 ok read 1`), casRegister({ init: 0 }))));
    expect(ok).toMatchObject({ verdict: "ok", linearization: [0, 1] });
  });
});
