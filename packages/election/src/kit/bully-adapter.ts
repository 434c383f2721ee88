/**
 * Spec → implementation replay for the Bully election: each action of `Bully.tla` becomes the node
 * event that takes it, on the set-network host of `set-harness.ts` (a timeout fires only a timer
 * the node armed). `Crash(i)` drops the node and the messages to it; `Recover(i)` starts a fresh
 * node and gives it the host's restart event.
 *
 * @module
 */
import { AdapterError, type Adapter, type LoadedSpec, type State, type WireMessage } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { BullyNode } from "../bully.js";
import type { BullyMessage } from "../messages.js";
import { bullyState, type BullySpecView } from "./bully-model.js";
import { recordParam, serverParam, setHarnessOps, type SetHarness } from "./set-harness.js";

/** What a broken Bully build changes. */
export interface BullyVariant {
  /** A node that answers an election does not take it over. */
  noTakeover?: boolean;
}

/** The implementation replay drives. */
export type BullyHarness = SetHarness<BullyNode, BullyMessage>;

const key = (type: string, from: NodeId, to: NodeId): string => `${type} ${from} ${to}`;

/** A Bully node for replay: the spec fires its timers, so their lengths do not matter. */
export function bullyReplayNode(id: NodeId, members: readonly NodeId[], variant: BullyVariant): BullyNode {
  return new BullyNode(id, { members, ...(variant.noTakeover ? { noTakeover: true } : {}) }, SeededRng.derive(1, `bully:${id}`));
}

/** The replay adapter over `spec` (any `N`, either synchrony), for the correct build or a broken `variant`. */
export function bullyAdapter(spec: LoadedSpec, variant: BullyVariant = {}): Adapter<BullyHarness> {
  const { values } = spec.model;
  const members = spec.servers;
  const ops = setHarnessOps<BullyMessage, BullyNode>({ members, make: (id) => bullyReplayNode(id, members, variant), keyOf: (m: WireMessage<BullyMessage>) => key(m.message.type, m.from, m.to) });
  const server = (label: Parameters<Adapter<BullyHarness>["apply"]>[1], p: string): NodeId => serverParam((v) => spec.nameOf(v), label, p);
  return {
    variables: spec.model.variables,
    create: () => ops.create(),
    abstract: (h): State => {
      const views = new Map<NodeId, BullySpecView>([...h.nodes].map(([id, n]) => [id, n === null ? null : n.view()]));
      return bullyState(spec, views, [...h.inflight.values()]);
    },
    apply(h, label) {
      const deliver = (type: BullyMessage["type"]): void => ops.deliver(h, label, key(type, server(label, "j"), server(label, "i")));
      switch (label.action) {
        case "DetectFailure":
          return ops.fire(h, label, server(label, "i"), "watch");
        case "AnswerTimeout":
          return ops.fire(h, label, server(label, "i"), "answer");
        case "CoordinatorTimeout":
          return ops.fire(h, label, server(label, "i"), "coordinator");
        case "Heartbeat":
          return ops.fire(h, label, server(label, "i"), "heartbeat");
        case "HandleElection":
          return deliver("Election");
        case "HandleAnswer":
          return deliver("Answer");
        case "HandleCoordinator":
          return deliver("Coordinator");
        case "HandleAlive":
          return deliver("Alive");
        case "Crash":
          return ops.crash(h, label, server(label, "i"));
        case "Recover":
          return ops.recover(h, label, server(label, "i"));
        case "LoseMessage": {
          const field = recordParam(values, label, "m");
          return ops.lose(h, label, key(String(field("type")), `n${String(field("from"))}`, `n${String(field("to"))}`));
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
    },
  };
}
