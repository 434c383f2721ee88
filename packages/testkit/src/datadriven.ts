/**
 * Datadriven scenario scripts, as etcd/raft tests its behaviour (`testdata/*.txt`): a command
 * line, a `----` line, and the expected output under it, blocks separated by blank lines; lines
 * starting with `#` between blocks are comments. With `REWRITE=1` the runner rewrites each file
 * with the actual output (review the diff before committing).
 *
 * {@link ClusterInterpreter} runs the commands every protocol shares over a {@link TestCluster};
 * a protocol adds its own formatting and commands through a {@link ScriptProtocol}:
 *
 * ```text
 * cluster n1 n2 n3 [option=value ...]   fresh cluster; options go to the protocol, plus
 *                                       unsafe=<flag> (repeatable) and seed=<n>
 * tick <node> [<timer>]                 fire a named timer (the protocol's default timer if omitted)
 * advance <ms>                          move virtual time forward
 * clock <node> <rate>                   the node's clock runs at <rate> local ms per real ms
 * deliver [<from>-><to>] [<Type>]       deliver the messages pending now (not their answers);
 *                                       '*' matches any node
 * drop [<from>-><to>] [<Type>]          drop pending messages
 * duplicate [<from>-><to>] [<Type>]     the network copies pending messages
 * stabilize                             deliver until no message is pending
 * isolate <node> / heal                 drop every message to or from <node> / stop doing so
 * request <node> <client> <seq> <op> [args...]   a client request (the protocol parses <op>)
 * crash <node> / restart <node>         lose volatile state / restart from durable storage
 * corrupt <node> <key> <json|-delete>   change the node's durable map (recovery tests)
 * backup <node> / restore-backup <node> save / put back the node's durable map
 * status [<node>...] / storage <node> / pending
 * ```
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Applied, ClientReply, DurableWrite, Json, NodeId, ProtocolNode } from "@synod/protocol";
import type { HostOutput, InFlight, TestCluster } from "./host.js";

/** One block of a script. */
export interface ScriptBlock {
  /** 1-based line of the command. */
  line: number;
  /** The command line. */
  command: string;
  /** The expected output (lines joined by `\n`). */
  expected: string;
  /** Comment lines just before the block. */
  comments: string[];
}

/** Parse a script into blocks; throws naming the file and line on malformed input. */
export function parseScript(path: string, text: string): ScriptBlock[] {
  const lines = text.split("\n");
  const blocks: ScriptBlock[] = [];
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

/** Anything that runs one command line and returns its output. */
export interface Interpreter {
  run(line: string): string;
}

/**
 * Run a script file through a fresh interpreter; returns the mismatches, each naming the file,
 * line, command, expected and actual output. With `rewrite`, writes the actual output back.
 */
export function runScript(path: string, interpreter: Interpreter, rewrite = process.env.REWRITE === "1"): string[] {
  const blocks = parseScript(path, readFileSync(path, "utf8"));
  const failures: string[] = [];
  const outParts: string[] = [];
  for (const b of blocks) {
    let actual: string;
    try {
      actual = interpreter.run(b.command);
    } catch (e) {
      actual = `error: ${(e as Error).message}`;
    }
    if (actual !== b.expected) failures.push(`${path}:${b.line}: ${b.command}\n--- expected\n${b.expected}\n--- actual\n${actual}`);
    outParts.push([...b.comments, b.command, "----", actual].join("\n"));
  }
  if (rewrite) writeFileSync(path, `${outParts.join("\n\n")}\n`);
  return failures;
}

/** `true`/`false`/`null`/numbers as JSON, anything else as a string. */
export function parseOptionValue(v: string): Json {
  if (v === "true" || v === "false") return v === "true";
  if (v === "null") return null;
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(v)) return Number(v);
  return v;
}

