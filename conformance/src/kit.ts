/**
 * The protocol kit: everything conformance, `verify`, `replay`, `serve`, `soak` and `bench` need
 * to know about a protocol, in one descriptor per protocol (`conformance/src/<protocol>/kit.ts`).
 * The generic checks and the CLI iterate the registry of descriptors (`registry.ts`); no protocol
 * name is written anywhere else in conformance or the CLI.
 *
 * A descriptor is plain data and functions, like Porcupine's model record: the spec and how to load
 * it, the adapter and abstraction for the two trace checks, the production node, the service it
 * offers and the judge of its histories, the faults it claims to survive, its broken variants and
 * which checks must catch each, and its served node for `synod serve`.
 *
 * @module
 */
import type { Applied, ClientRequest, Json, NodeId, ProtocolNode, Ready, ReplyRule, Rng, SpecStepping, Traced } from "@synod/protocol";
import type { ByzantineBehaviour, ByzantineHook, ClientOutcome, HistoryEntry, NemesisKind } from "@synod/sim";
import type { CompiledModel, State, Value } from "@synod/tla-checker-wasm";
import type { Adapter } from "./adapter.js";
import type { Judge } from "./judge.js";

/** How much to check: `ci` finishes in minutes on two cores; `full` is the long run. */
export type Size = "ci" | "full";

/** The three conformance checks (and `spec`: the model checker on the broken variant's cfg). */
export type CheckName = "replay" | "validate" | "histories";

/**
 * The types one protocol's descriptor is written over, bundled so that a descriptor has one type
 * parameter. `node` is the production node; `traced` the node trace validation runs (often the
 * same class in a spec-granularity mode); `impl` what spec→implementation replay drives; `spec`
 * the loaded spec with the protocol's own helpers; `variant` the options that make a broken build.
 */
export interface KitTypes {
  msg: unknown;
  cmd: unknown;
  res: unknown;
  node: ProtocolNode<unknown, unknown, unknown>;
  traced: ProtocolNode<unknown, unknown, unknown> & Traced;
  impl: unknown;
  spec: LoadedSpec;
  variant: unknown;
}

/** A spec loaded for a check, with the mapping between model values and implementation names. */
export interface LoadedSpec {
  /** The compiled model (the checker's API). */
  model: CompiledModel;
  /** The implementation's node ids, which are also the names of the spec's server model values. */
  servers: readonly NodeId[];
  /** The model value named `name` (a server id, a client value, Nil). */
  mv(name: string): Value;
  /** The name of a model value (the inverse of {@link LoadedSpec.mv}); throws for other values. */
  nameOf(v: Value): string;
}

/** Why a spec model is loaded: which check, and so which bounds. */
export type SpecPurpose = "walks" | "coverage" | "validate";

/** Where the spec lives and how each check loads it. */
export interface SpecPart<T extends KitTypes> {
  /** The spec folder, relative to the checkout that holds the descriptor's package (`specs/raft`). */
  dir: string;
  /** Load the model `purpose` needs at `size` (bounds are the descriptor's business). */
  load(purpose: SpecPurpose, size: Size): Promise<T["spec"]>;
}

/** Check 1, spec → implementation: traces of the spec replayed on fresh implementation nodes. */
export interface ReplayPart<T extends KitTypes> {
  /** The adapter over `spec` for the correct build, or for a broken variant's options. */
  adapter(spec: T["spec"], variant?: T["variant"]): Adapter<T["impl"]>;
  /** Random walks per size, and their depth. */
  walks: Record<Size, number>;
  /** Steps per walk at most. */
  depth: number;
  /**
   * The distinct states TLC finds in the coverage model of each size, when known: the replay must
   * reach exactly as many (a smaller count means traces were lost).
   */
  coverageDistinct?: Partial<Record<Size, number>>;
}

/** One message on the wire, as the trace checks see it. */
export interface WireMessage<Msg> {
  from: NodeId;
  to: NodeId;
  message: Msg;
}

/**
 * The abstraction function for trace validation: a node's spec variables (opaque to the check) and
 * the whole spec state assembled from every node's view and the messages in flight.
 */
