/**
 * The options a {@link Simulation} is created with, and their validation. Every bad field is
 * reported by its path (`network.links[1].lossProbability: expected a probability in [0, 1]`).
 *
 * @module
 */
import type { ClientRequest, Json, NodeId, ProtocolNode, ReplyRule, Rng } from "@synod/protocol";
import { type ByzantineHook, HOOKED_BEHAVIOURS } from "./byzantine.js";
import { SimulationConfigError } from "./errors.js";
import { type Fault, type FaultSchedule, checkDrift, checkOffset, checkProbability, parseFaultSchedule } from "./faults.js";
import type { HistoryAdapter } from "./history.js";
import { type LatencyDistribution, validateLatency } from "./latency.js";
import type { StepRecord } from "./records.js";

/** What {@link SimulationOptions.createNode} is told about the node it must build. */
export interface NodeContext {
  /** 0 for the first start, then 1, 2, ... for each restart after a crash. */
  incarnation: number;
  /**
   * The node's durable storage as it survived (empty on first start). The simulator also steps a
   * `restart` event carrying the same map, so a node may use either.
   */
  durable: ReadonlyMap<string, Json>;
}

/** Per-link override: messages from `from` to `to` (`"*"` matches any node). Later entries win. */
export interface LinkOptions {
  /** Sending node, or `"*"` for any. */
  from: NodeId | "*";
  /** Receiving node, or `"*"` for any. */
  to: NodeId | "*";
  /** Latency of the matching links (a `latency` fault does not override it). */
  latency?: LatencyDistribution;
  /** Loss probability of the matching links. */
  lossProbability?: number;
  /** Duplication probability of the matching links. */
  duplicateProbability?: number;
}

/** The simulated network between nodes. */
export interface NetworkOptions {
  /** One-way latency of every link (unless a link overrides it). Jitter reorders messages. */
  latency: LatencyDistribution;
  /** Probability that a message is lost. Default 0. */
  lossProbability?: number;
  /** Probability that a message is delivered twice (the copy with its own latency). Default 0. */
  duplicateProbability?: number;
  /** Per-link overrides, later entries winning over earlier ones. */
  links?: LinkOptions[];
  /**
   * Latency by message type: a message whose `type` field is a key here takes that latency,
   * whatever its link (it wins over `links`, `latency` and a `latency` fault). This is how the
   * WARS model of Bailis et al. gives writes (W), acknowledgements (A), read requests (R) and
   * read responses (S) their own distributions. Messages of other types use the link's latency.
   */
  byMessageType?: Record<string, LatencyDistribution>;
  /** Deliver each link's messages in send order (TCP-like), i.e. no reordering. Default false. */
  fifo?: boolean;
  /**
   * Pass every message through `JSON.stringify`/`JSON.parse` on the way, as a real wire would, so
   * a receiver never shares objects with the sender (and non-JSON payloads are caught). Costs
   * speed; default false.
   */
  serializeMessages?: boolean;
}

/** A node's clock: the `nowMs` it sees is `virtualMs * (1 + drift) + offsetMs`. */
export interface ClockOptions {
  /** Fixed skew in ms (may be negative). Default 0. */
  offsetMs?: number;
  /** Rate error: `0.01` runs 1% fast, `-0.01` 1% slow; in (-0.5, 0.5). Default 0. */
  drift?: number;
}

/** Durable storage: how long an fsync takes and what a crash during one leaves behind. */
export interface StorageOptions {
  /**
   * Time from a ready's `persist` to its writes being durable. While it runs the node does not
   * step (events queue) and the ready's messages, replies and timers wait. Default 0 (instant).
   */
  fsyncMs?: number | LatencyDistribution;
  /**
   * When a node crashes mid-fsync: `"lose-all"` (default) drops every pending write;
   * `"keep-prefix"` keeps a random prefix of them, as a disk that wrote some blocks in order.
   */
  crashDuringFsync?: "lose-all" | "keep-prefix";
  /**
   * Store each written value as JSON, as a disk would: later mutation of the node's object does
   * not reach storage, and a value JSON cannot hold is an error. Default true.
   */
  serializeWrites?: boolean;
}

/** How a client retries one operation. Without it, a client makes exactly one attempt. */
export interface RetryPolicy {
  /** Give up on an attempt (and try another node) after this long without a reply. */
  attemptTimeoutMs: number;
  /** Wait this long before retrying after a `not-leader` / `unavailable` answer. */
  backoffMs: number;
  /** Retry against `leaderHint` when a reply names one (else the next node in order). */
  followLeaderHint: boolean;
}