/** What a protocol tells {@link ClusterInterpreter} about itself. */
export interface ScriptProtocol<Msg, Cmd, Res, N extends ProtocolNode<Msg, Cmd, Res>> {
  /** A fresh cluster for `cluster ids... options...` (options parsed, `unsafe` flags collected). */
  cluster(ids: NodeId[], options: Record<string, Json>, seed: number): TestCluster<Msg, Cmd, Res, N>;
  /** The timer `tick <node>` fires when none is named. */
  defaultTimer: string;
  /** A message's type, matched by `deliver`/`drop` filters. */
  messageType(m: Msg): string;
  /** One line describing a message (after `from->to `). */
  formatMessage(m: Msg): string;
  /** Parse `request <node> <client> <seq> <op> args...` into a command; throws naming the problem. */
  parseCommand(op: string, args: string[]): Cmd;
  /** A persisted write in words, or null to use `<node> persist <key> <json>`. */
  formatPersist?(node: NodeId, write: DurableWrite): string | null;
  /** An applied command in words (after `<node> applied `). */
  formatApplied(applied: Applied<Cmd, Res>): string;
  /** One node's status line (for a live node). */
  status(node: N, id: NodeId): string;
  /**
   * Called after every command that stepped nodes: a line to print (e.g. `SAFETY VIOLATION ...`)
   * or null. Printed once; later commands keep running.
   */
  afterStep?(cluster: TestCluster<Msg, Cmd, Res, N>): string | null;
  /**
   * The protocol's own commands. Return a string to print it as the output, or undefined to
   * print the outputs the command caused (as stepping commands do).
   */
  commands?: Record<string, (args: string[], cluster: TestCluster<Msg, Cmd, Res, N>) => string | undefined>;
}

/** The commands every protocol shares (see the module comment), over a {@link ScriptProtocol}. */
export class ClusterInterpreter<Msg, Cmd, Res, N extends ProtocolNode<Msg, Cmd, Res>> implements Interpreter {
  private current: TestCluster<Msg, Cmd, Res, N> | null = null;
  private readonly isolated = new Set<NodeId>();
  private readonly backups = new Map<NodeId, Map<string, Json>>();
  private seed = 1;
  private reported = false;

  constructor(private readonly protocol: ScriptProtocol<Msg, Cmd, Res, N>) {}

  /** The cluster of the last `cluster` command. */
  get cluster(): TestCluster<Msg, Cmd, Res, N> {
    if (this.current === null) throw new Error("no cluster yet: start with 'cluster n1 n2 ...'");
    return this.current;
  }

  private matches(m: InFlight<Msg>, link: string | undefined, type: string | undefined): boolean {
    if (link !== undefined && link.includes("->")) {
      const [from, to] = link.split("->") as [string, string];
      if (from !== "*" && m.from !== from) return false;
      if (to !== "*" && m.to !== to) return false;
    } else if (link !== undefined) {
      type = link;
    }
    return type === undefined || this.protocol.messageType(m.message) === type;
  }

  private pick(args: string[]): InFlight<Msg>[] {
    return this.cluster.inflight.filter((m) => this.matches(m, args[0], args[1]));
  }

  private deliverNow(args: string[]): void {
    const c = this.cluster;
    for (const m of this.pick(args)) {
      if (this.isolated.has(m.from) || this.isolated.has(m.to)) c.drop(m.id);
      else c.deliver(m.id);
    }
  }

  private formatOutput(o: HostOutput<Msg, Cmd, Res>): string | null {
    switch (o.kind) {
      case "send":
        return `${o.msg.from}->${o.msg.to} ${this.protocol.formatMessage(o.msg.message)}`;
      case "persist": {
        const custom = this.protocol.formatPersist?.(o.node, o.write) ?? null;
        if (custom !== null) return custom;
        return "delete" in o.write ? `${o.node} delete ${o.write.key}` : `${o.node} persist ${o.write.key} ${JSON.stringify(o.write.value)}`;
      }
      case "reply":
        return `${o.node} reply ${formatReply(o.reply)}`;
      case "applied":
        return `${o.node} applied ${this.protocol.formatApplied(o.applied)}`;
      case "timer":
        return null;
    }
  }

