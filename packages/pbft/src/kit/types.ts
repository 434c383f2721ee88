/**
 * The types PBFT's descriptor is written over.
 *
 * @module
 */
import type { KitTypes, LoadedSpec } from "@synod/conformance";
import type { PbftMessage } from "../messages.js";
import type { PbftReplica } from "../node.js";
import type { KvResult, PbftCommand, UnsafeOptions } from "../types.js";

/** A broken build: the `unsafe` flags it runs with. */
export interface PbftVariant {
  unsafe: UnsafeOptions;
}

/** PBFT's {@link KitTypes}. */
export interface PbftTypes extends KitTypes {
  msg: PbftMessage;
  cmd: PbftCommand;
  res: KvResult;
  node: PbftReplica;
  traced: PbftReplica;
  impl: unknown;
  spec: LoadedSpec;
  variant: PbftVariant;
}
