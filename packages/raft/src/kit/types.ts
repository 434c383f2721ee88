/**
 * The types Raft's descriptor is written over.
 *
 * @module
 */
import type { KitTypes } from "@synod/conformance";
import type { RaftMessage } from "../messages.js";
import type { RaftKvNode } from "../node.js";
import type { KvResult, RaftCommand, UnsafeOptions } from "../types.js";
import type { SpecCluster } from "./host.js";
import type { RaftSpec } from "./spec-model.js";

/** A broken build: the `unsafe` flags it runs with. */
export interface RaftVariant {
  unsafe: UnsafeOptions;
}

/** Raft's {@link KitTypes}. */
export interface RaftTypes extends KitTypes {
  msg: RaftMessage;
  cmd: RaftCommand;
  res: KvResult;
  node: RaftKvNode;
  traced: RaftKvNode;
  impl: SpecCluster;
  spec: RaftSpec;
  variant: RaftVariant;
}