  run(line: string): string {
    const [cmd, ...args] = line.trim().split(/\s+/) as [string, ...string[]];
    const need = (k: number, what: string): string => {
      const a = args[k];
      if (a === undefined) throw new Error(`${cmd}: missing ${what}`);
      return a;
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
        if (Object.keys(unsafe).length > 0) options.unsafe = unsafe;
        this.current = this.protocol.cluster(ids, options, this.seed);
        this.isolated.clear();
        this.reported = false;
        this.current.takeOutputs();
        return "ok";
      }
      case "tick":
        this.cluster.fire(need(0, "node"), args[1] ?? this.protocol.defaultTimer);
        break;
      case "clock":
        this.cluster.clockRate.set(need(0, "node"), Number(need(1, "rate")));
        return "ok";
      case "advance":
        this.cluster.nowMs += Number(need(0, "milliseconds"));
        return `now=${this.cluster.nowMs}`;
      case "deliver":
        this.deliverNow(args);
        break;
      case "drop":
        for (const m of this.pick(args)) this.cluster.drop(m.id);
        break;
      case "duplicate":
        for (const m of this.pick(args)) this.cluster.duplicate(m.id);
        return "ok";
      case "stabilize":
        for (let round = 0; this.cluster.inflight.length > 0; round++) {
          if (round > 100) throw new Error("stabilize: still not quiet after 100 rounds");
          this.deliverNow([]);
        }
        break;
      case "isolate":
        this.isolated.add(need(0, "node"));
        return "ok";
      case "heal":
        this.isolated.clear();
        return "ok";
      case "request": {
        const [node, client, seq, op, ...rest] = args;
        if (node === undefined || client === undefined || seq === undefined || op === undefined) {
          throw new Error("request: expected <node> <client> <seq> <op> [args...]");
        }
        this.cluster.request(node, client, Number(seq), this.protocol.parseCommand(op, rest));
        break;
      }
      case "crash":
        this.cluster.crash(need(0, "node"));
        return "ok";
      case "restart":
        try {
          this.cluster.restart(need(0, "node"));
        } catch (e) {
          return `error: ${(e as Error).message}`;
        }
        break;
      case "corrupt": {
        const node = need(0, "node");
        const key = need(1, "key");
        const store = this.cluster.durable.get(node);
        if (store === undefined) throw new Error(`no node ${node}`);
        const v = args.slice(2);
        if (v[0] === "-delete") store.delete(key);
        else store.set(key, JSON.parse(v.join(" ")) as Json);
        return "ok";
      }
      case "backup": {
        const node = need(0, "node");
        this.backups.set(node, new Map(this.cluster.durable.get(node)));
        return "ok";
      }
      case "restore-backup": {
        const node = need(0, "node");
        const b = this.backups.get(node);
        if (b === undefined) throw new Error(`no backup of ${node}`);
        this.cluster.durable.set(node, new Map(b));
        return "ok";
      }
      case "status":
        return (args.length > 0 ? args : [...this.cluster.nodes.keys()])
          .map((id) => (this.cluster.crashed.has(id) ? `${id} crashed` : this.protocol.status(this.cluster.node(id), id)))
          .join("\n");
      case "storage":
        return (
          [...(this.cluster.durable.get(need(0, "node")) ?? new Map<string, Json>()).entries()]
            .sort((a, b) => (a[0] < b[0] ? -1 : 1))
            .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
            .join("\n") || "(empty)"
        );
      case "pending":
        return this.cluster.inflight.map((m) => `${m.from}->${m.to} ${this.protocol.formatMessage(m.message)}`).join("\n") || "(none)";
      default: {
        const own = this.protocol.commands?.[cmd];
        if (own === undefined) throw new Error(`unknown command '${cmd}'`);
        const out = own(args, this.cluster);
        if (out !== undefined) return out;
      }
    }
    return this.flush();
  }

  /** The outputs since the last command, then the protocol's after-step line (once). */
  private flush(): string {
    const lines: string[] = [];
    for (const o of this.cluster.takeOutputs()) {
      const s = this.formatOutput(o);
      if (s !== null) lines.push(s);
    }
    if (!this.reported) {
      const extra = this.protocol.afterStep?.(this.cluster) ?? null;
      if (extra !== null) {
        this.reported = true;
        lines.push(extra);
      }
    }
    return lines.length > 0 ? lines.join("\n") : "(no output)";
  }
}

/** `c1#3 ok {...}` or `c1#3 not-leader leader=n2 (detail)`. */
export function formatReply<Res>(r: ClientReply<Res>): string {
  return r.ok
    ? `${r.clientId}#${r.seq} ok ${JSON.stringify(r.result)}`
    : `${r.clientId}#${r.seq} ${r.error}${r.leaderHint ? ` leader=${r.leaderHint}` : ""}${r.detail ? ` (${r.detail})` : ""}`;
}