export interface StepAbstraction<T extends KitTypes> {
  /** One node's part of the spec state. Throws `AdapterError` for state with no spec counterpart. */
  node(n: T["traced"]): unknown;
  /**
   * The spec state from every node's part and the messages in flight, at real time `nowMs` (the
   * simulator's; only a spec with a {@link ValidatePart.clock} needs it).
   */
  state(nodes: ReadonlyMap<NodeId, unknown>, inflight: readonly WireMessage<T["msg"]>[], nowMs: number): State;
  /** Erase dead spec state before comparing (see `Adapter.observable`). */
  observable?(state: State): State;
}

/** An action the validation driver makes a node take at random times (see `SpecStepping`). */
export interface DrivenAction {
  /** The spec action. */
  action: string;
  /** Whether it takes a peer, passed as the parameter `j`. */
  peer: boolean;
}

/** A crash aimed at a moment bugs hide in: right after a step whose ready matches. */
export interface TargetedCrash<Msg> {
  /** What the crash aims at, in words. */
  name: string;
  /** Whether the step that produced `ready` is such a moment. */
  when(ready: Ready<Msg, unknown, unknown>): boolean;
  /** Probability of crashing at such a moment. */
  probability: number;
}

/** Check 2, implementation → spec: simulator runs whose every node step must be a spec step. */
export interface ValidatePart<T extends KitTypes> {
  /**
   * A node that reports the spec actions of each step (and takes driven actions when told). `seed`
   * is the run's: a descriptor may vary the node's options from seed to seed (every node of a run
   * gets the same), so that the seeds between them cover each option.
   */
  node(init: { id: NodeId; peers: NodeId[]; rng: Rng; variant: T["variant"] | undefined; seed: number }): T["traced"] & Partial<SpecStepping>;
  /** The abstraction over a loaded spec. */
  abstraction(spec: T["spec"]): StepAbstraction<T>;
  /**
   * How the spec holds messages in flight: `bag` (a delivered message leaves it; loss and
   * duplication are spec actions), or `set` (messages are never removed, as in Lamport's Paxos).
   */
  network: "bag" | "set";
  /** Actions a node takes only when told, which the driver takes at random times. */
  driven: readonly DrivenAction[];
  /**
   * The spec's real-time clock, for specs where time is a variable (leases, expiries): `action`
   * (without parameters) advances it by one tick of `tickMs` real milliseconds. Before each node
   * step the validator takes as many `action` steps as ticks have passed since the previous step,
   * and it gives the abstraction each state's real time. Nodes must then count time in the same
   * ticks (`floor(nowMs / tickMs)`), so that the spec's arithmetic is theirs.
   */
  clock?: { action: string; tickMs: number };
  /** A client command the driver sends to `node` now and then (`null`: none), e.g. a put of a spec value. */
  request?(spec: T["spec"], rng: Rng, node: T["traced"]): T["cmd"] | null;
  /**
   * Client-side authentication of the driver's requests (the driver's client ids are
   * `driver-<node>-<incarnation>`), for services that refuse unsigned requests.
   */
  seal?(request: ClientRequest<T["cmd"]>): ClientRequest<T["cmd"]>;
  /** Whether a spec parameter value denotes the implementation's parameter value. */
  paramMatches?(spec: T["spec"], name: string, specValue: Value, implValue: string | number): boolean;
  /** Targeted crashes on top of the generated fault schedule. */
  targetedCrash?: TargetedCrash<T["msg"]>;
  /**
   * The node's durable state as it holds it in memory (term, vote, log, ...), as JSON. When given,
   * every step that persists is checked against storage: a fresh node restarted from what storage
   * will hold after the step must give back the same durable state. This catches a change made in
   * memory and not persisted (or persisted wrongly) at the step that makes it, with or without a
   * crash in the schedule.
   */
  durable?(node: T["traced"]): Json;
  /** Fault kinds of the generated schedules. */
  faults: readonly NemesisKind[];
  /** Seeds per size, and the virtual duration of each run. */
  seeds: Record<Size, number>;
  durationMs: number;
  /**
   * Byzantine nodes in trace validation, for a spec that models them (e.g. a set `Byz` whose
   * members have no variables and whose messages are implicit): they misbehave from the start
   * with one behaviour per seed, `behaviours` in turn (seed s: the (s − 1)th, so seeds
   * 1..length cover each; only behaviours the spec can express), and
   * their own steps are not spec steps, so they are not checked; the correct nodes' steps are,
   * including those that react to what the faulty ones send.
   */
  byzantine?: ValidateByzantinePart<T>;
}

