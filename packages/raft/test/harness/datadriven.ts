/**
 * A tiny etcd-style datadriven interpreter for Raft scenario scripts (`test/testdata/*.txt`).
 *
 * A script is a sequence of blocks separated by blank lines: a command line, a `----` line, and
 * the expected output. Lines starting with `#` between blocks are comments. `REWRITE=1` rewrites
 * the expected outputs from the actual ones (review the diff before committing!).
 *
 * Commands (node ids are free-form, e.g. n1):
 *   cluster n1 n2 n3 [option=value ...]   fresh cluster; options are RaftOptions fields, plus
 *                                         unsafe=<flag> and seed=<n>
 *   tick <node> <timer>                   fire a named timer (election | heartbeat)
 *   advance <ms>                          move virtual time forward
 *   clock <node> <rate>                   the node's clock runs at <rate> local ms per real ms
 *   deliver [<from>-><to>] [<Type>]       deliver the messages pending now (not their answers);
 *                                         '*' matches any node
 *   drop [<from>-><to>] [<Type>]          drop pending messages
 *   stabilize                             deliver until no message is pending
 *   isolate <node> / heal                 drop every message to or from <node> / stop doing so
 *   request <node> <client> <seq> <op> [args...]  put k v | get k | delete k | cas k <expected|-> v
 *                                         | add-learner n | add-server n | remove-server n
 *                                         | transfer-leadership n
 *   crash <node> / restart <node>         lose volatile state / restart from durable storage
 *   join <node>                           start a node that will be added to the cluster
 *   corrupt <node> <key> <json|-delete>   change the node's durable map (for recovery tests)
 *   backup <node> / restore-backup <node> save / put back the node's durable map
 *
 * After every command that steps nodes, every live node is checked against Raft's safety
 * properties (see safety.ts); the first violation is printed as `SAFETY VIOLATION ...`.
 *   status [<node>...] / log <node> / kv <node> / storage <node> / pending
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Json, NodeId } from "@synod/protocol";
import type { RaftMessage } from "../../src/messages.js";
import type { LogEntry, RaftCommand, RaftOptions } from "../../src/types.js";
import { Cluster, type InFlight, type Output } from "./cluster.js";
import { SafetyChecker } from "./safety.js";

interface Block {
  line: number;
  command: string;
  expected: string;
  comments: string[];
}

/** Parse a script into blocks; throws naming the line on malformed input. */
export function parseScript(path: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  let comments: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i] as string;
    if (l.trim() === "") {
      i++;
      continue;
    }
    if (l.startsWith("#")) {
      comments.push(l);
      i++;
      continue;
    }
    if (lines[i + 1] !== "----") throw new Error(`${path}:${i + 2}: expected '----' after the command on line ${i + 1}`);
    const out: string[] = [];
    let j = i + 2;
    while (j < lines.length && (lines[j] as string) !== "") out.push(lines[j++] as string);
    blocks.push({ line: i + 1, command: l, expected: out.join("\n"), comments });
    comments = [];
    i = j;
  }
  return blocks;
}

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

