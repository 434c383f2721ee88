/**
 * Simulated messages per second on one core. Run with `pnpm bench` (or `npm run bench` in this
 * folder). Each case runs a fixed number of events three times and reports the median.
 */
import { type Event, type NodeId, type ProtocolNode, type Ready, type Rng, emptyReady } from "@synod/protocol";
import { Simulation, type SimulationOptions, generateNemesis } from "../src/index.js";

/** Hot potato: each message received goes on to a random peer, so traffic stays constant. */
class Potato implements ProtocolNode<number, never, never> {
  private rd: Ready<number, never, never> = emptyReady();
  private pending = false;
  constructor(
    readonly id: NodeId,
    private readonly peers: NodeId[],
    private readonly rng: Rng,
    initial: number,
  ) {
    for (let i = 0; i < initial; i++) this.rd.send.push({ to: this.pick(), message: i });
    this.pending = initial > 0;
  }
  private pick(): NodeId {
    return this.peers[this.rng.nextInt(0, this.peers.length - 1)] as NodeId;
  }
  step(event: Event<number, never>): void {
    if (event.type !== "message") return;
    this.rd.send.push({ to: this.pick(), message: event.message });
    this.pending = true;
  }
  hasReady(): boolean {
    return this.pending;
  }
  ready(): Ready<number, never, never> {
    const rd = this.rd;
    this.rd = emptyReady();
    this.pending = false;
    return rd;
  }
}

/** Ping-pong between pairs: every message is answered by the receiver (to the sender). */
class PingPong implements ProtocolNode<number, never, never> {
  protected rd: Ready<number, never, never> = emptyReady();
  protected pending = false;
  constructor(
    readonly id: NodeId,
    partner: NodeId | null,
    initial: number,
  ) {
    if (partner !== null) for (let i = 0; i < initial; i++) this.rd.send.push({ to: partner, message: i });
    this.pending = partner !== null && initial > 0;
  }
  step(event: Event<number, never>): void {
    if (event.type !== "message") return;
    this.rd.send.push({ to: event.from, message: event.message + 1 });
    this.pending = true;
  }
  hasReady(): boolean {
    return this.pending;
  }
  ready(): Ready<number, never, never> {
    const rd = this.rd;
    this.rd = emptyReady();
    this.pending = false;
    return rd;
  }
}

/** Broadcast: every 1 ms of its clock, a node sends a message to every peer; receivers absorb. */
class Beacon implements ProtocolNode<number, never, never> {
  private rd: Ready<number, never, never> = emptyReady();
  private pending = true;
  constructor(
    readonly id: NodeId,
    private readonly peers: NodeId[],
  ) {
    this.rd.timers.push({ name: "beacon", afterMs: 1 });
  }
  step(event: Event<number, never>): void {
    if (event.type !== "timer") return;
    for (const p of this.peers) this.rd.send.push({ to: p, message: event.nowMs });
    this.rd.timers.push({ name: "beacon", afterMs: 1 });
    this.pending = true;
  }
  hasReady(): boolean {
    return this.pending;
  }
  ready(): Ready<number, never, never> {
    const rd = this.rd;
    this.rd = emptyReady();
    this.pending = false;
    return rd;
  }
}

/** Like ping-pong, but every hop persists first: exercises the fsync path (writes, then send). */
class DurablePingPong extends PingPong {
  private hops = 0;
  override step(event: Event<number, never>): void {
    super.step(event);
    if (event.type === "message") this.persistHop();
  }
  private persistHop(): void {
    this.rd.persist.push({ key: `hop${this.hops++ % 64}`, value: this.hops });
  }
}

interface Case {
  name: string;
  options: (events: number) => SimulationOptions<number, never, never>;
  /** Cap on the run length (recording keeps everything in memory). */
  maxEvents?: number;
}

const nodes5 = ["n1", "n2", "n3", "n4", "n5"];
const potato = (record: boolean, extra: Partial<SimulationOptions<number, never, never>> = {}) => (events: number): SimulationOptions<number, never, never> => ({
  seed: 1,
  nodes: nodes5,
  createNode: (id, rng) => new Potato(id, nodes5.filter((n) => n !== id), rng, 200),
  network: { latency: { type: "uniform", minMs: 1, maxMs: 10 } },
  budget: { maxTimeMs: 1e12, maxEvents: events },
  record: { messages: record, steps: record, history: record, maxRecords: events },
  ...extra,
});