/**
 * A further trace validation of the protocol against a spec of its own (see
 * {@link ProtocolKit.validateModes}): e.g. the production node, with every consequence of an
 * event in one step, against a spec of what production mode does, where the main validation runs
 * a node reduced to one spec action per step. Each mode is a row of its own, run wherever the
 * main trace validation is (broken variants whose `caughtBy` names `validate` are caught when the
 * main validation or any mode catches them).
 */
export interface ValidateMode<T extends KitTypes, S extends LoadedSpec = LoadedSpec> {
  /** Its name in the row (`production mode, RaftProd.tla`). */
  name: string;
  /** Its name on the command line (`synod conformance raft --validate-seed 3 --validate-mode production`). */
  key: string;
  /** The spec it validates against (unbounded, like {@link SpecPart.load}'s `validate` purpose). */
  load(size: Size): Promise<S>;
  /** The node, abstraction and schedule, as for the main trace validation. */
  validate: ValidatePart<Omit<T, "spec"> & { spec: S }>;
}

/**
 * Spec → implementation on the production code paths (see {@link ProtocolKit.guided}): walks in
 * which the spec picks each next event among those a node starts on its own (a delivery, a timer,
 * a client request, a restart, a network fault), the production node handles it with every
 * consequence in one step, and the actions it reports must be a path of the spec to the
 * abstracted state after. Where replay drives a node reduced to one spec action per step, this
 * drives the node users run.
 */
export interface GuidedPart<T extends KitTypes> {
  /** The spec walked, for the row (`RaftProd.tla`). */
  name: string;
  /** Walks per size, and events per walk. */
  walks: Record<Size, number>;
  depth: number;
  /** Run `walks` walks from `seed` on the correct build or a broken variant. */
  run(opts: { seed: number; walks: number; depth: number; variant?: T["variant"] }): Promise<GuidedOutcome>;
}

/** What {@link GuidedPart.run} reports. */
export interface GuidedOutcome {
  /** Production steps checked. */
  steps: number;
  /** Distinct spec states reached. */
  distinct: number;
  /** Spec actions the checked steps took, with counts. */
  actions: Record<string, number>;
  /** The first step the spec does not allow, in words, or null. */
  failure: string | null;
}

/** See {@link ValidatePart.byzantine}. */
export interface ValidateByzantinePart<T extends KitTypes> {
  /** The spec's Byzantine nodes (they must be among its servers). */
  nodes(spec: T["spec"]): readonly NodeId[];
  /** The behaviours seeds take in turn (one per seed and node; `honest` is allowed). */
  behaviours: readonly ByzantineBehaviour[];
  /** The protocol's hook for a cluster of `nodes` (see {@link ByzantinePart.hook}). */
  hook(nodes: readonly NodeId[]): ByzantineHook<T["msg"], T["res"]>;
}

/** A workload of a service: its commands, and how each appears in a client history. */
export interface Service<Cmd, Res> {
  /** The service's name (`kv`). */
  name: string;
  /**
   * The next command of `clientId` for a workload of `keys` keys and `readRatio` reads.
   * `previous` is the client's preceding operation when it completed `ok` in this run (absent
   * otherwise, and in workloads that do not track it): a store whose writes carry what the client
   * read (Dynamo's get context, then put) builds its next write from it.
   */
  nextCommand(shape: { keys: number; readRatio: number }, rng: Rng, clientId: string, opIndex: number, previous?: { command: Cmd; result: Res }): Cmd;
  /** The commands run after the workload, the faults healed and every node restarted: each must complete. */
  finalCommands(shape: { keys: number; readRatio: number }): Cmd[];
  /** The `f`, `key` and `value` of an invocation in the history. */
  invoke(cmd: Cmd): { f: string; key?: string; value: Json };
  /** The `value` of an `ok` completion. */
  complete(cmd: Cmd, result: Res): Json;
  /**
   * How many acknowledged writes the final commands (invoked at or after `finalFromNs`) show were
   * lost; absent where the service cannot tell. Used by `synod soak`'s report.
   */
  lostWrites?(history: readonly HistoryEntry[], finalFromNs: number): number;
}

