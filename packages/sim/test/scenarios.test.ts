/**
 * Datadriven scenarios, etcd-style: each `testdata/*.txt` file is a small script (directives
 * above a `----` line) and the output it must produce (below it): the space-time diagram, the
 * client history and the run's counters. `REWRITE=1 npx vitest run test/scenarios.test.ts`
 * regenerates the expected output after an intended change; review the diff.
 *
 * Directives (one per line, `#` starts a comment):
 *   seed <n>                      nodes <id> <id> ...
 *   toy beacon <periodMs> | toy ping <from> <to> <count> | toy persist-notify | toy register
 *   network|storage|clocks|clients <json>     (the SimulationOptions field)
 *   fault <atMs> <json fault>     invoke <atMs> <client> <node> <json command> [<json retry>]
 *   run <maxTimeMs>
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { NodeId, ProtocolNode } from "@synod/protocol";
import { type RetryPolicy, Simulation, type SimulationOptions, renderSpaceTime } from "../src/index.js";
import { BeaconNode, PersistNotifyNode, PingNode, RegisterNode } from "./toys.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "testdata");
type AnyNode = ProtocolNode<unknown, unknown, unknown>;
type Options = SimulationOptions<unknown, unknown, unknown>;

function fail(file: string, line: number, problem: string): never {
  throw new Error(`${file}:${line}: ${problem}`);
}

function json(file: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return fail(file, line, `bad JSON ${text}: ${(err as Error).message}`);
  }
}

/** Run a scenario script and render what it produced. */
function runScript(file: string, script: string): string {
  let options: Partial<Options> = { seed: 1, network: { latency: { type: "constant", ms: 1 } } };
  let nodes: NodeId[] = [];
  let toy: ((id: NodeId, ctx: { durable: ReadonlyMap<string, import("@synod/protocol").Json> }) => AnyNode) | null = null;
  const actions: ((sim: Simulation<unknown, unknown, unknown>) => void)[] = [];
  let maxTimeMs: number | null = null;
  for (const [i, raw] of script.split("\n").entries()) {
    const line = i + 1;
    const text = raw.replace(/#.*$/, "").trim();
    if (text === "") continue;
    const [word, ...rest] = text.split(/\s+/);
    const tail = text.slice((word as string).length).trim();
    switch (word) {
      case "seed":
        options.seed = Number(rest[0]);
        break;
      case "nodes":
        nodes = rest;
        break;
      case "toy":
        toy = makeToy(file, line, rest, () => nodes);
        break;
      case "network":
      case "storage":
      case "clocks":
      case "clients":
        options = { ...options, [word]: json(file, line, tail) };
        break;
      case "fault": {
        const atMs = Number(rest[0]);
        const fault = json(file, line, tail.slice((rest[0] as string).length).trim());
        options.faults = [...(options.faults ?? []), { atMs, fault: fault as never }];
        break;
      }
      case "invoke": {
        const [at, client, node, command, retry] = tail.match(/^(\S+)\s+(\S+)\s+(\S+)\s+(\{.*?\}|\S+)(?:\s+(\{.*\}))?$/)?.slice(1) ?? fail(file, line, "expected: invoke <atMs> <client> <node> <json> [<json retry>]");
        const cmd = json(file, line, command as string);
        const retryPolicy = retry === undefined ? undefined : (json(file, line, retry) as RetryPolicy);
        actions.push((sim) => sim.at(Number(at), () => sim.invoke(client as string, cmd, node as string, retryPolicy === undefined ? {} : { retry: retryPolicy })));
        break;
      }
      case "run":
        maxTimeMs = Number(rest[0]);
        break;
      default:
        fail(file, line, `unknown directive ${JSON.stringify(word)}`);
    }
  }
  const build = toy ?? fail(file, 0, "no `toy` directive");
  const limitMs = maxTimeMs ?? fail(file, 0, "no `run` directive");
  const sim = new Simulation<unknown, unknown, unknown>({
    ...(options as Options),
    nodes,
    createNode: (id, _rng, ctx) => build(id, ctx),
    budget: { maxTimeMs: limitMs, maxEvents: 100_000 },
  });
  for (const act of actions) act(sim);
  const result = sim.run();
  const log = sim.log();
  const out = [`stopped: ${result.reason} at ${result.nowMs} ms`, renderSpaceTime(log, { columnWidth: 6 })];
  if (log.history.length > 0) out.push("history:", ...log.history.map((h) => `  ${JSON.stringify(h)}`));
  const { events, steps, messagesSent, messagesDelivered, messagesDropped, fsyncs, crashes, restarts } = log.stats;
  out.push(`stats: ${JSON.stringify({ events, steps, messagesSent, messagesDelivered, messagesDropped, fsyncs, crashes, restarts })}`);
  return out.join("\n");
}

function makeToy(file: string, line: number, args: string[], nodes: () => NodeId[]): (id: NodeId, ctx: { durable: ReadonlyMap<string, import("@synod/protocol").Json> }) => AnyNode {
  switch (args[0]) {
    case "beacon":
      return (id) => new BeaconNode(id, nodes(), Number(args[1])) as unknown as AnyNode;
    case "ping":
      return (id) => new PingNode(id, id === args[1] ? { to: args[2] as NodeId, count: Number(args[3]) } : {}) as unknown as AnyNode;
    case "persist-notify":
      return (id) => new PersistNotifyNode(id, id === nodes()[0] ? (nodes()[1] as NodeId) : (nodes()[0] as NodeId)) as unknown as AnyNode;
    case "register":
      return (id, ctx) => new RegisterNode(id, nodes(), ctx.durable) as unknown as AnyNode;
    default:
      return fail(file, line, `unknown toy ${JSON.stringify(args[0])} (beacon, ping, persist-notify, register)`);
  }
}

describe("datadriven scenarios (test/testdata)", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".txt")).sort();
  it("has scenario files", () => expect(files.length).toBeGreaterThanOrEqual(5));
  for (const name of files) {
    it(name, () => {
      const path = join(dir, name);
      const text = readFileSync(path, "utf8");
      const sep = text.indexOf("\n----\n");
      const script = sep < 0 ? text : text.slice(0, sep);
      const expected = sep < 0 ? "" : text.slice(sep + 6).replace(/\n$/, "");
      const actual = runScript(name, script);
      if (process.env.REWRITE === "1") {
        writeFileSync(path, `${script}\n----\n${actual}\n`);
        return;
      }
      expect(actual).toBe(expected);
    });
  }
});
