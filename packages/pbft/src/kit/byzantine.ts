/**
 * How a faulty PBFT replica's messages go wrong in the simulator (the `ByzantineHook` of
 * `@synod/sim`). Every variant is one a replica holding only its own keys can form: it MACs and
 * signs as itself; a message in another replica's name carries its own (wrong) authenticator and
 * fails verification; it cannot sign client requests, so equivocation reorders or drops real ones.
 * Faulty replicas of one run share the hook, so they collude: a replica sending conflicting
 * prepares votes for the very batch its faulty primary sent the other half of the cluster.
 *
 * @module
 */
import type { ClientReply, Json, NodeId, Rng } from "@synod/protocol";
import type { ByzantineHook } from "@synod/sim";
import { bodyOf, type PbftMessage, type ViewChangeMsg } from "../messages.js";
import { digestOf, ReplicaKeys } from "../auth.js";
import { parseReplyAuth, replyBody, type ReplyAuth } from "../client.js";
import type { KvResult, SignedRequest } from "../types.js";
import { simKeyring } from "./keys.js";

type PP = Extract<PbftMessage, { type: "PrePrepare" }>;

const chance = (rng: Rng, p: number): boolean => rng.nextFloat() < p;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.nextInt(0, xs.length - 1)] as T;

/** The hook for a simulated cluster of `nodes` (keys from {@link simKeyring}). */
export function pbftByzantineHook(nodes: readonly NodeId[]): ByzantineHook<PbftMessage, KvResult> {
  const file = simKeyring(nodes).file;
  const keys = new Map<NodeId, ReplicaKeys>();
  const keysOf = (id: NodeId): ReplicaKeys => {
    let k = keys.get(id);
    if (k === undefined) {
      k = new ReplicaKeys(file, id, nodes);
      keys.set(id, k);
    }
    return k;
  };
  // (view, seq, digest) of an honest pre-prepare → the digest of the variant sent to the other half.
  const variants = new Map<string, { digest: string; batch: SignedRequest[] }>();
  // Client-signed requests the faulty replicas have seen (bounded): material for other batches.
  const seenRequests: SignedRequest[] = [];
  // (view, seq, receiver) → the digest the faulty primary pre-prepared to that receiver.
  const told = new Map<string, string>();
  const others = (id: NodeId): NodeId[] => nodes.filter((x) => x !== id);

  const mac = <M extends { auth: Record<NodeId, string> }>(as: NodeId, m: M): M => {
    const body = bodyOf(m as never);
    return { ...m, auth: keysOf(as).authenticate(body, others(as)) };
  };
  const sign = <M extends { sig: string }>(as: NodeId, m: M): M => ({ ...m, sig: keysOf(as).sign(bodyOf(m as never)) });

  /**
   * Another batch the faulty primary can form from client-signed requests: the same ones in
   * another order, or another request it has seen (empty when it knows none, which correct
   * backups refuse: the null request enters only through a new view).
   */
  const variantOf = (m: PP): { digest: string; batch: SignedRequest[] } => {
    const key = `${m.view}:${m.seq}:${m.digest}`;
    let v = variants.get(key);
    for (const r of m.batch) {
      if (seenRequests.some((s) => s.clientId === r.clientId && s.seq === r.seq)) continue;
      seenRequests.push(r);
      if (seenRequests.length > 64) seenRequests.shift();
    }
    if (v === undefined) {
      const other = seenRequests.find((s) => !m.batch.some((r) => r.clientId === s.clientId && r.seq === s.seq));
      const batch = m.batch.length > 1 ? [...m.batch].reverse() : other !== undefined ? [other] : [];
      v = { digest: digestOf(batch), batch };
      variants.set(key, v);
      variants.set(`${m.view}:${m.seq}:${v.digest}`, { digest: m.digest, batch: m.batch });
    }
    return v;
  };

  return {
    mutate(behaviour, { from, to, message }, rng: Rng): PbftMessage[] {
      switch (behaviour) {
        case "equivocate":
          return equivocate(from, to, message, rng);
        case "conflict":
          return conflict(from, to, message, rng);
        case "forge":
          // A view change is never sent honestly: one in another replica's name, and its own with
          // a stable checkpoint it has no proof for (a faulty replica may withhold its view change).
          if (message.type === "ViewChange") return [forge(from, message, rng), forgeCheckpointClaim(from, message)];
          return [message, forge(from, message, rng)];
        case "malformed":
          return [message, malformed(message, rng)];
      }
    },
    // Faulty replicas tell clients the same lie (they collude): a value no client wrote, and a
    // failed compare-and-set or delete, authenticated with their own keys (so it verifies, and
    // counts for them); f of them never make the f + 1 matching replies a client needs.
    reply(reply: ClientReply<KvResult>, from: NodeId): ClientReply<KvResult> {
      if (!reply.ok) return reply;
      const result: KvResult = "ok" in reply.result ? { ok: false, value: "lie" } : { value: "lie" };
      const auth = parseReplyAuth(reply.auth);
      if (typeof auth === "string") return { ...reply, result };
      return { ...reply, result, auth: replyAuth(from, from, reply.clientId, reply.seq, result, auth) };
    },
    // The same reply in every other replica's name, over its link, MACed with the forger's own
    // key for the client (it has no other): with f liars, f + 1 (or 2f + 1) copies of the lie
    // would reach the client if it did not check MACs.
    forgeReplies(reply: ClientReply<KvResult>, from: NodeId): { as: NodeId; reply: ClientReply<KvResult> }[] {
      if (!reply.ok) return [];
      const auth = parseReplyAuth(reply.auth);
      if (typeof auth === "string") return [];
      return others(from).map((victim) => ({ as: victim, reply: { ...reply, auth: replyAuth(from, victim, reply.clientId, reply.seq, reply.result, auth) } }));
    },
  };

  /** A reply authenticator naming `as`, computed with `keyOf`'s MAC key for the client. */
  function replyAuth(keyOf: NodeId, as: NodeId, clientId: string, seq: number, result: KvResult, was: ReplyAuth): Json {
    const meta = { replica: as, view: was.view, tentative: was.tentative };
    return { ...meta, mac: keysOf(keyOf).macForClient(clientId, replyBody(clientId, seq, result, meta)) ?? "" };
  }

  /** The primary sends half the cluster (by the receiver's coin) another batch at the same (v, n). */
  function equivocate(from: NodeId, to: NodeId, m: PbftMessage, rng: Rng): PbftMessage[] {
    if (m.type === "PrePrepare") {
      // The primary's own version, for colluders voting towards it.
      told.set(`${m.view}:${m.seq}:${from}`, m.digest);
      if (!chance(rng, 0.5)) {
        told.set(`${m.view}:${m.seq}:${to}`, m.digest);
        return [m];
      }
      const v = variantOf(m);
      told.set(`${m.view}:${m.seq}:${to}`, v.digest);
      return [mac(from, { ...m, digest: v.digest, batch: v.batch })];
    }
    if (m.type === "ViewChange") return [lieInViewChange(from, m, rng)];
    return [m];
  }

  /** A view change that denies its prepared certificates, or claims the null request prepared. */
  function lieInViewChange(from: NodeId, m: ViewChangeMsg, rng: Rng): ViewChangeMsg {
    const claimNull = chance(rng, 0.5);
    const prepared = claimNull ? m.prepared.map((p) => ({ ...p, view: Math.max(0, m.view - 1), digest: digestOf([]), batch: [] })) : [];
    const prePrepared = claimNull ? prepared.map((p) => ({ seq: p.seq, view: p.view, digest: p.digest })) : [];
    return sign(from, { ...m, prepared, prePrepared });
  }

  /**
   * Prepares and commits for whatever the colluding faulty primary told the receiver (so each
   * side of an equivocation sees a quorum), else, half the time, for a digest of nothing.
   */
  function conflict(from: NodeId, to: NodeId, m: PbftMessage, rng: Rng): PbftMessage[] {
    if (m.type !== "Prepare" && m.type !== "Commit") return [m];
    const other = told.get(`${m.view}:${m.seq}:${to}`);
    if (other !== undefined) return other === m.digest ? [m] : [mac(from, { ...m, digest: other })];
    if (!chance(rng, 0.5)) return [m];
    return [mac(from, { ...m, digest: digestOf({ garbage: rng.nextInt(0, 1_000_000) }) })];
  }

  /** The message in another replica's name: authenticated with the sender's own keys, so it fails. */
  function forge(from: NodeId, m: PbftMessage, rng: Rng): PbftMessage {
    const victim = pick(rng, others(from));
    switch (m.type) {
      case "PrePrepare":
      case "Prepare":
      case "Commit":
      case "Status":
        return mac(from, { ...m, replica: victim });
      case "Checkpoint":
      case "ViewChange":
      case "NewView":
        return sign(from, { ...m, replica: victim } as typeof m);
      case "Request":
        return { ...m, request: { ...m.request, op: { op: "put", key: m.request.op.key, value: "forged" } } };
      case "StateRequest":
        return { ...m, replica: victim };
      case "StateReply":
        return { ...m, snapshot: { data: {}, sessions: [] } };
    }
  }

  /**
   * The faulty replica's own view change (signed, so its signature verifies) claiming a stable
   * checkpoint far above anything prepared, with a digest of no real state and a "proof" of 2f + 1
   * checkpoints in other replicas' names, signed with its own key. A new primary that believed it
   * would start the view from a state no correct replica can fetch, and the cluster would stall;
   * correct replicas check the proof and drop the view change.
   */
  function forgeCheckpointClaim(from: NodeId, m: ViewChangeMsg): ViewChangeMsg {
    let top = m.stable.seq;
    for (const p of m.prepared) top = Math.max(top, p.seq);
    for (const q of m.prePrepared) top = Math.max(top, q.seq);
    const seq = top + 64;
    const digest = digestOf({ forged: seq });
    const proof = nodes.map((r) => sign(from, { type: "Checkpoint" as const, seq, digest, replica: r, sig: "" }));
    return sign(from, { ...m, stable: { seq, digest, proof } });
  }

  /** Something that is not a well-formed message. */
  function malformed(m: PbftMessage, rng: Rng): PbftMessage {
    const forms: unknown[] = [
      { ...m, view: -1, seq: "x" },
      { type: m.type },
      { type: "NoSuchMessage" },
      "not an object",
      { ...m, digest: 42, batch: null, auth: [] },
    ];
    return pick(rng, forms) as PbftMessage;
  }
}