/** One node step as a targeted schedule sees it. */
export interface TargetStep<T extends KitTypes> {
  node: NodeId;
  atMs: number;
  event: { type: string; message?: T["msg"] };
  ready: Ready<T["msg"], T["res"], T["cmd"]> | null;
}

/** What a targeted schedule watches. */
export interface TargetHook<T extends KitTypes> {
  /** Called after every node step. */
  onStep(step: TargetStep<T>): void;
  /**
   * Called once at the end of the run: `null` when what the schedule set out to do happened, else
   * why not in words, which fails the run. For a schedule whose requests ({@link TargetSim.request})
   * a correct build must complete once the network heals (e.g. a membership change), and for one
   * that bounds how long a node may take to react (e.g. a leader cut off from every peer must step
   * down within two election timeouts): a liveness or latency bug that no judge of the history
   * sees, since a client that times out is a linearizable client.
   */
  finish?(): string | null;
}

/** A deterministic schedule aimed at one bug, on top of a history run (see `HistoryRun.targeted`). */
export interface TargetedSchedule<T extends KitTypes> {
  /** What it aims at, in words. */
  description: string;
  /**
   * Arm the schedule on a simulation of `nodes`; the returned hook sees every step. It may only act
   * through the simulation's faults, so replay files reproduce it.
   */
  arm(sim: TargetSim<T>, nodes: readonly NodeId[]): TargetHook<T>;
  /**
   * Protocol options the schedule needs, merged over the first option set (e.g. Raft without
   * check-quorum, so an isolated leader keeps believing it leads).
   */
  options?: Json;
  /**
   * The workload the schedule needs, over the default of targeted runs (4 clients, 10 keys, 70%
   * reads): e.g. few keys, so that reads in a short window hit the key of the write the schedule
   * aims at, or no clients at all, so that only the protocol's own timers drive it.
   */
  workload?: { clients?: number; keys?: number; readRatio?: number };
}

/** The part of the simulator a targeted schedule may use. */
export interface TargetSim<T extends KitTypes> {
  /** Run `f` at virtual time `atMs`. */
  at(atMs: number, f: () => void): void;
  /** Run `f` `ms` after now. */
  after(ms: number, f: () => void): void;
  /** Apply a fault now. */
  applyFault(fault: import("@synod/sim").Fault): void;
  /** The live node `id`, or undefined when it is down. */
  node(id: NodeId): T["node"] | undefined;
  /**
   * Send `command` through the nodes' client path, as an operator would (e.g. a membership change,
   * `serve`'s admin command), from a client of the schedule's own: first to `to`, retried after
   * 200 ms without an answer and after `not-leader` / `unavailable`, following leader hints, for
   * up to 3 s. Its operations are not the service's, so they are left out of the judged history.
   * One request at a time; `onDone` gets the outcome.
   */
  request(command: T["cmd"], to: NodeId, onDone: (outcome: ClientOutcome<T["res"]>) => void): void;
}