function fmtOutput(o: Output): string | null {
  switch (o.kind) {
    case "send":
      return `${o.msg.from}->${o.msg.to} ${fmtMessage(o.msg.message)}`;
    case "persist": {
      const w = o.write;
      const key = w.key.replace(/^raft\//, "").replace(/log\/0*/, "log/");
      if ("delete" in w) return `${o.node} delete ${key}`;
      if (w.key === "raft/hardstate") {
        const v = w.value as { term: number; votedFor: string | null };
        return `${o.node} persist hardstate term=${v.term} vote=${v.votedFor ?? "-"}`;
      }
      if (w.key.startsWith("raft/log/")) return `${o.node} persist ${fmtEntry(Number(key.slice(4)), w.value as unknown as LogEntry)}`;
      if (w.key === "raft/snapshot") {
        const v = w.value as { index: number; term: number };
        return `${o.node} persist snapshot ${v.index}/${v.term}`;
      }
      return `${o.node} persist ${key}`;
    }
    case "reply": {
      const r = o.reply;
      return r.ok
        ? `${o.node} reply ${r.clientId}#${r.seq} ok ${JSON.stringify(r.result)}`
        : `${o.node} reply ${r.clientId}#${r.seq} ${r.error}${r.leaderHint ? ` leader=${r.leaderHint}` : ""}${r.detail ? ` (${r.detail})` : ""}`;
    }
    case "applied":
      return `${o.node} applied ${o.index} ${fmtCmd(o.command)} -> ${JSON.stringify(o.result)}`;
    case "timer":
      return null;
  }
}

function parseOptionValue(v: string): Json {
  if (v === "true" || v === "false") return v === "true";
  if (v === "null") return null;
  if (/^-?[0-9.]+$/.test(v)) return Number(v);
  return v;
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

/** Interprets one script against a fresh state. */
export class Interpreter {
  private cluster: Cluster | null = null;
  private isolated = new Set<NodeId>();
  private seed = 1;
  private checker = new SafetyChecker();
  private violation: string | null = null;
  private backups = new Map<NodeId, Map<string, Json>>();

  /** Check every live node against Raft's safety properties; report the first violation once. */
  private checkSafety(): string | null {
    if (this.cluster === null || this.violation !== null) return null;
    const cl = this.cluster;
    try {
      for (const id of cl.nodes.keys()) {
        if (cl.crashed.has(id)) continue;
        const n = cl.node(id);
        const shadow = cl.written.get(id);
        this.checker.observe(n.inspect(), (i) => shadow?.get(i), () => n.kvEntries());
      }
    } catch (e) {
      this.violation = (e as Error).message;
      return `SAFETY VIOLATION ${this.violation}`;
    }
    return null;
  }

  private c(): Cluster {
    if (this.cluster === null) throw new Error("no cluster yet: start with 'cluster n1 n2 ...'");
    return this.cluster;
  }

  private matches(m: InFlight, link: string | undefined, type: string | undefined): boolean {
    if (link !== undefined && link.includes("->")) {
      const [from, to] = link.split("->") as [string, string];
      if (from !== "*" && m.from !== from) return false;
      if (to !== "*" && m.to !== to) return false;
    } else if (link !== undefined) {
      type = link;
    }
    return type === undefined || m.message.type === type;
  }

  private deliverNow(link?: string, type?: string): void {
    const c = this.c();
    const batch = c.inflight.filter((m) => this.matches(m, link, type));
    for (const m of batch) {
      if (this.isolated.has(m.from) || this.isolated.has(m.to)) c.drop(m.id);
      else c.deliver(m.id);
    }
  }

  /** Run one command line; returns its output text. */
  run(line: string): string {
    const [cmd, ...args] = line.trim().split(/\s+/) as [string, ...string[]];
    const c = (): Cluster => this.c();
    const lines: string[] = [];
    const flush = (): void => {
      if (this.cluster === null) return;
      for (const o of this.cluster.takeOutputs()) {
        const s = fmtOutput(o);
        if (s !== null) lines.push(s);
      }
    };
    switch (cmd) {
      case "cluster": {
        const ids = args.filter((x) => !x.includes("="));
        const options: Record<string, Json> = {};
        const unsafe: Record<string, boolean> = {};
        for (const kv of args.filter((x) => x.includes("="))) {
          const [k, v] = kv.split("=") as [string, string];
          if (k === "unsafe") unsafe[v] = true;
          else if (k === "seed") this.seed = Number(v);
          else options[k] = parseOptionValue(v);
        }
        this.cluster = new Cluster({ ids, seed: this.seed, options: { ...(options as Partial<RaftOptions>), unsafe } });
        this.isolated.clear();
        this.checker = new SafetyChecker();
        this.violation = null;
        this.cluster.takeOutputs();
        return "ok";
      }
      case "tick":
        c().fire(args[0] as string, args[1] ?? "election");
        break;
      case "clock":
        c().clockRate.set(args[0] as string, Number(args[1]));
        return "ok";
      case "advance":
        c().nowMs += Number(args[0]);
        return `now=${c().nowMs}`;
      case "deliver":
        this.deliverNow(args[0], args[1]);
        break;
      case "drop": {
        const cl = c();
        for (const m of cl.inflight.filter((x) => this.matches(x, args[0], args[1]))) cl.drop(m.id);
        break;
      }
      case "stabilize":
        for (let round = 0; c().inflight.length > 0; round++) {
          if (round > 100) throw new Error("stabilize: still not quiet after 100 rounds");
          this.deliverNow();
        }
        break;
      case "isolate":
        this.isolated.add(args[0] as string);
        return "ok";
      case "heal":
        this.isolated.clear();
        return "ok";
      case "request": {
        const [node, client, seq, op, ...rest] = args as [string, string, string, string, ...string[]];
        c().request(node, client, Number(seq), parseCommand(op, rest));
        break;
      }
      case "crash":
        c().crash(args[0] as string);
        return "ok";
      case "restart":
        try {
          c().restart(args[0] as string);
        } catch (e) {
          return `error: ${(e as Error).message}`;
        }
        break;
      case "join":
        c().addJoiner(args[0] as string, this.seed);
        c().takeOutputs();
        return "ok";
      case "corrupt": {
        const [node, key, ...v] = args as [string, string, ...string[]];
        const store = c().durable.get(node);
        if (store === undefined) throw new Error(`no node ${node}`);
        if (v[0] === "-delete") store.delete(key);
        else store.set(key, JSON.parse(v.join(" ")) as Json);
        return "ok";
      }
      case "backup":
        this.backups.set(args[0] as string, new Map(c().durable.get(args[0] as string)));
        return "ok";
      case "restore-backup": {
        const b = this.backups.get(args[0] as string);
        if (b === undefined) throw new Error(`no backup of ${args[0]}`);
        c().durable.set(args[0] as string, new Map(b));
        return "ok";
      }
      case "status":
        return (args.length > 0 ? args : [...c().nodes.keys()]).map((id) => this.status(id)).join("\n");
      case "log": {
        const s = c().node(args[0] as string).inspect();
        const es = s.log.map((e, k) => fmtEntry(s.snapshotIndex + 1 + k, e));
        return [`snapshot=${s.snapshotIndex}/${s.snapshotTerm}`, ...es].join("\n");
      }
      case "kv": {
        const es = c().node(args[0] as string).kvEntries();
        return es.length === 0 ? "(empty)" : es.map(([k, v]) => `${k}=${v}`).join("\n");
      }
      case "storage":
        return [...(c().durable.get(args[0] as string) ?? new Map()).entries()]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
          .join("\n");
      case "pending":
        return c().inflight.map((m) => `${m.from}->${m.to} ${fmtMessage(m.message)}`).join("\n") || "(none)";
      default:
        throw new Error(`unknown command '${cmd}'`);
    }
    flush();
    const v = this.checkSafety();
    if (v !== null) lines.push(v);
    return lines.length > 0 ? lines.join("\n") : "(no output)";
  }

  private status(id: NodeId): string {
    const cl = this.c();
    if (cl.crashed.has(id)) return `${id} crashed`;
    const s = cl.node(id).inspect();
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
}

/** Run a script file; returns the mismatches (and rewrites the file when `rewrite`). */
export function runScript(path: string, rewrite: boolean): string[] {
  const text = readFileSync(path, "utf8");
  const blocks = parseScript(path, text);
  const it = new Interpreter();
  const failures: string[] = [];
  const outParts: string[] = [];
  for (const b of blocks) {
    let actual: string;
    try {
      actual = it.run(b.command);
    } catch (e) {
      actual = `error: ${(e as Error).message}`;
    }
    if (actual !== b.expected) {
      failures.push(`${path}:${b.line}: ${b.command}\n--- expected\n${b.expected}\n--- actual\n${actual}`);
    }
    outParts.push([...b.comments, b.command, "----", actual].join("\n"));
  }
  if (rewrite) writeFileSync(path, outParts.join("\n\n") + "\n");
  return failures;
}
