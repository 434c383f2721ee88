// Message handlers' variables bound from the message's fields (src/eval/field-binding.ts): the
// search must see the same steps, with the same labels, in the same order, as when every
// binding is tried. The reference is the same spec whose handlers start with `TRUE`, which the
// precheck does not look past, so it enumerates and calls the body for every binding.
import { describe, expect, it } from "vitest";
import { checkModel } from "../../src/api.js";
import type { SearchObserver } from "../../src/check/explorer.js";
import type { ActionLabel, CompiledModel, State } from "../../src/model.js";
import { formatLabel } from "../../src/trace/label.js";
import { load } from "../core/helpers.js";

const spec = (first: string): string => `---- MODULE Fields ----
EXTENDS Naturals, Sequences
CONSTANTS S1, S2, S3, Start
Server == {S1, S2, S3}
Req == "req"
VARIABLES msgs, log
Init == /\\ msgs = Start
        /\\ log = <<>>
Send(m, old) == msgs' = (msgs \\ {old}) \\cup {m}
Handle(i, j, m) ==${first}
  /\\ m.type = Req
  /\\ m.dest = i
  /\\ m.src = j
  /\\ log' = Append(log, <<i, j, m.n>>)
  /\\ Send([type |-> Req, dest |-> j, src |-> i, n |-> m.n + 1], m)
Count(k, m) ==${first}
  /\\ m.type = "num"
  /\\ m.n = k
  /\\ log' = Append(log, k)
  /\\ msgs' = msgs \\ {m}
Next == \\/ \\E i, j \\in Server, m \\in msgs : Handle(i, j, m)
        \\/ \\E k \\in 0..3, m \\in msgs : Count(k, m)
        \\/ \\E i \\in Server, m \\in msgs, j \\in Server : Handle(i, j, m)
Small == Len(log) <= 4
Msgs == {[type |-> Req, dest |-> S1, src |-> S2, n |-> 0],
         [type |-> Req, dest |-> S3, src |-> S3, n |-> 5],
         [type |-> "ack", n |-> 0],
         [type |-> Req, dest |-> "S1", src |-> S2, n |-> 0],
         [type |-> "num", n |-> 2]}
Odd == Msgs \\cup {[type |-> "num", n |-> "two"]}
====
`;

const cfg = (start: string): string => `CONSTANTS S1 = S1  S2 = S2  S3 = S3  Start <- ${start}\nINIT Init\nNEXT Next\nCONSTRAINT Small\nCHECK_DEADLOCK FALSE\n`;
/** The handlers as written (the precheck and the field binding apply), or starting with TRUE (neither does). */
const PLAN = "";
const EVERY = "\n  /\\ TRUE";

/** Every step of a search, in order: the labels of each expansion and each successor. */
async function steps(model: CompiledModel): Promise<{ result: unknown; log: string[] }> {
  const log: string[] = [];
  const observer: SearchObserver = {
    expanding(from: State | null, level: number, labels: readonly ActionLabel[]) {
      log.push(`${level} ${from === null ? "init" : from.map((v) => model.values.format(v)).join(" ")}: ${labels.map((l) => formatLabel(l, model.values)).join("; ")}`);
    },
    transition(_from, index, next) {
      log.push(`  ${index} -> ${next.map((v) => model.values.format(v)).join(" ")}`);
    },
  };
  const r = await checkModel(model, { deadlock: false, observer });
  return { result: { verdict: r.verdict, distinct: r.distinct, generated: r.generated, depth: r.depth, error: r.error?.message }, log };
}

// Two full searches per case: slow on a loaded 2-core machine.
describe("handler variables bound from message fields", { timeout: 60_000 }, () => {
  it("takes the same steps in the same order as trying every binding", async () => {
    const plan = await steps(await load(spec(PLAN), cfg("Msgs")));
    const every = await steps(await load(spec(EVERY), cfg("Msgs")));
    expect(plan.result).toMatchObject({ verdict: "ok" });
    expect(plan.result).toEqual(every.result);
    expect(plan.log).toEqual(every.log);
    // The comparison covered steps of both handlers and of both binding orders.
    expect(plan.log.some((l) => l.includes("Handle(i = S3, j = S3, m = "))).toBe(true);
    // The third disjunct (m bound before j: no field binding) repeats the first one's steps.
    expect(plan.log.some((l) => l.split("Handle(i = S1, j = S2, m = ").length === 3)).toBe(true);
    expect(plan.log.some((l) => l.includes("Count(k = 2"))).toBe(true);
  });

  it("leaves a message whose field cannot be compared at once to the handler, which fails at the same binding", async () => {
    // n |-> "two" against k \in 0..3: a string and numbers, which TLC refuses to compare.
    const plan = await steps(await load(spec(PLAN), cfg("Odd")));
    const every = await steps(await load(spec(EVERY), cfg("Odd")));
    expect(plan.result).toMatchObject({ verdict: "error" });
    expect(plan.result).toEqual(every.result);
    expect(plan.log).toEqual(every.log);
  });
});
