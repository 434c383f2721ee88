/**
 * Datadriven scenario scripts, one per feature, in test/testdata/*.txt (the testkit's
 * `ClusterInterpreter` commands). `cluster n1 n2 n3 [option=value ...]` takes the node's options
 * (`swim=off` for a static membership, `unsafe=skipMerkleRange`); `request <node> <client> <seq>
 * update <key> <n>` increments a G-Counter key, `read <key>` reads it; timers are `gossip`,
 * `anti-entropy`, `probe`, `probe-timeout`, `suspect:<node>`. Regenerate after an intended
 * behaviour change with `REWRITE=1 npx vitest run test/scenarios.test.ts` and review the diff.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "@synod/protocol";
import { ClusterInterpreter, runScript, TestCluster, type ScriptProtocol } from "@synod/testkit";
import { describe, expect, test } from "vitest";
import { GossipNode, type GossipCommand, type GossipMessage, type GossipResult, type MemberUpdate } from "../src/index.js";
import { testCounter } from "./support/gcounter.js";

const updates = (us: MemberUpdate[]): string => (us.length === 0 ? "" : ` [${us.map((u) => `${u.kind} ${u.node}#${u.incarnation}`).join(", ")}]`);

function formatMessage(m: GossipMessage): string {
  switch (m.type) {
    case "Ping":
    case "Ack":
      return `${m.type} seq=${m.seq}${updates(m.updates)}`;
    case "PingReq":
      return `PingReq seq=${m.seq} target=${m.target}${updates(m.updates)}`;
    case "Rumor": {
      const flags = [m.pull ? " pull" : "", m.feedback ? " feedback" : ""].join("");
      return `Rumor deltas=[${m.deltas.map((d) => `${d.key}:${d.dot.origin}/${d.dot.seq}`).join(" ")}] known=[${m.known.map((d) => `${d.key}:${d.origin}/${d.seq}`).join(" ")}]${flags}`;
    }
    case "AeHashes":
      return `AeHashes level=${m.level} nodes=[${m.hashes.map(([i]) => i).join(" ")}]`;
    case "AeEntries":
      return `AeEntries leaves=${m.leaves === null ? "all" : `[${m.leaves.join(" ")}]`} keys=[${m.entries.map((e) => e.key).join(" ")}]${m.reply ? " reply" : ""}`;
  }
}

const protocol: ScriptProtocol<GossipMessage, GossipCommand, GossipResult, GossipNode> = {
  cluster(ids, options: Record<string, Json>, seed) {
    const { swim, ...rest } = options;
    return new TestCluster({ ids, seed, create: (id, peers, rng) => new GossipNode({ id, peers, rng, options: { payload: testCounter, ...(rest as object), ...(swim === "off" ? { swim: null } : {}) } }) });
  },
  defaultTimer: "gossip",
  messageType: (m) => m.type,
  formatMessage,
  parseCommand(op, args): GossipCommand {
    switch (op) {
      case "update":
        return { op: "update", key: args[0] ?? "", update: { inc: Number(args[1] ?? 1) } };
      case "read":
        return { op: "read", key: args[0] ?? "" };
      default:
        throw new Error(`unknown op ${op} (update <key> <n>, read <key>)`);
    }
  },
  formatApplied: () => "",
  status(node, id) {
    const keys = node.keys().map((k) => `${k}=${JSON.stringify(node.read(k))}${JSON.stringify(node.versionVector(k))}`);
    const members = node.members().map((m) => `${m.id}:${m.status}#${m.incarnation}`);
    return `${id} ${keys.join(" ") || "(empty)"} members=${members.join(",")} hot=${node.backlog().hotRumors}`;
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
