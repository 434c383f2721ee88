/**
 * The client side of PBFT: a client signs each request, sends it to the primary (or to any
 * replica, which relays it), and checks every reply's MAC (under the key it shares with the
 * replica the reply names) before counting it. It accepts a result once f + 1 replicas sent it
 * as committed (one of them is correct, so it is the result the correct replicas computed), or
 * 2f + 1 sent it, tentative or committed (Castro–Liskov's tentative execution: a quorum of 2f + 1
 * prepared replicas means the request commits in this order, in this view or a later one).
 *
 * @module
 */
import type { ClientReply, Json, NodeId, ReplyRule, ReplyVerdict } from "@synod/protocol";
import { canonical, ClientSigner, type PbftKeyFile } from "./auth.js";
import { requestBody, type KvCommand, type KvResult, type PbftCommand } from "./types.js";

/** Sign request `seq` of `clientId`: the command replicas accept (`readOnly`: ask for the read-only optimisation). */
export function signCommand(signer: ClientSigner, seq: number, op: KvCommand, readOnly = false): PbftCommand {
  const c: PbftCommand = { op, sig: signer.sign(requestBody(signer.clientId, seq, op) as never) };
  return readOnly ? { ...c, readOnly: true } : c;
}

/**
 * A client's sealer: signs each attempt, and asks for the read-only optimisation on the first
 * attempt of a `get` only, so that a retry (no 2f + 1 matching answers came, e.g. under concurrent
 * writes, or replicas without the option) is ordered like any request.
 */
export function attemptSealer(): (signer: ClientSigner, seq: number, op: KvCommand) => PbftCommand {
  const lastSeq = new Map<string, number>();
  return (signer, seq, op) => {
    const first = (lastSeq.get(signer.clientId) ?? 0) < seq;
    lastSeq.set(signer.clientId, Math.max(seq, lastSeq.get(signer.clientId) ?? 0));
    return signCommand(signer, seq, op, first && op.op === "get");
  };
}

/** What a replica's reply says beside its result: the paper's ⟨REPLY, v, t, c, i, r⟩ and its MAC. */
export interface ReplyAuth {
  /** The replica that replies (i): the MAC must verify under the key it shares with the client. */
  replica: NodeId;
  /** Its view (v): the client learns the current primary from it. */
  view: number;
  /** Executed tentatively (prepared, not yet committed): the client needs 2f + 1 of these. */
  tentative: boolean;
  /** HMAC of {@link replyBody} under the replica–client key. */
  mac: string;
}

/** What the MAC of a reply covers: everything the client acts on. */
export function replyBody(clientId: string, seq: number, result: KvResult, meta: { replica: NodeId; view: number; tentative: boolean }): Json {
  return { type: "Reply", clientId, seq, result: result as unknown as Json, replica: meta.replica, view: meta.view, tentative: meta.tentative };
}

/** The authenticator of a reply, or the problem with it (a string). */
export function parseReplyAuth(auth: unknown): ReplyAuth | string {
  if (typeof auth !== "object" || auth === null || Array.isArray(auth)) return "no authenticator";
  const a = auth as Record<string, unknown>;
  if (typeof a.replica !== "string") return "auth.replica: expected a replica id";
  if (typeof a.view !== "number" || !Number.isSafeInteger(a.view) || a.view < 0) return "auth.view: expected a view number";
  if (typeof a.tentative !== "boolean") return "auth.tentative: expected a boolean";
  if (typeof a.mac !== "string") return "auth.mac: expected a MAC";
  return { replica: a.replica, view: a.view, tentative: a.tentative, mac: a.mac };
}

/** Deliberately broken client rules, for tests that show conformance catches them. TEST-ONLY. */
export interface UnsafeClientOptions {
  /** Count replies without checking their MACs (a forged reply counts for the replica it names). */
  skipReplyVerification?: boolean;
  /** Accept f + 1 matching tentative replies (not 2f + 1): a result that may be rolled back. */
  fewTentativeReplies?: boolean;
}

/**
 * The reply rule for one request (see the module comment). Replies that do not authenticate are
 * rejected (hosts count them); each replica counts once per result, its latest word (committed
 * over tentative).
 */
export class PbftReplyRule implements ReplyRule<KvResult> {
  private readonly votes = new Map<string, { reply: ClientReply<KvResult>; committed: Set<NodeId>; any: Set<NodeId> }>();
  /** Replies rejected so far (their authenticator did not verify, or there was none). */
  rejected = 0;

  /**
   * @param signer - the client's keys (its MAC keys shared with the replicas).
   * @param f - faults tolerated (n = 3f + 1).
   */
  constructor(
    private readonly signer: ClientSigner,
    private readonly f: number,
    private readonly unsafe: UnsafeClientOptions = {},
  ) {}

  offer(_node: NodeId, reply: ClientReply<KvResult>): ReplyVerdict<KvResult> {
    // The transport's sender is not evidence (a forger can spoof the link): the MAC names the replica.
    const reject = (reason: string): ReplyVerdict<KvResult> => {
      this.rejected++;
      return { type: "reject", reason };
    };
    if (reply.clientId !== this.signer.clientId) return reject(`a reply for client ${JSON.stringify(reply.clientId)}`);
    // PBFT replicas answer only with results; an error reply comes from no replica (a host or a forger).
    if (!reply.ok) return reject(`an unauthenticated ${reply.error} reply`);
    const auth = parseReplyAuth(reply.auth);
    if (typeof auth === "string") return reject(auth);
    if (this.unsafe.skipReplyVerification !== true && !this.signer.checkReply(auth.replica, replyBody(reply.clientId, reply.seq, reply.result, auth), auth.mac)) {
      return reject(`the MAC of ${auth.replica}'s reply does not verify`);
    }
    const key = canonical(reply.result);
    let v = this.votes.get(key);
    if (v === undefined) {
      v = { reply: { clientId: reply.clientId, seq: reply.seq, ok: true, result: reply.result }, committed: new Set(), any: new Set() };
      this.votes.set(key, v);
    }
    v.any.add(auth.replica);
    if (!auth.tentative) v.committed.add(auth.replica);
    const tentativeQuorum = this.unsafe.fewTentativeReplies === true ? this.f + 1 : 2 * this.f + 1;
    if (v.committed.size >= this.f + 1 || v.any.size >= tentativeQuorum) return { type: "accept", reply: v.reply };
    return { type: "wait" };
  }
}

/** A client's signer and reply rule for a cluster of `replicas`. */
export class PbftClient {
  readonly signer: ClientSigner;
  /** Faults tolerated. */
  readonly f: number;

  constructor(keys: PbftKeyFile, clientId: string, replicas: number) {
    this.signer = new ClientSigner(keys, clientId);
    this.f = Math.floor((replicas - 1) / 3);
  }

  /** Sign request `seq`. */
  command(seq: number, op: KvCommand): PbftCommand {
    return signCommand(this.signer, seq, op);
  }

  /** A fresh rule for one request's replies. */
  replies(unsafe: UnsafeClientOptions = {}): PbftReplyRule {
    return new PbftReplyRule(this.signer, this.f, unsafe);
  }
}