/** Simulated clients: their links to the nodes and their patience. */
export interface ClientOptions {
  /** One-way latency between a client and any node. Default: the network's latency. */
  latency?: LatencyDistribution;
  /** Probability that a request or a reply is lost. Default 0. */
  lossProbability?: number;
  /** An operation with no final answer after this long is recorded as `info`. Default 1000. */
  timeoutMs?: number;
  /** Default retry policy for {@link Simulation.invoke}. Default: none (one attempt). */
  retry?: RetryPolicy;
  /**
   * An `ok` answer completes an operation only once this many distinct nodes sent the same result
   * (a Byzantine-fault-tolerant client waits for f + 1 matching replies). Default 1.
   */
  replyQuorum?: number;
}

/** What to record, and how much. Recording is bounded: past `maxRecords` entries are counted, not kept. */
export interface RecordOptions {
  /** Record every message (for space-time diagrams). Default true. */
  messages?: boolean;
  /** Record every node step with its event and ready (for trace validation). Default true. */
  steps?: boolean;
  /** Record the client history. Default true. */
  history?: boolean;
  /**
   * Bound on each of the message, step and history logs. Default 250,000 (a recorded step costs
   * a few hundred bytes: 250k steps of a toy node are ~100 MB).
   */
  maxRecords?: number;
}

/** A run's limits: it stops at whichever comes first. */
export interface Budget {
  /** Virtual time limit in ms. */
  maxTimeMs: number;
  /** Limit on processed events (deliveries, timers, faults, ...). */
  maxEvents: number;
}

/** Hooks called synchronously during the run (e.g. to inspect node state after every step). */
export interface Observer<Msg, Cmd, Res> {
  /** After each step (and its `ready()`), before the ready's effects are carried out. */
  afterStep?(record: StepRecord<Msg, Cmd, Res>, node: ProtocolNode<Msg, Cmd, Res>): void;
}

/**
 * The data part of {@link SimulationOptions}: everything but the functions. Plain JSON, so a
 * replay file can store it and {@link parseSimulationConfig} read it back.
 */
export interface SimulationConfig {
  /** The run's seed: same seed and options, same run, byte for byte. */
  seed: number;
  /** The cluster's node ids, in a fixed order (it is the order of diagram columns). */
  nodes: NodeId[];
  /** The network between nodes. */
  network: NetworkOptions;
  /** Per-node clock skew and drift; nodes not named have perfect clocks. */
  clocks?: Record<NodeId, ClockOptions>;
  /** Durable storage behaviour (all nodes). */
  storage?: StorageOptions;
  /** Simulated clients. */
  clients?: ClientOptions;
  /** Faults to inject at fixed virtual times. */
  faults?: FaultSchedule;
  /** Limits of the run. */
  budget: Budget;
  /** What to record. */
  record?: RecordOptions;
  /** Bound on events queued for a paused or syncing node; beyond it messages are dropped. Default 100,000. */
  maxInboxEvents?: number;
}

/** Everything a {@link Simulation} is created with: the {@link SimulationConfig} plus the functions. */
export interface SimulationOptions<Msg, Cmd, Res> extends SimulationConfig {
  /** Build a node. Called once per node at the start and again at every restart. */
  createNode(id: NodeId, rng: Rng, context: NodeContext): ProtocolNode<Msg, Cmd, Res>;
  /** How commands and results become history entries (`f`, `value`, `key`). */
  history?: HistoryAdapter<Cmd, Res>;
  /** Hooks. */
  observer?: Observer<Msg, Cmd, Res>;
  /**
   * Client-side authentication: called on every attempt before a request leaves its client (e.g.
   * to sign it). Default: requests go as invoked.
   */
  sealRequest?(request: ClientRequest<Cmd>): ClientRequest<Cmd>;
  /**
   * Client `clientId`'s rule for the replies to each operation (one rule object per operation), where
   * neither one node's answer nor `clients.replyQuorum` identical ones are enough: e.g. a
   * Byzantine-fault-tolerant client checks each reply's authenticator first. Replies it rejects
   * are dropped and counted (`stats.clientRepliesRejected`). Given, it replaces `replyQuorum`.
   */
  replyRule?(clientId: string): ReplyRule<Res>;
  /** How the protocol's messages go wrong under `byzantine` faults that need it (see byzantine.ts). */
  byzantine?: ByzantineHook<Msg, Res>;
}