/** Check 3, histories: generated workloads under generated faults, judged by the protocol's judge. */
export interface HistoriesPart<T extends KitTypes> {
  /** A production node (recovering from `durable` after a restart). */
  node(init: { id: NodeId; peers: NodeId[]; rng: Rng; durable: ReadonlyMap<string, Json>; variant: T["variant"] | undefined; options: Json }): T["node"];
  /** The service the clients use. */
  service: Service<T["cmd"], T["res"]>;
  /** What the histories must satisfy. */
  judge: Judge;
  /** The faults the protocol claims to survive: runs draw their schedules from these kinds. */
  faults: readonly NemesisKind[];
  /** Runs per size (fast-check runs in `conformance`; `soak` takes any number of seeds). */
  runs: Record<Size, number>;
  /** Virtual duration of each run's workload. */
  durationMs: number;
  /** Nodes per run. */
  nodes: number;
  /** Option sets runs are drawn from (e.g. with and without pre-vote); `[{}]` for none. */
  optionSets: readonly Json[];
  /** Schedules aimed at particular bugs, by name. */
  targeted?: Record<string, TargetedSchedule<T>>;
  /**
   * How clients talk to a cluster of `nodes` where that is not "take the first answer": a
   * Byzantine-fault-tolerant service's clients sign their requests (`seal`) and wait for f + 1
   * matching replies (`replyQuorum`). Used by the histories check and the simulator bench.
   */
  clients?(nodes: readonly NodeId[]): ClientPolicy<T>;
  /**
   * Byzantine replicas, for a protocol that claims to tolerate them (`faults` must then include
   * `byzantine`): runs give `byzantine` faults with these behaviours to at most `maxFaulty`
   * distinct nodes (later faults naming other nodes are dropped from the run), and the judge and
   * {@link HistoriesPart.agreement} hold the other nodes to the protocol's promises.
   */
  byzantine?: ByzantinePart<T>;
  /**
   * Whether {@link Applied.index} is a position in one replicated log (Raft's and Multi-Paxos's
   * log index): then every application a correct node reports is checked against every other's,
   * after each step, and two different requests (or commands) applied at one index fail the run
   * (State Machine Safety, as it happens rather than only at the end of the run).
   */
  logIndexed?: boolean;
  /**
   * The spec's per-node invariants on the live production node, checked after each of its steps
   * (`step`: what it stepped, `restart` included, and the ready it gave): `null` when they hold,
   * else the violation in words, which fails the run. Conformance's own check, not the node's
   * assertions: broken variants run it too.
   */
  invariant?(node: T["node"], step: { event: string; ready: Ready<T["msg"], T["res"], T["cmd"]> | null }): string | null;
  /**
   * The node's durable state as it holds it in memory (for Raft, RaftExt's durable variables: term,
   * vote, snapshot, log), as JSON. When given, the histories check holds storage to it on every
   * correct node:
   * - at every step that changes it other than by appending to arrays (a truncation, a new term or
   *   vote, a snapshot), or that deletes from storage: a fresh node made from what storage will
   *   hold once the step's writes are durable must give back exactly this, so a change made in
   *   memory and not persisted (or persisted wrongly) fails the run at the step that makes it
   *   (steps that only append are left to the next such step, to the restarts and to the end of
   *   the run, where every live node's storage is held to its memory, for speed);
   * - at every restart: the recovered node must hold exactly what its previous incarnation held
   *   after its last step whose writes were durable (the last step's writes may be lost by a crash
   *   during their fsync, so the state before that step is accepted too, and nothing else).
   *
   * The parts of what it returns are treated as values (pairs found equal are remembered): a later
   * step must make new objects rather than change these.
   */
  durable?(node: T["node"]): Json;
  /**
   * State-machine safety across nodes, checked at the end of every run: `null` when the correct
   * nodes (those never made Byzantine, `correct`) agree, else the disagreement in words (the
   * histories check fails the run with it, whatever the judge says).
   */
  agreement?(nodes: ReadonlyMap<NodeId, T["node"]>, correct: ReadonlySet<NodeId>): string | null;
}

/** See {@link HistoriesPart.clients}. */
export interface ClientPolicy<T extends KitTypes> {
  /** Matching `ok` replies from distinct nodes an operation needs (default 1). */
  replyQuorum?: number;
  /** Client-side authentication of each attempt (e.g. a signature over the request). */
  seal?(request: ClientRequest<T["cmd"]>): ClientRequest<T["cmd"]>;
  /**
   * Where replies carry authenticators: a fresh rule per request of client `clientId` that checks each reply (rejected
   * ones are dropped and counted) and decides when a result is final. Replaces `replyQuorum` for
   * deciding (the client still sends to every node when `replyQuorum` is above 1).
   */
  replies?(clientId: string): ReplyRule<T["res"]>;
}

