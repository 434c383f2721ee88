/**
 * Raft's scenario scripts (`test/testdata/*.txt`) on the testkit's datadriven runner. The shared
 * commands (cluster, tick, deliver, drop, stabilize, isolate, heal, request, crash, restart,
 * corrupt, backup, status, storage, pending, ...) are documented in `@synod/testkit`; Raft adds:
 *
 *   request <node> <client> <seq> <op> [args...]  put k v | get k | delete k | cas k <expected|-> v
 *                                         | add-learner n | add-server n | remove-server n
 *                                         | transfer-leadership n
 *   join <node>                           start a node that will be added to the cluster
 *   log <node> / kv <node>                the node's log / its key-value pairs
 *
 * After every command that steps nodes, every live node is checked against Raft's safety
 * properties (see safety.ts); the first violation is printed as `SAFETY VIOLATION ...`.
 */
import type { NodeId } from "@synod/protocol";
import { ClusterInterpreter, runScript as runWith, type ScriptProtocol } from "@synod/testkit";
import type { RaftKvNode } from "../../src/node.js";
import type { RaftMessage } from "../../src/messages.js";
import type { KvResult, LogEntry, RaftCommand, RaftOptions } from "../../src/types.js";
import { Cluster } from "./cluster.js";
import { SafetyChecker } from "./safety.js";

function fmtEntry(index: number, e: LogEntry): string {
  const c = e.command;
  switch (c.type) {
    case "noop":
      return `${index}/${e.term} noop`;
    case "kv":
      return `${index}/${e.term} ${c.clientId}#${c.seq} ${fmtCmd(c.command)}`;
    case "config":
      return `${index}/${e.term} config v=[${c.config.voters.join(",")}] l=[${c.config.learners.join(",")}]`;
  }
}

function fmtCmd(c: RaftCommand): string {
  switch (c.op) {
    case "get":
    case "delete":
      return `${c.op} ${c.key}`;
    case "put":
      return `put ${c.key} ${c.value}`;
    case "cas":
      return `cas ${c.key} ${c.expected ?? "-"} ${c.value}`;
    case "add-learner":
    case "add-server":
    case "remove-server":
      return `${c.op} ${c.node}`;
    case "transfer-leadership":
      return `${c.op} ${c.to}`;
  }
}

/** One line per message, e.g. `n1->n2 AppendEntriesRequest term=1 prev=0/0 commit=0 [1/1 noop]`. */
export function fmtMessage(m: RaftMessage): string {
  switch (m.type) {
    case "PreVoteRequest":
    case "RequestVoteRequest":
      return `${m.type} term=${m.term} last=${m.lastLogIndex}/${m.lastLogTerm}${m.type === "RequestVoteRequest" && m.transfer ? " transfer" : ""}`;
    case "PreVoteResponse":
    case "RequestVoteResponse":
      return `${m.type} term=${m.term} ${m.granted ? "granted" : "rejected"}`;
    case "AppendEntriesRequest": {
      const es = m.entries.map((e, k) => fmtEntry(m.prevLogIndex + 1 + k, e));
      return `${m.type} term=${m.term} prev=${m.prevLogIndex}/${m.prevLogTerm} commit=${m.commitIndex}${es.length ? ` [${es.join(", ")}]` : ""}`;
    }
    case "AppendEntriesResponse":
      return m.success
        ? `${m.type} term=${m.term} success match=${m.matchIndex}`
        : `${m.type} term=${m.term} reject at=${m.rejectIndex} hint=${m.conflictTerm ?? "-"}/${m.conflictIndex}`;
    case "HeartbeatRequest":
      return `${m.type} term=${m.term} commit=${m.commitIndex} round=${m.round}`;
    case "HeartbeatResponse":
      return `${m.type} term=${m.term} round=${m.round}`;
    case "InstallSnapshotRequest":
      return `${m.type} term=${m.term} snapshot=${m.snapshot.index}/${m.snapshot.term} v=[${m.snapshot.config.voters.join(",")}]`;
    case "InstallSnapshotResponse":
      return `${m.type} term=${m.term} match=${m.matchIndex}`;
    case "TimeoutNow":
      return `${m.type} term=${m.term}`;
  }
}