function positiveNumber(value: unknown, path: string, allowZero = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new SimulationConfigError(path, `expected a finite number ${allowZero ? ">= 0" : "> 0"}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkNodeRef(value: unknown, path: string, nodes: ReadonlySet<string>, wildcard: boolean): void {
  if (wildcard && value === "*") return;
  if (typeof value !== "string" || !nodes.has(value)) {
    throw new SimulationConfigError(path, `unknown node ${JSON.stringify(value)} (nodes: ${[...nodes].join(", ")})`);
  }
}

/** Check a retry policy. */
export function validateRetry(value: unknown, path: string): RetryPolicy {
  if (typeof value !== "object" || value === null) throw new SimulationConfigError(path, "expected a retry policy object");
  const r = value as Record<string, unknown>;
  positiveNumber(r.attemptTimeoutMs, `${path}.attemptTimeoutMs`);
  positiveNumber(r.backoffMs, `${path}.backoffMs`, true);
  if (typeof r.followLeaderHint !== "boolean") throw new SimulationConfigError(`${path}.followLeaderHint`, "expected a boolean");
  return value as RetryPolicy;
}

/** The fields of a {@link SimulationConfig}, for rejecting unknown ones in a replay file. */
const CONFIG_FIELDS = ["seed", "nodes", "network", "clocks", "storage", "clients", "faults", "budget", "record", "maxInboxEvents"];

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SimulationConfigError(path, `expected an object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function optionalObject(value: unknown, path: string): Record<string, unknown> {
  return value === undefined ? {} : object(value, path);
}

function nonNegativeInteger(value: unknown, path: string, min = 0): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new SimulationConfigError(path, `expected ${min === 0 ? "a non-negative" : "a positive"} integer, got ${JSON.stringify(value)}`);
  }
}

/**
 * Check the data part of simulation options (everything but the functions) — what a replay file
 * stores. `path` prefixes every error (e.g. `replay.json:config.network.lossProbability`).
 * @throws {@link SimulationConfigError} naming the first bad field.
 */
export function validateConfig(input: unknown, path = ""): SimulationConfig {
  const at = (field: string): string => (path === "" ? field : `${path}.${field}`);
  const o = object(input, path === "" ? "options" : path);
  if (typeof o.seed !== "number" || !Number.isSafeInteger(o.seed)) {
    throw new SimulationConfigError(at("seed"), `expected a safe integer seed, got ${JSON.stringify(o.seed)}`);
  }
  if (!Array.isArray(o.nodes) || o.nodes.length === 0) throw new SimulationConfigError(at("nodes"), "expected a non-empty array of node ids");
  const nodes = new Set<string>();
  o.nodes.forEach((n: unknown, i) => {
    if (typeof n !== "string" || n.length === 0) throw new SimulationConfigError(at(`nodes[${i}]`), `expected a non-empty string, got ${JSON.stringify(n)}`);
    if (nodes.has(n)) throw new SimulationConfigError(at(`nodes[${i}]`), `duplicate node id ${JSON.stringify(n)}`);
    nodes.add(n);
  });
  const network = object(o.network, at("network"));
  validateLatency(network.latency, at("network.latency"));
  if (network.lossProbability !== undefined) checkProbability(network.lossProbability, at("network.lossProbability"));
  if (network.duplicateProbability !== undefined) checkProbability(network.duplicateProbability, at("network.duplicateProbability"));
  if (network.links !== undefined && !Array.isArray(network.links)) throw new SimulationConfigError(at("network.links"), "expected an array");
  ((network.links ?? []) as unknown[]).forEach((link, i) => {
    const p = at(`network.links[${i}]`);
    const l = object(link, p);
    checkNodeRef(l.from, `${p}.from`, nodes, true);
    checkNodeRef(l.to, `${p}.to`, nodes, true);
    if (l.latency !== undefined) validateLatency(l.latency, `${p}.latency`);
    if (l.lossProbability !== undefined) checkProbability(l.lossProbability, `${p}.lossProbability`);
    if (l.duplicateProbability !== undefined) checkProbability(l.duplicateProbability, `${p}.duplicateProbability`);
  });
  for (const [type, d] of Object.entries(optionalObject(network.byMessageType, at("network.byMessageType")))) {
    validateLatency(d, at(`network.byMessageType.${type}`));
  }
  for (const [id, clock] of Object.entries(optionalObject(o.clocks, at("clocks")))) {
    checkNodeRef(id, at(`clocks.${id}`), nodes, false);
    const c = object(clock, at(`clocks.${id}`));
    if (c.offsetMs !== undefined) checkOffset(c.offsetMs, at(`clocks.${id}.offsetMs`));
    if (c.drift !== undefined) checkDrift(c.drift, at(`clocks.${id}.drift`));
  }
  const storage = optionalObject(o.storage, at("storage"));
  if (typeof storage.fsyncMs === "number") positiveNumber(storage.fsyncMs, at("storage.fsyncMs"), true);
  else if (storage.fsyncMs !== undefined) validateLatency(storage.fsyncMs, at("storage.fsyncMs"));
  const crash = storage.crashDuringFsync;
  if (crash !== undefined && crash !== "lose-all" && crash !== "keep-prefix") {
    throw new SimulationConfigError(at("storage.crashDuringFsync"), `expected "lose-all" or "keep-prefix", got ${JSON.stringify(crash)}`);
  }
  if (storage.serializeWrites !== undefined && typeof storage.serializeWrites !== "boolean") {
    throw new SimulationConfigError(at("storage.serializeWrites"), "expected a boolean");
  }
  const clients = optionalObject(o.clients, at("clients"));
  if (clients.latency !== undefined) validateLatency(clients.latency, at("clients.latency"));
  if (clients.lossProbability !== undefined) checkProbability(clients.lossProbability, at("clients.lossProbability"));
  if (clients.timeoutMs !== undefined) positiveNumber(clients.timeoutMs, at("clients.timeoutMs"));
  if (clients.retry !== undefined) validateRetry(clients.retry, at("clients.retry"));
  if (clients.replyQuorum !== undefined) nonNegativeInteger(clients.replyQuorum, at("clients.replyQuorum"), 1);
  if (o.faults !== undefined) parseFaultSchedule(o.faults, { nodes: [...nodes], path: at("faults") });
  const budget = object(o.budget, at("budget"));
  positiveNumber(budget.maxTimeMs, at("budget.maxTimeMs"), true);
  nonNegativeInteger(budget.maxEvents, at("budget.maxEvents"));
  const record = optionalObject(o.record, at("record"));
  if (record.maxRecords !== undefined) nonNegativeInteger(record.maxRecords, at("record.maxRecords"));
  if (o.maxInboxEvents !== undefined) nonNegativeInteger(o.maxInboxEvents, at("maxInboxEvents"), 1);
  return o as unknown as SimulationConfig;
}