/** See {@link HistoriesPart.byzantine}. */
export interface ByzantinePart<T extends KitTypes> {
  /** At most this many distinct nodes of a run misbehave (f, for the protocol's own check). */
  maxFaulty: number;
  /** The behaviours runs draw from. */
  behaviours: readonly ByzantineBehaviour[];
  /**
   * The protocol's hook for a cluster of `nodes` (how its messages are mutated, with the faulty
   * node's own keys only). One hook per run; it may keep state (colluding faulty nodes share it).
   */
  hook(nodes: readonly NodeId[]): ByzantineHook<T["msg"], T["res"]>;
}

/** A deliberately broken build that conformance must catch. */
export interface BrokenVariant<T extends KitTypes> {
  /** Its name (`voteWithoutUpToDateCheck`). */
  name: string;
  /** What is broken, in words. */
  description: string;
  /** The options that make a node broken this way. */
  variant: T["variant"];
  /** The checks that must catch it (every one of them, on the seeds the correct build passes). */
  caughtBy: readonly CheckName[];
  /** A targeted schedule the histories check runs for it (a name in `histories.targeted`). */
  targeted?: string;
}

/** What `synod serve <protocol>` needs: a node from recovered storage, and wire validation. */
export interface ServedNode<T extends KitTypes> {
  /** Create a node from recovered durable state; throws (naming the bad key) on corrupt state. */
  createNode(init: {
    id: NodeId;
    /** The other members of the initial cluster. */
    peers: NodeId[];
    /**
     * The node is not one of the initial members: it waits to be added to a running cluster (see
     * {@link ServedNode.admin}). A kit without `admin.addNode` must refuse it (a config error).
     */
    join?: boolean;
    rng: Rng;
    durable: ReadonlyMap<string, Json>;
    tuning: ServeTuning;
    /** Protocol options as given with `--protocol-options` (the tuning flags take precedence). */
    options: { [key: string]: Json };
  }): T["node"];
  /** Wire validation for peer messages: `null` if fine, else the problem. */
  checkMessage(message: unknown): string | null;
  /** True for errors that mean "durable state is corrupt" (the node must not start). */
  isStorageError(err: unknown): boolean;
  /** True for errors that mean "an option is invalid" (a usage error). */
  isConfigError(err: unknown): boolean;
  /** The tuning knobs this protocol honours, each with a line of help (others are refused). */
  knobs: Partial<Record<keyof ServeTuning, string>>;
  /** Cluster administration as client commands sent to the leader (`synod admin`); absent ones are refused. */
  admin?: ServedAdmin<T>;
  /**
   * Key material a served cluster needs (`synod keygen <protocol>`), as files: name → JSON content.
   * Absent: the protocol needs no keys, and `keygen` refuses it.
   */
  keygen?(init: { nodes: NodeId[]; clients: string[] }): Record<string, Json>;
  /**
   * How a client of a served cluster talks to it where "one node's answer" is not enough (`synod
   * kv --protocol`): a Byzantine-fault-tolerant service's client signs each request with its own
   * key (found through the client's protocol `options`) and sends it to every node, taking a
   * result once `replyQuorum` nodes answered the same. Throws (naming the option) on bad options.
   */
  client?(init: { clientId: string; nodes: number; options: { [key: string]: Json } }): ClientPolicy<T>;
}

/**
 * Cluster administration, each operation as the client command that asks the leader for it. The
 * command's reply is `ok` once the change took effect (committed), `rejected` when it cannot.
 */
export interface ServedAdmin<T extends KitTypes> {
  /** Add `node` as a voting member (it must be served with `join`, or be a former member). */
  addNode?(node: NodeId): T["cmd"];
  /** Remove `node` from the membership. */
  removeNode?(node: NodeId): T["cmd"];
  /** Hand leadership to `node`. */
  transferLeader?(node: NodeId): T["cmd"];
  /** Whether a result of one of these commands means success (default: any `ok` reply does). */
  succeeded?(result: T["res"]): boolean;
}

