/**
 * The client side of PBFT: a client signs each request, sends it to the primary (or to any
 * replica, which relays it), and accepts a result only when f + 1 replicas sent the same one: at
 * least one of them is correct, so the result is the one the correct replicas computed.
 *
 * @module
 */
import type { ClientReply, NodeId } from "@synod/protocol";
import { canonical, ClientSigner, type PbftKeyFile } from "./auth.js";
import { requestBody, type KvCommand, type PbftCommand } from "./types.js";

/** Sign request `seq` of `clientId`: the command replicas accept. */
export function signCommand(signer: ClientSigner, seq: number, op: KvCommand): PbftCommand {
  return { op, sig: signer.sign(requestBody(signer.clientId, seq, op) as never) };
}

/**
 * Collects the replies to one request and decides once `quorum` replicas (f + 1) sent the same
 * answer. Replies from one replica count once; an answer that never reaches the quorum (a faulty
 * replica's) is never returned.
 */
export class ReplyCollector<Res> {
  private readonly votes = new Map<string, { reply: ClientReply<Res>; from: Set<NodeId> }>();

  /** @param quorum - matching replies needed (f + 1). */
  constructor(readonly quorum: number) {}

  /** Offer a reply from `node`; returns the decided reply once `quorum` replicas agree, else null. */
  offer(node: NodeId, reply: ClientReply<Res>): ClientReply<Res> | null {
    const key = canonical(reply);
    let v = this.votes.get(key);
    if (v === undefined) {
      v = { reply, from: new Set() };
      this.votes.set(key, v);
    }
    v.from.add(node);
    return v.from.size >= this.quorum ? v.reply : null;
  }
}

/** A client's signer and reply rule for a cluster of `replicas`: f + 1 matching replies. */
export class PbftClient {
  readonly signer: ClientSigner;
  /** Matching replies a result needs: f + 1. */
  readonly quorum: number;

  constructor(keys: PbftKeyFile, clientId: string, replicas: number) {
    this.signer = new ClientSigner(keys, clientId);
    this.quorum = Math.floor((replicas - 1) / 3) + 1;
  }

  /** Sign request `seq`. */
  command(seq: number, op: KvCommand): PbftCommand {
    return signCommand(this.signer, seq, op);
  }

  /** A fresh collector for one request's replies. */
  collector<Res>(): ReplyCollector<Res> {
    return new ReplyCollector<Res>(this.quorum);
  }
}