const cases: Case[] = [
  {
    name: "ping-pong, 2 nodes, 100 in flight, constant 1 ms, recording off",
    options: (events) => ({
      seed: 1,
      nodes: ["a", "b"],
      createNode: (id) => new PingPong(id, id === "a" ? "b" : null, 100),
      network: { latency: { type: "constant", ms: 1 } },
      budget: { maxTimeMs: 1e12, maxEvents: events },
      record: { messages: false, steps: false, history: false },
    }),
  },
  { name: "hot potato, 5 nodes, 1000 in flight, uniform 1-10 ms, recording off", options: potato(false) },
  {
    name: "ping-pong persisting every hop, fsync 0.1-1 ms, recording off",
    options: (events) => ({
      seed: 1,
      nodes: ["a", "b"],
      createNode: (id) => new DurablePingPong(id, id === "a" ? "b" : null, 100),
      network: { latency: { type: "constant", ms: 1 } },
      storage: { fsyncMs: { type: "uniform", minMs: 0.1, maxMs: 1 } },
      budget: { maxTimeMs: 1e12, maxEvents: events },
      record: { messages: false, steps: false, history: false },
    }),
  },
  {
    name: "broadcast, 5 nodes, nemesis (partitions, loss, duplication, latency), recording off",
    options: (events) => ({
      seed: 1,
      nodes: nodes5,
      createNode: (id) => new Beacon(id, nodes5.filter((n) => n !== id)),
      network: { latency: { type: "exponential", minMs: 1, meanExtraMs: 3, maxMs: 50 } },
      faults: generateNemesis({ seed: 1, nodes: nodes5, endMs: events / 20, kinds: ["partition", "cut", "loss", "duplicate", "latency"] }),
      budget: { maxTimeMs: 1e12, maxEvents: events },
      record: { messages: false, steps: false, history: false },
    }),
  },
  { name: "hot potato, 5 nodes, recording on (messages + steps), 250k events", options: potato(true), maxEvents: 250_000 },
];

interface Result {
  messages: number;
  seconds: number;
  cpuSeconds: number;
  messagesPerSec: number;
  messagesPerCpuSec: number;
}

function runCase(c: Case, events: number): Result {
  const sim = new Simulation(c.options(events));
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  sim.run();
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = (used.user + used.system) / 1e6;
  const messages = sim.statistics().messagesDelivered;
  return { messages, seconds, cpuSeconds, messagesPerSec: messages / seconds, messagesPerCpuSec: messages / cpuSeconds };
}

function main(): void {
  const events = Number(process.env.BENCH_EVENTS ?? 2_000_000);
  const runs = 3;
  console.log(`@synod/sim bench: simulated messages/s on one core (node ${process.version}), ${events.toLocaleString("en-US")} events per run (unless capped), median of ${runs}`);
  console.log("command: cd packages/sim && npm run bench   (BENCH_EVENTS=n to change the run length)\n");
  console.log("msgs/s is wall clock; msgs/cpu-s divides by the process's CPU time, the fair figure on a loaded machine\n");
  const rows: string[][] = [["case", "delivered msgs", "wall s", "msgs/s (wall)", "cpu s", "msgs/cpu-s", "≥ 1e6/cpu-s"]];
  for (const c of cases) {
    const n = Math.min(events, c.maxEvents ?? Infinity);
    runCase(c, Math.min(n, 200_000)); // warm up the JIT
    const results = Array.from({ length: runs }, () => runCase(c, n)).sort((a, b) => a.messagesPerCpuSec - b.messagesPerCpuSec);
    const median = results[Math.floor(runs / 2)] as Result;
    rows.push([
      c.name,
      median.messages.toLocaleString("en-US"),
      median.seconds.toFixed(3),
      Math.round(median.messagesPerSec).toLocaleString("en-US"),
      median.cpuSeconds.toFixed(3),
      Math.round(median.messagesPerCpuSec).toLocaleString("en-US"),
      median.messagesPerCpuSec >= 1e6 ? "yes" : "no",
    ]);
  }
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  for (const [i, r] of rows.entries()) {
    console.log(`| ${r.map((cell, j) => cell.padEnd(widths[j] as number)).join(" | ")} |`);
    if (i === 0) console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  }
}

main();