/** Timing knobs `synod serve` passes through to a protocol. */
export interface ServeTuning {
  electionTimeoutMsMin?: number;
  electionTimeoutMsMax?: number;
  heartbeatMs?: number;
  /** Take a protocol snapshot (and drop the log before it) every this many applied entries. */
  snapshotEveryEntries?: number;
}

/** What a node says about itself for `synod status` and the benches. */
export interface NodeStatus {
  /** `leader`, `follower`, `candidate`, ... (protocol vocabulary). */
  role: string;
  /** Whether the node believes it leads (and may serve linearizable operations). */
  leader: boolean;
  /** Its term, ballot or view, as the protocol counts leaderships. */
  epoch: number;
  /** What the protocol calls `epoch` (`term`, `ballot`, `view`), for operators' displays. */
  epochName?: string;
  /** The leader it follows, if known. */
  leaderId: NodeId | null;
  /** Highest committed and applied positions of its log (0 when it has none). */
  commitIndex: number;
  appliedIndex: number;
  /** Voting members it knows of. */
  members: NodeId[];
  /** Non-voting members it knows of (learners, observers), if the protocol has them. */
  learners?: NodeId[];
  /** The position its latest snapshot covers (0: none), if the protocol takes snapshots. */
  snapshotIndex?: number;
  /** Snapshots it received from another node (a leader's InstallSnapshot) since it started. */
  snapshotsInstalled?: number;
}

/** One row of a protocol's own benchmark, printed in `pnpm bench`'s shared table. */
export interface BenchRow {
  /** What was measured (`messages per request, n = 4`). */
  case: string;
  /** The figures, each already formatted with its unit (`{ median: "12.0 ms", p99: "31.5 ms" }`). */
  figures: Record<string, string>;
  /** The published figure it is compared with, if any (`O(n²): 2(n−1) + n(n−1)`). */
  quoted?: string;
}

/** A protocol's own measurements, beyond the generic ones every protocol gets. */
export interface BenchPart {
  /**
   * Run the benchmark; `quick` asks for a smoke-sized run (seconds). Simulated figures are
   * seeded and reproducible; wall-clock figures say so in their case.
   */
  run(options: { quick: boolean; log(line: string): void }): Promise<BenchRow[]>;
}

/** One protocol, described once. */
export interface ProtocolKit<T extends KitTypes = KitTypes> {
  /** Its name on the command line and in reports (`raft`, `multipaxos`). */
  name: string;
  /** Its name in prose (`Raft`, `Multi-Paxos`). */
  title: string;
  /** One line: what it is. */
  summary: string;
  /** The spec. */
  spec: SpecPart<T>;
  /** Check 1, spec → implementation. */
  replay: ReplayPart<T>;
  /** Check 2, implementation → spec. */
  validate: ValidatePart<T>;
  /** Spec-guided walks of the production node, run with check 1 (see {@link GuidedPart}). */
  guided?: GuidedPart<T>;
  /** Further trace validations against specs of their own (see {@link ValidateMode}). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each mode has its own spec type
  validateModes?: readonly ValidateMode<T, any>[];
  /** Check 3. */
  histories: HistoriesPart<T>;
  /** Broken variants, each of which must be caught. */
  brokenVariants: readonly BrokenVariant<T>[];
  /** What a node says about itself (role, epoch, leader, commit). */
  status(node: T["node"]): NodeStatus;
  /** The real TCP host, if the protocol can be served. */
  serve?: ServedNode<T>;
  /** The protocol's own benchmark rows (messages per request, rounds to converge, ...). */
  bench?: BenchPart;
  /** Tuning knobs the generic benches set, as node options merged into `histories.node`'s. */
  tuning?: {
    /** Options that let the node carry up to `entries` commands per message (1: no batching). */
    batch?(entries: number): Json;
  };
}

/** A descriptor with its types erased, as the registry holds them. */
export type AnyKit = ProtocolKit<KitTypes>;

/** Re-exported for descriptors: applied entries as the simulator reports them. */
export type { Applied };
