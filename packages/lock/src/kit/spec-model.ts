/**
 * How conformance sees `specs/lock/Redlock.tla`: the cluster the models describe, loading a model,
 * and the abstraction from node state to the spec's variables.
 *
 * The cluster: stores n1-n3 (the spec's `Store`), the token counter n4, the storage n5, and the
 * lock clients n6 and n7 (the spec's `Client`). Time is the spec's `now` in ticks of the nodes'
 * `tickMs`.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type State, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { RedlockClient } from "../client.js";
import type { TokenCounter } from "../counter.js";
import type { AcceptedWrite, LockMessage } from "../messages.js";
import { tickOf, type LockOptions } from "../options.js";
import type { FencedStorage } from "../storage.js";
import type { LockStore, StoreEntry } from "../store.js";
import type { LockNode } from "../index.js";
import type { ClientPhase } from "../client.js";

/** The lock stores (the spec's `Store` model values carry the same names). */
export const STORES = ["n1", "n2", "n3"];
/** The token counter. */
export const COUNTER = "n4";
/** The protected storage. */
export const STORAGE = "n5";
/** The lock clients (the spec's `Client`). */
export const CLIENTS = ["n6", "n7"];
/** Every node. */
export const NODES = [...STORES, COUNTER, STORAGE, ...CLIENTS];
/** The spec folder, relative to the checkout. */
export const SPEC_DIR = "specs/lock";

/** The cluster's layout, for node options. */
export const LAYOUT: Pick<LockOptions, "stores" | "counter" | "storage" | "clients"> = { stores: STORES, counter: COUNTER, storage: STORAGE, clients: CLIENTS };

/** A loaded Redlock model with the lease it was loaded with. */
export interface LockSpec extends LoadedSpec {
  /** The spec's `TTL`: the nodes' `ttlTicks`. */
  ttlTicks: number;
}

/** The bounds of a model (`null`: unbounded, for trace validation). */
export interface ModelBounds {
  ttl: number;
  maxTime: number;
  maxTokens: number;
  maxWrites: number;
  maxAttempts: number;
}

/** Load `MCRedlock.tla` with fencing, no drift, and `bounds` (a CONSTRAINT) or none. */
export function loadRedlock(bounds: ModelBounds | { ttl: number; unbounded: true }): Promise<LockSpec> {
  const big = 1_000_000;
  const b = "unbounded" in bounds ? { ttl: bounds.ttl, maxTime: big, maxTokens: big, maxWrites: big, maxAttempts: big } : bounds;
  const cfg = [
    `CONSTANTS Client = {${CLIENTS.join(", ")}} Store = {${STORES.join(", ")}} Nil = Nil`,
    `TTL = ${b.ttl} Drift = 0 DriftAllowance = 0 Fencing = TRUE`,
    `MaxTime = ${b.maxTime} MaxTokens = ${b.maxTokens} MaxWrites = ${b.maxWrites} MaxAttempts = ${b.maxAttempts}`,
    "INIT Init",
    "NEXT Next",
    "unbounded" in bounds ? "" : "CONSTRAINT Bounds",
    "",
  ].join("\n");
  return loadSpec({ dir: specDirNear(import.meta.url, SPEC_DIR), module: "MCRedlock.tla", cfg, servers: NODES }).then((s) => ({ ...s, ttlTicks: b.ttl }));
}

/** One node's part of the spec state (a snapshot: views are kept across steps). */
export type NodeView =
  | { kind: "store"; id: NodeId; entry: StoreEntry | null }
  | { kind: "counter"; issued: number; last: Record<string, { attempt: string; token: number }> }
  | { kind: "storage"; maxSeen: number; log: AcceptedWrite[]; verdicts: Record<string, boolean> }
  | { kind: "client"; id: NodeId; phase: ClientPhase; attempt: string | null; validUntilTick: number; retired: boolean; refused: NodeId[]; retryAfterTick: number; started: number };

/** The view of node `n`. */
export function nodeView(n: LockNode): NodeView {
  if (STORES.includes(n.id)) {
    const e = (n as LockStore).entry;
    return { kind: "store", id: n.id, entry: e === null ? null : { ...e } };
  }
  if (n.id === COUNTER) {
    const c = n as TokenCounter;
    return { kind: "counter", issued: c.issuedCount, last: Object.fromEntries([...c.last].map(([k, v]) => [k, { ...v }])) };
  }
  if (n.id === STORAGE) {
    const s = n as FencedStorage;
    return { kind: "storage", maxSeen: s.maxSeen, log: s.log.map((w) => ({ ...w })), verdicts: Object.fromEntries(s.verdicts) };
  }
  const c = n as RedlockClient;
  return { kind: "client", id: c.id, phase: c.phase, attempt: c.attempt, validUntilTick: c.validUntilTick, retired: c.retired, refused: [...c.refused].sort(), retryAfterTick: c.retryAfterTick, started: c.started };
}

