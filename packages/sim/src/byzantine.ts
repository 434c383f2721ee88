/**
 * Byzantine behaviours a fault schedule can give a node (`{ type: "byzantine", node, behaviour }`).
 * The simulator stays protocol-agnostic: it decides *when* a faulty node misbehaves and *to whom*,
 * and keeps the behaviours that need no knowledge of the protocol (silence, replay, selective
 * delay); the protocol supplies, through a {@link ByzantineHook}, *how* one of its messages is
 * turned into the faulty variants a node holding only its own keys could form (equivocation,
 * conflicting votes, forged senders, malformed messages, lies to clients).
 *
 * Every choice is drawn from the node's own seeded stream (`byzantine:<id>`), so a run with
 * Byzantine faults replays exactly like any other.
 *
 * @module
 */
import type { ClientReply, NodeId, Rng } from "@synod/protocol";

/**
 * What a faulty node does, from the moment the fault strikes (behaviours accumulate; `honest`
 * clears them, though the node stays faulty for the judge's purposes):
 * - `equivocate`: sends different receivers different versions of a proposal (hook);
 * - `conflict`: sends votes for values it did not see (conflicting prepares) (hook);
 * - `forge`: also sends messages in another node's name, which fail authentication (hook), and
 *   replies to clients in other nodes' names over their links (hook, optional: `forgeReplies`);
 * - `malformed`: also sends messages that are not well-formed (hook);
 * - `lie`: answers clients with results of its own making (hook, optional);
 * - `replay`: also re-sends old messages it sent or received, to random receivers;
 * - `silent`: sends nothing and answers no client (a silent primary stalls its view);
 * - `delay-some`: delays its messages to a random subset of the others by 20–200 ms;
 * - `honest`: stops misbehaving.
 */
export type ByzantineBehaviour = "equivocate" | "conflict" | "forge" | "malformed" | "lie" | "replay" | "silent" | "delay-some" | "honest";

/** Every behaviour, for validation and generators. */
export const BYZANTINE_BEHAVIOURS: readonly ByzantineBehaviour[] = ["equivocate", "conflict", "forge", "malformed", "lie", "replay", "silent", "delay-some", "honest"];

/** The behaviours only the protocol's hook can carry out. */
export const HOOKED_BEHAVIOURS: readonly ByzantineBehaviour[] = ["equivocate", "conflict", "forge", "malformed", "lie"];

/** A message a faulty node is about to send. */
export interface ByzantineEnvelope<Msg> {
  from: NodeId;
  to: NodeId;
  message: Msg;
}

/**
 * How a protocol's messages go wrong: supplied by the protocol (its conformance kit), called by
 * the simulator for every message a faulty node sends while it has a hooked behaviour.
 */
export interface ByzantineHook<Msg, Res> {
  /**
   * The messages `envelope.from` sends to `envelope.to` in place of `envelope.message` under
   * `behaviour`: the message itself where the behaviour does not apply to it, any number of
   * variants otherwise (an empty list withholds it). Only variants the sender could form with its
   * own keys verify at the receiver; others must fail authentication there.
   */
  mutate(behaviour: "equivocate" | "conflict" | "forge" | "malformed", envelope: ByzantineEnvelope<Msg>, rng: Rng): Msg[];
  /** A reply of the faulty node's making in place of `reply` (behaviour `lie`); absent: replies are not changed. */
  reply?(reply: ClientReply<Res>, from: NodeId, rng: Rng): ClientReply<Res>;
  /**
   * Replies the faulty node sends, beside its own `reply`, in other nodes' names (behaviour
   * `forge`): each is delivered to the client as if it came over node `as`'s link (the client
   * link is not authenticated; only what the reply itself carries can tell it is forged). Absent:
   * the node forges no replies.
   */
  forgeReplies?(reply: ClientReply<Res>, from: NodeId, rng: Rng): { as: NodeId; reply: ClientReply<Res> }[];
}

/** Bound on the messages a faulty node remembers for replay. */
export const REPLAY_BUFFER = 64;

/** A faulty node's state in the simulator. */
export class ByzantineState<Msg> {
  readonly behaviours = new Set<ByzantineBehaviour>();
  /** Receivers (node indexes) its messages are delayed to, under `delay-some`. */
  delayed = new Set<number>();
  /** Old messages it may replay (a ring of at most {@link REPLAY_BUFFER}). */
  readonly seen: Msg[] = [];
  private next = 0;

  /** Remember a message it sent or received. */
  remember(message: Msg): void {
    if (this.seen.length < REPLAY_BUFFER) this.seen.push(message);
    else this.seen[this.next] = message;
    this.next = (this.next + 1) % REPLAY_BUFFER;
  }
}
