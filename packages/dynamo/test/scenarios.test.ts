/**
 * Datadriven scenario scripts, one per feature, in test/testdata/*.txt (the testkit's
 * `ClusterInterpreter` commands; `cluster n1 n2 n3 [n=3 r=2 w=2 sloppy=true ...]` takes the node
 * options, `request <node> <client> <seq> get <key> | put <key> <value> [<context json>]`, timers
 * `tick`, `timeout:<req>`, `retarget:<req>`). A sibling prints as `<dot>=<value>`. Regenerate
 * after an intended behaviour change with `REWRITE=1 npx vitest run test/scenarios.test.ts` and
 * review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "@synod/protocol";
import { ClusterInterpreter, runScript, TestCluster, type ScriptProtocol } from "@synod/testkit";
import { describe, expect, test } from "vitest";
import { DynamoNode, formatDot, type DynamoCommand, type DynamoMessage, type DynamoResult, type Sibling, type VersionVector } from "../src/index.js";

const sibs = (s: readonly Sibling[]): string => `[${s.map((x) => `${formatDot(x.dot)}=${x.value}`).join(" ")}]`;

const protocol: ScriptProtocol<DynamoMessage, DynamoCommand, DynamoResult, DynamoNode> = {
  cluster(ids, options: Record<string, Json>, seed) {
    const { unsafe, ...rest } = options as { unsafe?: Record<string, boolean> } & Record<string, Json>;
    return new TestCluster({ ids, seed, create: (id, _peers, rng) => new DynamoNode(id, { nodes: ids, ...(rest as object), ...(unsafe ?? {}) }, rng) });
  },
  defaultTimer: "tick",
  messageType: (m) => m.type,
  formatMessage(m) {
    switch (m.type) {
      case "Replicate":
        return `Replicate ${m.key} ${sibs(m.siblings)}${m.hint === null ? "" : ` hint=${m.hint}`}${m.req === null ? " (repair)" : ""}`;
      case "ReadReply":
      case "Handoff":
        return `${m.type} ${m.key} ${sibs(m.siblings)}`;
      case "ReplicateAck":
      case "Read":
        return `${m.type} ${m.key}`;
      case "HandoffAck":
        return `HandoffAck ${m.key} ${m.digest}`;
      case "Ping":
      case "Pong":
        return m.type;
      case "TreeLevel":
        return `TreeLevel ${m.level} (${m.nodes.length} hashes)`;
      case "TreeLeaves":
        return `TreeLeaves ${m.entries.map(([k, s]) => `${k}${sibs(s)}`).join(" ")}${m.answer ? " answer" : ""}`;
    }
  },
  parseCommand(op, args): DynamoCommand {
    switch (op) {
      case "get":
        return { op: "get", key: args[0] ?? "" };
      case "put":
        return { op: "put", key: args[0] ?? "", value: args[1] ?? "", context: args[2] === undefined ? {} : (JSON.parse(args[2]) as VersionVector) };
      default:
        throw new Error(`unknown op ${op} (get, put)`);
    }
  },
  formatPersist(node, w) {
    if ("delete" in w) return `${node} delete ${w.key}`;
    return `${node} persist ${w.key} ${sibs(w.value as unknown as Sibling[])}`;
  },
  formatApplied: () => "",
  status(node, id) {
    const kv = node.keys().map((k) => `${k}${sibs(node.local(k))}`).join(" ");
    const hints = [...node.hintsHeld()].map(([o, ks]) => `${o}:${ks.join(",")}`).join(" ");
    return `${id} kv{${kv}} hints{${hints}} suspects[${node.suspects().join(" ")}]`;
  },
};

const dir = join(import.meta.dirname, "testdata");
const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();

describe("scenario scripts", () => {
  test("there are scripts", () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });
  for (const f of files) {
    test(f, () => {
      const failures = runScript(join(dir, f), new ClusterInterpreter(protocol));
      expect(failures.join("\n\n")).toBe("");
    });
  }
});
