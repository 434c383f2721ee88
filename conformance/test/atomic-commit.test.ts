/**
 * The atomic-commitment judge on hand-made histories: each promise broken once, and the history
 * that keeps them all.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { atomicCommitment, loadKits, type HistoryEvent } from "../src/index.js";

type Rec = { state: string; vote: string };
let t = 0;
const ev = (process: string, type: "invoke" | "ok" | "fail" | "info", f: string, value: unknown): HistoryEvent => ({ process, type, f, value, timeNs: ++t }) as unknown as HistoryEvent;
const txn = (p: string, refuse: string[], result: { txn: string; outcome: string } | null): HistoryEvent[] => [
  ev(p, "invoke", "txn", { refuse }),
  result === null ? ev(p, "info", "txn", null) : ev(p, "ok", "txn", result),
];
const read = (p: string, node: string, decisions: Record<string, Rec>): HistoryEvent[] => [
  ev(p, "invoke", "decisions", null),
  ev(p, "ok", "decisions", { node, role: "participant", decisions }),
];
const judge = atomicCommitment();
const check = (h: HistoryEvent[]) => judge.check(h, { timeoutMs: 1000 });
const yes = (state: string): Rec => ({ state, vote: "yes" });

describe("the atomic-commitment judge", () => {
  it("accepts all-or-nothing transactions with unanimous yes votes", () => {
    const h = [
      ...txn("c0", [], { txn: "0.1", outcome: "committed" }),
      ...txn("c1", ["n3"], { txn: "0.2", outcome: "aborted" }),
      ...txn("c2", [], null),
      ...read("f0", "n2", { "0.1": yes("committed"), "0.2": yes("aborted"), "0.3": { state: "aborted", vote: "none" } }),
      ...read("f1", "n3", { "0.1": yes("committed"), "0.2": { state: "aborted", vote: "no" } }),
    ];
    expect(check(h)).toEqual({ verdict: "ok", detail: "3 transactions, atomic (2 participants read)" });
  });

  it("finds a transaction committed at one participant and aborted at another", () => {
    const h = [...read("f0", "n2", { "0.1": yes("committed") }), ...read("f1", "n3", { "0.1": yes("aborted") })];
    const v = check(h);
    expect(v.verdict).toBe("violation");
    expect(v.verdict === "violation" && v.explanation).toMatch(/0\.1 is not all-or-nothing: participant n2 .* committed .* participant n3 .* aborted/);
  });

  it("finds a client told committed while a participant aborted", () => {
    const h = [...txn("c0", [], { txn: "0.1", outcome: "committed" }), ...read("f0", "n2", { "0.1": yes("aborted") })];
    expect(check(h)).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/the client's answer says committed/) });
  });

  it("finds a commit without every yes vote: a participant with no record, or one asked to refuse", () => {
    const missing = [...read("f0", "n2", { "0.1": yes("committed") }), ...read("f1", "n3", {})];
    expect(check(missing)).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/without every yes vote: .* n3 has no record/) });
    const refused = [...txn("c0", ["n3"], { txn: "0.1", outcome: "committed" }), ...read("f0", "n2", { "0.1": yes("committed") }), ...read("f1", "n3", { "0.1": yes("committed") })];
    expect(check(refused)).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/asked n3 to vote no/) });
  });

  it("finds a participant still in doubt after recovery", () => {
    const h = [...read("f0", "n2", { "0.1": yes("prepared") })];
    expect(check(h)).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/still in doubt/) });
  });

  it("refuses a history it cannot judge instead of passing it", () => {
    expect(check([ev("c0", "invoke", "read", null), ev("c0", "ok", "read", 1)])).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/malformed.*"read"/) });
    expect(check([...txn("c0", [], { txn: "0.1", outcome: "committed" })])).toMatchObject({ verdict: "violation", explanation: expect.stringMatching(/no participant's decisions were read/) });
  });
});

describe("the registry", () => {
  it("accepts protocol names that start with a digit (2pc, 3pc)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kit-"));
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "x", synod: { kit: "./kit.mjs" } }));
    await writeFile(join(dir, "kit.mjs"), "export const kit = { name: '3pc' };\n");
    const root = fileURLToPath(new URL("../template/", import.meta.url));
    // The name passes; the next complaint is about the rest of the (empty) descriptor.
    await expect(loadKits({ root, packageDirs: [dir] })).rejects.toThrow(/kit\.mjs: (?!kit\.name)/);
  });
});
