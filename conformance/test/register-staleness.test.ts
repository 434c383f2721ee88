/**
 * Register and kv histories (the shapes of Knossos's and Porcupine's public data) through the
 * staleness judge: the ground truth of definitely stale reads, and the conversion to the judge's
 * multi-value vocabulary.
 */
import { describe, expect, it } from "vitest";
import { parseEdnHistory } from "@synod/lincheck";
import { definitelyStaleReads, registerToMv, stalenessReport, boundedStaleness, type HistoryEvent } from "../src/index.js";

const WEAK = { n: 3, r: 1, w: 1, sloppy: false, readRepair: "async" };
const STRICT = { n: 3, r: 2, w: 2, sloppy: false, readRepair: "blocking" };
const edn = (rows: string[]): HistoryEvent[] => parseEdnHistory(rows.join("\n"), "h.edn") as unknown as HistoryEvent[];
const judgedStale = (h: HistoryEvent[], flavour: "register" | "kv", init: unknown): number[] => {
  const c = registerToMv(h, flavour, init as never, WEAK);
  return stalenessReport(c.history).reads.filter((r) => !r.fresh).map((r) => c.readPosition.get(r.atMs) as number);
};

describe("public register histories and the staleness judge", () => {
  it("a linearizable history with concurrent writes has no stale read, and passes lincheck as a multi-value register", () => {
    const h = edn([
      "{:process 0, :type :invoke, :f :write, :value 1}",
      "{:process 1, :type :invoke, :f :write, :value 2}",
      "{:process 0, :type :ok, :f :write, :value 1}",
      "{:process 1, :type :ok, :f :write, :value 2}",
      "{:process 2, :type :invoke, :f :read, :value nil}",
      "{:process 2, :type :ok, :f :read, :value 1}",
      "{:process 2, :type :invoke, :f :read, :value nil}",
      "{:process 2, :type :ok, :f :read, :value 1}",
    ]);
    expect(definitelyStaleReads(h, "register", 0).stale).toEqual([]);
    expect(judgedStale(h, "register", 0)).toEqual([]);
    expect(boundedStaleness().check(registerToMv(h, "register", 0, STRICT).history, { timeoutMs: 5000 }).verdict).toBe("ok");
  });

  it("a read of a value overwritten before it began is stale, for the ground truth and for the judge", () => {
    const h = edn([
      "{:process 0, :type :invoke, :f :write, :value 1}",
      "{:process 0, :type :ok, :f :write, :value 1}",
      "{:process 0, :type :invoke, :f :cas, :value [1 2]}",
      "{:process 0, :type :ok, :f :cas, :value [1 2]}",
      "{:process 1, :type :invoke, :f :read, :value nil}",
      "{:process 1, :type :ok, :f :read, :value 1}",
    ]);
    expect(definitelyStaleReads(h, "register", 0).stale).toEqual([4]);
    expect(judgedStale(h, "register", 0)).toEqual([4]);
    expect(boundedStaleness().check(registerToMv(h, "register", 0, STRICT).history, { timeoutMs: 5000 }).verdict).toBe("violation");
  });

  it("ignores a cas that did not apply (fail, or Jepsen's etcd logs' ok false) and Knossos's nil reads", () => {
    const h = edn([
      "{:process 0, :type :invoke, :f :write, :value 1}",
      "{:process 0, :type :ok, :f :write, :value 1}",
      "{:process 0, :type :invoke, :f :cas, :value [3 2]}",
      "{:process 0, :type :ok, :f :cas, :value false}",
      "{:process 0, :type :invoke, :f :cas, :value [4 2]}",
      "{:process 0, :type :fail, :f :cas, :value [4 2]}",
      "{:process 1, :type :invoke, :f :read, :value nil}",
      "{:process 1, :type :ok, :f :read, :value 1}",
      "{:process 1, :type :invoke, :f :read, :value nil}",
      "{:process 1, :type :ok, :f :read, :value nil}",
    ]);
    const gt = definitelyStaleReads(h, "register", 0);
    expect([gt.reads, gt.stale, gt.unwritten]).toEqual([1, [], []]);
    expect(judgedStale(h, "register", 0)).toEqual([]);
  });

  it("reads a kv string by the append that ends it: a string missing an acknowledged append is stale", () => {
    const h = edn([
      '{:process 0, :type :invoke, :f :append, :key "k", :value "x 0 0 y"}',
      '{:process 0, :type :ok, :f :append, :key "k", :value "x 0 0 y"}',
      '{:process 0, :type :invoke, :f :append, :key "k", :value "x 0 1 y"}',
      '{:process 0, :type :ok, :f :append, :key "k", :value "x 0 1 y"}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 1, :type :ok, :f :get, :key "k", :value "x 0 0 y"}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 1, :type :ok, :f :get, :key "k", :value "x 0 0 yx 0 1 y"}',
      '{:process 1, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 1, :type :ok, :f :get, :key "k", :value "x 9 9 y"}',
    ]);
    const gt = definitelyStaleReads(h, "kv", "");
    expect([gt.stale, gt.unwritten]).toEqual([[4], [8]]);
    expect(judgedStale(h, "kv", "").filter((p) => p !== 8)).toEqual([4]);
    expect(stalenessReport(registerToMv(h, "kv", "", WEAK).history).violation).toContain('which no write of k wrote');
  });
});