/**
 * The spec state from every node's view and the messages `inflight` at real time `nowMs`. A
 * store's refusal is the spec's `Refuse` when the store takes it: a refusal of a collecting
 * client's attempt counts from the moment it is on the wire.
 */
export function specState(spec: LockSpec, views: ReadonlyMap<NodeId, unknown>, nowMs: number, tickMs: number, inflight: readonly WireMessage<LockMessage>[] = []): State {
  const { values } = spec.model;
  const get = <K extends NodeView["kind"]>(id: NodeId, kind: K): Extract<NodeView, { kind: K }> => {
    const v = views.get(id) as NodeView | undefined;
    if (v === undefined || v.kind !== kind) throw new Error(`no ${kind} view of ${id}`);
    return v as Extract<NodeView, { kind: K }>;
  };
  const counter = get(COUNTER, "counter");
  const storage = get(STORAGE, "storage");
  const stores = STORES.map((s) => get(s, "store"));
  const clients = new Map(CLIENTS.map((id) => [id, get(id, "client")]));
  /** The attempt in progress of client `id` (null: none; in back-off the last one has ended). */
  const inProgress = (id: string): string | null => {
    const c = clients.get(id);
    return c === undefined || c.phase === "idle" || c.phase === "backoff" ? null : c.attempt;
  };
  const nil = spec.mv("Nil");
  const store = new Map<Value, Value>();
  for (const s of stores) {
    const e = s.entry;
    store.set(spec.mv(s.id), values.fromJS({ owner: e === null ? nil : spec.mv(e.client), expiry: e?.expiryTick ?? 0, cur: e !== null && inProgress(e.client) === e.attempt }));
  }
  const phase = new Map<Value, string>();
  const granted = new Map<Value, Set<Value>>();
  const refused = new Map<Value, Set<Value>>();
  const retryAfter = new Map<Value, number>();
  const validUntil = new Map<Value, number>();
  const token = new Map<Value, number>();
  const retired = new Set<Value>();
  let attempts = 0;
  for (const id of CLIENTS) {
    const c = clients.get(id) as Extract<NodeView, { kind: "client" }>;
    const me = spec.mv(id);
    attempts += c.started;
    if (c.retired) retired.add(me);
    const a = c.attempt;
    granted.set(me, new Set());
    refused.set(me, new Set());
    retryAfter.set(me, 0);
    validUntil.set(me, 0);
    token.set(me, 0);
    if (c.phase === "idle" || a === null) {
      phase.set(me, "idle");
      continue;
    }
    if (c.phase === "backoff") {
      phase.set(me, "backoff");
      retryAfter.set(me, c.retryAfterTick);
      continue;
    }
    const issued = counter.last[id]?.attempt === a ? (counter.last[id]?.token ?? 0) : 0;
    const p = specPhase(c.phase, issued > 0, storage.verdicts[a] !== undefined);
    phase.set(me, p);
    if (p === "acquiring") {
      // The spec's tallies are the acquiring attempt's only (Acquire clears them). A grant is the
      // store's step; so is a refusal, on the wire until the client hears of it.
      const holds = new Set(stores.filter((s) => s.entry?.attempt === a).map((s) => s.id));
      const no = new Set(c.refused);
      for (const w of inflight) if (w.to === id && w.message.type === "SetNXReply" && !w.message.ok && w.message.attempt === a) no.add(w.from);
      granted.set(me, new Set([...holds].map((s) => spec.mv(s))));
      refused.set(me, new Set([...no].map((s) => spec.mv(s))));
    }
    validUntil.set(me, c.validUntilTick);
    token.set(me, issued);
  }
  const byName: Record<string, Value> = {
    now: values.fromJS(tickOf(nowMs, tickMs)),
    store: values.fromJS(store),
    phase: values.fromJS(phase),
    granted: values.fromJS(granted),
    refused: values.fromJS(refused),
    retryAfter: values.fromJS(retryAfter),
    validUntil: values.fromJS(validUntil),
    token: values.fromJS(token),
    nextToken: values.fromJS(counter.issued),
    maxSeen: values.fromJS(storage.maxSeen),
    writes: values.fromJS(storage.log.map((w) => w.token)),
    retired: values.fromJS(retired),
    attempts: values.fromJS(attempts),
  };
  return spec.model.variables.map((v) => {
    const x = byName[v];
    if (x === undefined) throw new Error(`Redlock.tla has a variable ${v} the lock abstraction does not know`);
    return x;
  });
}

/** The spec's phase of a client in `phase` (`issued`: the counter gave its attempt a token; `judged`: the storage has its write). */
function specPhase(phase: ClientPhase, issued: boolean, judged: boolean): string {
  switch (phase) {
    case "idle":
      return "idle";
    case "backoff":
      return "backoff";
    case "collecting":
      return "acquiring";
    case "fencing":
      // The counter's step is the spec's IssueToken; the client hears of it later.
      return issued ? "holding" : "fencing";
    case "holding":
      return "holding";
    case "working":
    case "writing":
      // The storage's step is the spec's StorageWrite; the client hears of it later.
      return judged ? "written" : "writing";
  }
}
