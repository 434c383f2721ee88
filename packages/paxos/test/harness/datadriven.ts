/**
 * Multi-Paxos's scenario scripts (`test/testdata/*.txt`) on the testkit's datadriven runner. The
 * shared commands (cluster, tick, deliver, drop, stabilize, isolate, heal, request, crash, restart,
 * corrupt, status, storage, pending, ...) are documented in `@synod/testkit`; Multi-Paxos adds:
 *
 *   request <node> <client> <seq> <op> [args...]  put k v | get k | delete k | cas k <expected|-> v
 *   log <node>                            the node's accepted votes and chosen values per instance
 *   kv <node>                             its key-value pairs
 *
 * After every command that steps nodes, no two nodes may have learned different values for one
 * instance (against every value ever learned in the script); a violation prints `SAFETY VIOLATION`.
 */
import type { DurableWrite, NodeId } from "@synod/protocol";
import { ClusterInterpreter, runScript as runWith, TestCluster, type ScriptProtocol } from "@synod/testkit";
import { formatBallot } from "../../src/ballot.js";
import { createMultiPaxosNode, type MultiPaxosKvNode } from "../../src/node.js";
import type { PaxosMessage } from "../../src/messages.js";
import type { Ballot, KvCommand, KvResult, LogValue, MultiPaxosOptions } from "../../src/types.js";

type Cluster = TestCluster<PaxosMessage, KvCommand, KvResult, MultiPaxosKvNode>;

function fmtCmd(c: KvCommand): string {
  switch (c.op) {
    case "get":
    case "delete":
      return `${c.op} ${c.key}`;
    case "put":
      return `put ${c.key} ${c.value}`;
    case "cas":
      return `cas ${c.key} ${c.expected ?? "-"} ${c.value}`;
  }
}

function fmtValue(v: LogValue): string {
  switch (v.type) {
    case "noop":
      return "noop";
    case "kv":
      return `${v.clientId}#${v.seq} ${fmtCmd(v.command)}`;
    case "decree":
      return `decree ${v.value}`;
  }
}

const b = (x: Ballot): string => formatBallot(x);

/** One line per message, e.g. `n1->n2 Accept b=1.n1 commit=0 t=0 [1: c1#1 put a 1]`. */
export function fmtMessage(m: PaxosMessage): string {
  switch (m.type) {
    case "Prepare":
      return `Prepare b=${b(m.ballot)} from=${m.fromSlot} t=${m.time}`;
    case "Promise":
      return `Promise b=${b(m.ballot)} from=${m.fromSlot} t=${m.time} [${m.accepted.map((a) => `${a.slot}@${b(a.ballot)}: ${fmtValue(a.value)}`).join(", ")}]`;
    case "Accept":
      return `Accept b=${b(m.ballot)} commit=${m.commit} t=${m.time}${m.proposals.length ? ` [${m.proposals.map((p) => `${p.slot}: ${fmtValue(p.value)}`).join(", ")}]` : ""}`;
    case "Accepted":
      return `Accepted b=${b(m.ballot)} slots=[${m.slots.join(",")}] learned=${m.learned} commit=${m.commit} t=${m.time}`;
    case "Nack":
      return `Nack b=${b(m.ballot)} promised=${b(m.promised)}`;
    case "Learn":
      return `Learn [${m.entries.map((e) => `${e.slot}: ${fmtValue(e.value)}`).join(", ")}]`;
    case "PreVote":
      return `PreVote b=${b(m.ballot)}`;
    case "PreVoteReply":
      return `PreVoteReply b=${b(m.ballot)} ${m.granted ? "granted" : "refused"}`;
  }
}

function parseCommand(op: string, args: string[]): KvCommand {
  const a = (k: number): string => {
    const x = args[k];
    if (x === undefined) throw new Error(`${op}: missing argument ${k + 1}`);
    return x;
  };
  switch (op) {
    case "get":
    case "delete":
      return { op, key: a(0) };
    case "put":
      return { op, key: a(0), value: a(1) };
    case "cas":
      return { op, key: a(0), expected: a(1) === "-" ? null : a(1), value: a(2) };
    default:
      throw new Error(`unknown request op '${op}'`);
  }
}

function fmtPersist(node: NodeId, w: DurableWrite): string {
  const key = w.key.replace(/^paxos\//, "").replace(/\/0*(\d)/, "/$1");
  if ("delete" in w) return `${node} delete ${key}`;
  if (w.key === "paxos/promised") return `${node} persist promised ${b(w.value as unknown as Ballot)}`;
  if (w.key.startsWith("paxos/accepted/")) {
    const v = w.value as unknown as { ballot: Ballot; value: LogValue };
    return `${node} persist ${key} @${b(v.ballot)} ${fmtValue(v.value)}`;
  }
  if (w.key.startsWith("paxos/chosen/")) return `${node} persist ${key} ${fmtValue(w.value as unknown as LogValue)}`;
  return `${node} persist ${key}`;
}

function status(n: MultiPaxosKvNode, id: NodeId): string {
  const s = n.inspect();
  return `${id} ${s.role} promised=${b(s.promised)} leader=${s.leaderId ?? "-"} learned=${s.learnedIndex}${s.role === "leader" ? ` proposals=[${Object.keys(s.proposals).join(",")}] lease=${n.leaseValid() ? "valid" : "none"}` : ""}`;
}

function paxosScript(): ScriptProtocol<PaxosMessage, KvCommand, KvResult, MultiPaxosKvNode> {
  let everChosen = new Map<number, string>();
  return {
    cluster: (ids, options, seed) => {
      everChosen = new Map();
      return new TestCluster({ ids, seed, create: (id, peers, rng) => createMultiPaxosNode({ id, peers, rng, options: options as Partial<MultiPaxosOptions> }) });
    },
    defaultTimer: "election",
    messageType: (m) => m.type,
    formatMessage: fmtMessage,
    parseCommand,
    formatPersist: fmtPersist,
    formatApplied: (a) => `${a.index} ${fmtCmd(a.command)} -> ${JSON.stringify(a.result)}`,
    status,
    afterStep: (c) => {
      for (const id of (c as Cluster).live()) {
        for (const [slot, v] of (c as Cluster).node(id).protocol.chosen) {
          const text = fmtValue(v);
          const had = everChosen.get(slot);
          if (had === undefined) everChosen.set(slot, text);
          else if (had !== text) return `SAFETY VIOLATION ${id} learned "${text}" in instance ${slot}, another node "${had}"`;
        }
      }
      return null;
    },
    commands: {
      log: (args, c) => {
        const s = c.node(args[0] as string).inspect();
        const slots = [...new Set([...Object.keys(s.accepted), ...Object.keys(s.chosen)].map(Number))].sort((x, y) => x - y);
        if (slots.length === 0) return "(empty)";
        return slots
          .map((k) => {
            const a = s.accepted[k];
            const ch = s.chosen[k];
            return `${k}: ${a ? `accepted @${b(a.ballot)} ${fmtValue(a.value)}` : "accepted -"}; ${ch ? `chosen ${fmtValue(ch)}` : "not chosen"}`;
          })
          .join("\n");
      },
      kv: (args, c) => {
        const es = c.node(args[0] as string).kvEntries();
        return es.length === 0 ? "(empty)" : es.map(([k, v]) => `${k}=${v}`).join("\n");
      },
    },
  };
}

/** Run a script file; returns the mismatches (and rewrites the file when `rewrite`). */
export function runScript(path: string, rewrite: boolean): string[] {
  return runWith(path, new ClusterInterpreter(paxosScript()), rewrite);
}
