/**
 * A PBFT cluster on the testkit's manual network, with signing clients and the keys of every
 * replica (so tests can act as a Byzantine replica: form any message its own keys allow).
 */
import type { KvCommand } from "@synod/kv";
import type { Json, NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import { bodyOf, deterministicKeyFile, PbftClient, ReplicaKeys, type PbftKeyFile, type PbftMessage } from "../../src/index.js";
import { createPbftReplica } from "../../src/node.js";
import type { PbftReplica } from "../../src/node.js";
import type { KvResult, PbftCommand, UnsafeOptions } from "../../src/types.js";

export const CLIENTS = ["c1", "c2", "c3", "c4"];

export function ids(n: number): NodeId[] {
  return Array.from({ length: n }, (_, k) => `n${k + 1}`);
}

export class PbftCluster extends TestCluster<PbftMessage, PbftCommand, KvResult, PbftReplica> {
  readonly keys: PbftKeyFile;
  private readonly clients = new Map<string, PbftClient>();
  private readonly seqs = new Map<string, number>();

  constructor(readonly ids: NodeId[], options: { [key: string]: Json | UnsafeOptions } = {}, seed = 1) {
    const keys = deterministicKeyFile("pbft-test", ids, CLIENTS);
    super({ ids, seed, create: (id, _peers, rng) => createPbftReplica({ id, replicas: ids, keys, rng, options, durable: new Map() }) });
    this.keys = keys;
  }

  client(id: string): PbftClient {
    let c = this.clients.get(id);
    if (c === undefined) {
      c = new PbftClient(this.keys, id, this.ids.length);
      this.clients.set(id, c);
    }
    return c;
  }

  /** Client `clientId` sends its next request to `to`; returns its seq. */
  send(to: NodeId, clientId: string, op: KvCommand, seq?: number): number {
    const s = seq ?? (this.seqs.get(clientId) ?? 0) + 1;
    this.seqs.set(clientId, Math.max(s, this.seqs.get(clientId) ?? 0));
    this.request(to, clientId, s, this.client(clientId).command(s, op));
    return s;
  }

  /** Keys of replica `id` (to act as it). */
  replicaKeys(id: NodeId): ReplicaKeys {
    return new ReplicaKeys(this.keys, id, this.ids);
  }

  /** Replies seen since the last call, grouped: `clientId#seq` → results by replica. */
  replies(): Map<string, Map<NodeId, unknown>> {
    const out = new Map<string, Map<NodeId, unknown>>();
    for (const o of this.takeOutputs()) {
      if (o.kind !== "reply" || !o.reply.ok) continue;
      const k = `${o.reply.clientId}#${o.reply.seq}`;
      if (!out.has(k)) out.set(k, new Map());
      out.get(k)!.set(o.node, o.reply.result);
    }
    return out;
  }

  /** Form a normal-case message as replica `as` (authenticated with its own keys). */
  form<M extends Extract<PbftMessage, { auth: Record<string, string> }>>(as: NodeId, body: Omit<M, "auth">): M {
    const k = this.replicaKeys(as);
    return { ...body, auth: k.authenticate(bodyOf(body as never), this.ids.filter((x) => x !== as)) } as M;
  }

  /** Inject `message` as sent by `from` to `to`. */
  inject(from: NodeId, to: NodeId, message: PbftMessage): void {
    this.nowMs += 0;
    this.node(to).step({ type: "message", nowMs: this.localMs(to), from, message: JSON.parse(JSON.stringify(message)) as PbftMessage });
    this.process(to);
  }
}

/** Run events (messages, timers) until `done()` or the budget runs out; returns whether done. */
export function runUntil(c: PbftCluster, done: () => boolean, budget = 20_000): boolean {
  for (let i = 0; i < budget; i++) {
    if (done()) return true;
    if (!c.runNextEvent()) return done();
  }
  return done();
}