/**
 * Read a {@link SimulationConfig} from JSON text (or an already parsed value), e.g. the `config`
 * of a replay file. Unknown fields are errors, so a typo does not silently change a run.
 * @example `const config = parseSimulationConfig(text, "replay.json:config"); new Simulation({ ...config, createNode })`
 */
export function parseSimulationConfig(input: unknown, path = "config"): SimulationConfig {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new SimulationConfigError(path, `not valid JSON: ${(err as Error).message}`);
    }
  }
  for (const key of Object.keys(object(value, path))) {
    if (!CONFIG_FIELDS.includes(key)) throw new SimulationConfigError(`${path}.${key}`, `unknown field (known: ${CONFIG_FIELDS.join(", ")})`);
  }
  return validateConfig(value, path);
}

/**
 * Check simulation options; throws a {@link SimulationConfigError} naming the first bad field.
 */
export function validateOptions<Msg, Cmd, Res>(o: SimulationOptions<Msg, Cmd, Res>): void {
  validateConfig(o);
  if (typeof o.createNode !== "function") throw new SimulationConfigError("createNode", "expected a function");
  if (o.sealRequest !== undefined && typeof o.sealRequest !== "function") throw new SimulationConfigError("sealRequest", "expected a function");
  if (o.replyRule !== undefined && typeof o.replyRule !== "function") throw new SimulationConfigError("replyRule", "expected a function");
  if (o.replyRule !== undefined && o.clients?.replyQuorum !== undefined) throw new SimulationConfigError("clients.replyQuorum", "give replyQuorum or replyRule, not both (the rule decides)");
  if (o.byzantine !== undefined && typeof o.byzantine.mutate !== "function") throw new SimulationConfigError("byzantine.mutate", "expected a function");
  (o.faults ?? []).forEach((f, i) => checkByzantineHook(f.fault, `faults[${i}].fault`, o.byzantine));
}

/**
 * A `byzantine` fault whose behaviour changes message contents needs the protocol's hook; throws
 * a {@link SimulationConfigError} naming `path` when it is missing.
 */
export function checkByzantineHook(fault: Fault, path: string, hook: ByzantineHook<unknown, unknown> | undefined): void {
  if (fault.type !== "byzantine" || !HOOKED_BEHAVIOURS.includes(fault.behaviour)) return;
  if (hook === undefined) {
    throw new SimulationConfigError(`${path}.behaviour`, `"${fault.behaviour}" changes message contents, which only the protocol knows how to do: give the simulation a byzantine hook (SimulationOptions.byzantine)`);
  }
  if (fault.behaviour === "lie" && hook.reply === undefined) {
    throw new SimulationConfigError(`${path}.behaviour`, `"lie" needs the byzantine hook's reply()`);
  }
}
