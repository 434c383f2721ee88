/**
 * The replica as hosts drive it ({@link PbftReplica}), and creating one with defaults filled in
 * from the options a host passes (JSON, possibly partial). Unknown options are refused by name:
 * nothing a user sets is silently ignored.
 *
 * @module
 */
import type { ActionLabel, Event, Json, NodeId, ProtocolNode, Ready, Rng, SpecStepping, Traced } from "@synod/protocol";
import type { PbftKeyFile } from "./auth.js";
import type { PbftMessage } from "./messages.js";
import { PbftConfigError, PbftCore, type PbftInit } from "./replica.js";
import { defaultPbftOptions, type KvResult, type PbftCommand, type PbftInspect, type PbftOptions, type UnsafeOptions } from "./types.js";

const UNSAFE_FLAGS: readonly (keyof UnsafeOptions)[] = ["smallPreparedCertificate", "skipViewChangeVerification", "executeBeforeCommit"];

/** Defaults overridden by `partial`; throws {@link PbftConfigError} naming an unknown or bad option. */
export function resolvePbftOptions(partial: { [key: string]: Json | UnsafeOptions | undefined } = {}): PbftOptions {
  const o = defaultPbftOptions();
  for (const [k, v] of Object.entries(partial)) {
    if (v === undefined) continue;
    if (k === "unsafe") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new PbftConfigError("option unsafe: expected an object of flags");
      for (const [flag, on] of Object.entries(v)) {
        if (!UNSAFE_FLAGS.includes(flag as keyof UnsafeOptions)) throw new PbftConfigError(`option unsafe.${flag}: unknown flag (known: ${UNSAFE_FLAGS.join(", ")})`);
        if (typeof on !== "boolean") throw new PbftConfigError(`option unsafe.${flag}: expected a boolean`);
      }
      o.unsafe = { ...(v as UnsafeOptions) };
      continue;
    }
    if (!(k in o)) throw new PbftConfigError(`option ${k}: unknown (known: ${Object.keys(o).join(", ")})`);
    (o as unknown as Record<string, unknown>)[k] = v;
  }
  return o;
}

/**
 * A PBFT replica as every host drives it. A `restart` event replaces the protocol state with one
 * rebuilt from the durable map it carries (throws `PbftStorageError` on corrupt storage).
 */
export class PbftReplica implements ProtocolNode<PbftMessage, PbftCommand, KvResult>, Traced, SpecStepping {
  readonly id: NodeId;
  private core: PbftCore;
  private recording = false;
  private actions: ActionLabel[] = [];

  constructor(private readonly init: PbftInit) {
    this.id = init.id;
    this.init = { ...init, onAction: (label) => this.onAction(label) };
    this.core = new PbftCore(this.init);
  }

  private onAction(label: ActionLabel): void {
    if (this.recording) this.actions.push(label);
    this.userAction?.(label);
  }

  private get userAction(): ((label: ActionLabel) => void) | undefined {
    return this.userHook;
  }

  /** The caller's own action hook (from `createPbftReplica`'s `onAction`). */
  userHook: ((label: ActionLabel) => void) | undefined;

  recordActions(on: boolean): void {
    this.recording = on;
    if (!on) this.actions = [];
  }

  takeActions(): ActionLabel[] {
    const a = this.actions;
    this.actions = [];
    return a;
  }

  /** The other replicas. */
  get peerIds(): readonly NodeId[] {
    return this.core.peerIds;
  }

  /** Faults tolerated. */
  get f(): number {
    return this.core.f;
  }

  step(event: Event<PbftMessage, PbftCommand>): void {
    if (event.type === "restart") this.core = new PbftCore({ ...this.init, durable: event.durable });
    this.core.step(event);
  }

  hasReady(): boolean {
    return this.core.hasReady();
  }

  ready(): Ready<PbftMessage, KvResult, PbftCommand> {
    return this.core.ready();
  }

  /** The abstract state (a fresh copy). */
  inspect(): PbftInspect {
    return this.core.inspect();
  }

  /** View and progress in O(1). */
  summary(): ReturnType<PbftCore["summary"]> {
    return this.core.summary();
  }

  /** Batch digests by sequence number, of what it executed in this life (see `PbftCore.executedDigests`). */
  executedDigests(): ReadonlyMap<number, string> {
    return this.core.executedDigests();
  }

  /** Digest of the key-value store's state. */
  storeDigest(): string {
    return this.core.storeDigest();
  }

  /** Local read (tests only). */
  peek(key: string): string | null {
    return this.core.peek(key);
  }

  /**
   * Conformance: take `StartViewChange` (`v`: the view) now; `SendNewView` with `senders`
   * (comma-separated ids, or empty for any) sets whose view changes the next new view is decided
   * from; `SendPrePrepare` (a primary in spec mode) proposes a request it holds pending, e.g. one
   * that arrived before it became primary.
   */
  takeAction(action: string, params: Record<string, string | number>): boolean {
    switch (action) {
      case "SendPrePrepare":
        return this.core.specProposePending();
      case "StartViewChange":
        return typeof params.v === "number" && this.core.specStartViewChange(params.v);
      case "SendNewView":
        this.core.specNewViewFrom(typeof params.senders === "string" && params.senders !== "" ? params.senders.split(",") : null);
        return true;
      default:
        return false;
    }
  }

  /** Spec variables and held messages (conformance). */
  specView(): ReturnType<PbftCore["specView"]> {
    return this.core.specView();
  }

  /** The primary of view `v`. */
  primaryOf(v: number): NodeId {
    return this.core.primaryOf(v);
  }
}

/** Create a replica. */
export function createPbftReplica(init: {
  id: NodeId;
  replicas: readonly NodeId[];
  keys: PbftKeyFile;
  rng: Rng;
  options?: { [key: string]: Json | UnsafeOptions | undefined };
  durable?: ReadonlyMap<string, Json>;
  onAction?: (label: ActionLabel) => void;
}): PbftReplica {
  const r = new PbftReplica({
    id: init.id,
    replicas: init.replicas,
    keys: init.keys,
    rng: init.rng,
    options: resolvePbftOptions(init.options),
    durable: init.durable ?? new Map(),
  });
  r.userHook = init.onAction;
  return r;
}
