/**
 * The types Multi-Paxos's descriptor is written over.
 *
 * @module
 */
import type { KitTypes } from "@synod/conformance";
import type { MultiPaxosKvNode } from "../node.js";
import type { PaxosMessage } from "../messages.js";
import type { KvResult, PaxosCommand, UnsafeOptions } from "../types.js";
import type { SpecCluster } from "./host.js";
import type { MultiPaxosSpec } from "./spec-model.js";

/** A broken build: the `unsafe` flags it runs with. */
export interface MultiPaxosVariant {
  unsafe: UnsafeOptions;
}

/** Multi-Paxos's {@link KitTypes}. */
export interface MultiPaxosTypes extends KitTypes {
  msg: PaxosMessage;
  cmd: PaxosCommand;
  res: KvResult;
  node: MultiPaxosKvNode;
  traced: MultiPaxosKvNode;
  impl: SpecCluster;
  spec: MultiPaxosSpec;
  variant: MultiPaxosVariant;
}