function parseCommand(op: string, args: string[]): RaftCommand {
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
    case "add-learner":
    case "add-server":
    case "remove-server":
      return { op, node: a(0) };
    case "transfer-leadership":
      return { op, to: a(0) };
    default:
      throw new Error(`unknown request op '${op}'`);
  }
}

function fmtPersist(node: NodeId, w: import("@synod/protocol").DurableWrite): string {
  const key = w.key.replace(/^raft\//, "").replace(/log\/0*/, "log/");
  if ("delete" in w) return `${node} delete ${key}`;
  if (w.key === "raft/hardstate") {
    const v = w.value as { term: number; votedFor: string | null };
    return `${node} persist hardstate term=${v.term} vote=${v.votedFor ?? "-"}`;
  }
  if (w.key.startsWith("raft/log/")) return `${node} persist ${fmtEntry(Number(key.slice(4)), w.value as unknown as LogEntry)}`;
  if (w.key === "raft/snapshot") {
    const v = w.value as { index: number; term: number };
    return `${node} persist snapshot ${v.index}/${v.term}`;
  }
  return `${node} persist ${key}`;
}

function status(n: RaftKvNode, id: NodeId): string {
  const s = n.inspect();
  const prog = Object.keys(s.matchIndex)
    .sort()
    .map((j) => `${j}:${s.matchIndex[j]}/${s.nextIndex[j]}`)
    .join(" ");
  return (
    `${id} ${s.role} term=${s.term} vote=${s.votedFor ?? "-"} leader=${s.leaderId ?? "-"} ` +
    `last=${s.snapshotIndex + s.log.length} commit=${s.commitIndex} applied=${s.lastApplied}` +
    (s.snapshotIndex > 0 ? ` snapshot=${s.snapshotIndex}` : "") +
    ` voters=[${s.config.voters.join(",")}]` +
    (s.config.learners.length ? ` learners=[${s.config.learners.join(",")}]` : "") +
    (prog ? ` progress(match/next)=${prog}` : "")
  );
}

/** Raft for the shared interpreter; a fresh safety checker per script. */
function raftScript(): ScriptProtocol<RaftMessage, RaftCommand, KvResult, RaftKvNode> {
  let checker = new SafetyChecker();
  return {
    cluster: (ids, options, seed) => {
      checker = new SafetyChecker();
      return new Cluster({ ids, seed, options: options as Partial<RaftOptions> });
    },
    defaultTimer: "election",
    messageType: (m) => m.type,
    formatMessage: fmtMessage,
    parseCommand,
    formatPersist: fmtPersist,
    formatApplied: (a) => `${a.index} ${fmtCmd(a.command)} -> ${JSON.stringify(a.result)}`,
    status,
    afterStep: (c) => {
      const cl = c as Cluster;
      try {
        for (const id of cl.live()) {
          const n = cl.node(id);
          const shadow = cl.written.get(id);
          checker.observe(n.inspect(), (i) => shadow?.get(i), () => n.kvEntries());
        }
      } catch (e) {
        return `SAFETY VIOLATION ${(e as Error).message}`;
      }
      return null;
    },
    commands: {
      join: (args, c) => {
        (c as Cluster).addJoiner(args[0] as string);
        c.takeOutputs();
        return "ok";
      },
      log: (args, c) => {
        const s = c.node(args[0] as string).inspect();
        const es = s.log.map((e, k) => fmtEntry(s.snapshotIndex + 1 + k, e));
        return [`snapshot=${s.snapshotIndex}/${s.snapshotTerm}`, ...es].join("\n");
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
  return runWith(path, new ClusterInterpreter(raftScript()), rewrite);
}
