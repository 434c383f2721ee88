// States in the binary batch form of src/values/wire.ts (work handed between worker threads):
// every kind of value comes back equal, with the same fingerprint and text, in canonical order
// without sorting again, and a value shared between states of a batch is rebuilt once.
import { describe, expect, it } from "vitest";
import { valueOps } from "../../src/values/ops.js";
import { Fcn, type Val } from "../../src/values/value.js";
import { decodeStates, encodeStates } from "../../src/values/wire.js";
import { value } from "./helpers.js";

const EXPRS = [
  "TRUE",
  "FALSE",
  "0",
  "-7",
  "2^40",
  "-(2^40)",
  '"msg"',
  '""',
  "a",
  "{}",
  "{3, 1, 2}",
  "{a, b, c}",
  '{{}, {1}, {"x", "y"}}',
  "<<>>",
  "<<1, a, <<2, b>>>>",
  '[type |-> "req", dest |-> a, n |-> 0]',
  '[x \\in {a, b} |-> {x}]',
  "[n \\in 0..2 |-> n * n]",
  "(2 :> a @@ 5 :> b)",
  '{[type |-> "req", dest |-> b], [type |-> "req", dest |-> a]}',
  "[i \\in {a, b} |-> [j \\in {a, b} |-> <<>>]]",
  "1..3",
];

describe("states in batch form", () => {
  it("come back equal, with the same fingerprints and text", async () => {
    const vals = await Promise.all(EXPRS.map((e) => value(e) as Promise<Val>));
    const states = [vals.slice(0, 11), vals.slice(11)]; // two states of 11 variables
    const batch = encodeStates(states, 11);
    // The buffer is standalone (what postMessage transfers).
    expect(batch.bytes.byteLength).toBeGreaterThan(0);
    const back = decodeStates(structuredClone(batch));
    expect(back).toHaveLength(2);
    for (let s = 0; s < 2; s++) {
      for (let i = 0; i < 11; i++) {
        const [v, w] = [states[s]![i]!, back[s]![i]!];
        // An interval comes back as the finite set it equals (as through the portable form); the
        // text of traces never depends on it (they are rebuilt by re-running the model).
        expect(valueOps.format(w)).toBe(valueOps.format(v) === "1..3" ? "{1, 2, 3}" : valueOps.format(v));
        expect(valueOps.equals(w, v)).toBe(true);
        expect(valueOps.fingerprint(w)).toBe(valueOps.fingerprint(v));
      }
    }
  });

  it("rebuilds a value shared by several states once, and records on the shared domain", async () => {
    const shared = (await value("[i \\in {a, b} |-> <<i, 1>>]")) as Fcn;
    const rec = (await value('[type |-> "req", dest |-> a]')) as Fcn;
    const other = (await value('[type |-> "ack", dest |-> b]')) as Fcn;
    const back = decodeStates(encodeStates([[shared, rec], [shared, other]], 2));
    expect(back[1]![0]).toBe(back[0]![0]);
    // Equal records of this thread and of the batch share one domain array, as built here.
    expect((back[0]![1] as Fcn).dom).toBe(rec.dom);
    expect((back[1]![1] as Fcn).dom).toBe(rec.dom);
    expect(valueOps.format(back[1]![1]!)).toBe('[type |-> "ack", dest |-> b]');
  });

  it("refuses a state of the wrong width and values that cannot be sent, naming them", async () => {
    expect(() => encodeStates([[1, 2]], 3)).toThrow(/2 variables, expected 3/);
    const nat = (await value("Nat")) as Val;
    expect(() => encodeStates([[nat]], 1)).toThrow(/Nat/);
  });
});
