/**
 * Datadriven scenario scripts, one per feature, in test/testdata/*.txt (the testkit's
 * `ClusterInterpreter` commands; `cluster n1 n2 n3 tm=n1 [unsafe=forgetDecisionOnRestart]`,
 * `request <node> <client> <seq> txn [refuse...] | abort <txn> | decisions <at>`, timers
 * `vote:<txn>`, `resend:<txn>`, `inquire:<txn>`). Regenerate after an intended behaviour change
 * with `REWRITE=1 npx vitest run test/scenarios.test.ts` and review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "@synod/protocol";
import { ClusterInterpreter, runScript, TestCluster, type ScriptProtocol } from "@synod/testkit";
import { describe, expect, test } from "vitest";
import { createNode, ResourceManager, TransactionManager, type TwoPcCommand, type TwoPcMessage, type TwoPcNode, type TwoPcResult } from "../src/index.js";

const protocol: ScriptProtocol<TwoPcMessage, TwoPcCommand, TwoPcResult, TwoPcNode> = {
  cluster(ids, options: Record<string, Json>, seed) {
    const { tm, unsafe, ...rest } = options as { tm?: string; unsafe?: Record<string, boolean> } & Record<string, Json>;
    if (typeof tm !== "string") throw new Error("cluster: name the TM with tm=<node>");
    const rms = ids.filter((x) => x !== tm);
    return new TestCluster({ ids, seed, create: (id) => createNode(id, { tm, rms, ...(rest as object), ...(unsafe ?? {}) }) });
  },
  defaultTimer: "inquire:0.1",
  messageType: (m) => m.type,
  formatMessage: (m) => `${m.type} ${m.txn}${m.type === "Prepare" && m.refuse ? " refuse" : ""}`,
  parseCommand(op, args): TwoPcCommand {
    switch (op) {
      case "txn":
        return { op: "txn", refuse: args };
      case "abort":
        return { op: "abort", txn: args[0] ?? "" };
      case "decisions":
        return { op: "decisions", at: args[0] ?? "" };
      default:
        throw new Error(`unknown op ${op} (txn, abort, decisions)`);
    }
  },
  formatApplied: () => "",
  status(node, id) {
    if (node instanceof TransactionManager) return `${id} tm incarnation=${node.incarnation} ${JSON.stringify(node.decisions())}`;
    return `${id} rm ${JSON.stringify((node as ResourceManager).decisions())}`;
  },
  afterStep(c) {
    const states = new Map<string, Set<string>>();
    for (const [id, n] of c.nodes) {
      if (!(n instanceof ResourceManager)) continue;
      for (const [txn, r] of Object.entries(n.decisions())) states.set(txn, (states.get(txn) ?? new Set()).add(`${id}:${r.state}`));
    }
    for (const [txn, s] of states) {
      const all = [...s];
      if (all.some((x) => x.endsWith(":committed")) && all.some((x) => x.endsWith(":aborted"))) return `SAFETY VIOLATION atomicity of ${txn}: ${all.sort().join(" ")}`;
    }
    return null;
  },
};

const dir = join(import.meta.dirname, "testdata");
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

describe("scenario scripts", () => {
  test("there are scripts", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    test(f, () => {
      const failures = runScript(join(dir, f), new ClusterInterpreter(protocol));
      expect(failures.join("\n\n")).toBe("");
    });
  }
});
