/**
 * What the TM and the RMs share as hosted nodes: `HostedNode` from `@synod/protocol` (the pending
 * `Ready`, the `Traced` hook, replies and timers), typed for two-phase commit.
 *
 * @module
 */
import { HostedNode } from "@synod/protocol";
import type { TwoPcCommand, TwoPcMessage, TwoPcResult } from "./messages.js";

/** The common part of a two-phase-commit node. */
export abstract class NodeBase extends HostedNode<TwoPcMessage, TwoPcResult, TwoPcCommand> {}
