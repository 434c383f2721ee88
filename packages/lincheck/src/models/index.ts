import type { AnyModel } from "../types.js";
import type { ModelOptions } from "./common.js";
import { counter } from "./counter.js";
import { kv } from "./kv.js";
import { multiRegister } from "./multiRegister.js";
import { mutex } from "./mutex.js";
import { queue } from "./queue.js";
import { casRegister, register } from "./register.js";
import { set } from "./set.js";

export { NIL_READ_MODELS, type ModelOptions, type NilRead } from "./common.js";
export { counter, type CounterInput } from "./counter.js";
export { kv, type KvInput, type KvState } from "./kv.js";
export { multiRegister, type MicroOp, type MultiRegisterState } from "./multiRegister.js";
export { mutex, type MutexInput } from "./mutex.js";
export { queue, type QueueInput } from "./queue.js";
export { casRegister, register, type RegisterInput, type RegisterOutput } from "./register.js";
export { set, type SetInput, type SetState } from "./set.js";

/** The built-in models by their CLI names. */
export const models = {
  register,
  "cas-register": casRegister,
  kv,
  set,
  queue,
  counter,
  mutex,
  "multi-register": multiRegister,
} as const satisfies Record<string, (options?: ModelOptions) => unknown>;

/** A built-in model's name. */
export type ModelName = keyof typeof models;

/** The built-in model names, for help texts. */
export const modelNames = Object.keys(models) as ModelName[];

/**
 * A built-in model by name, or an Error listing the names.
 * @param name e.g. `cas-register`; @param options e.g. `{ init: 0 }`.
 */
export function modelByName(name: string, options: ModelOptions = {}): AnyModel {
  if (!Object.hasOwn(models, name)) throw new Error(`unknown model ${JSON.stringify(name)}; choose one of ${modelNames.join(", ")}`);
  return models[name as ModelName](options) as unknown as AnyModel;
}

/**
 * A model with partitioning turned off, so the whole history is searched as one piece
 * (for comparing with the partitioned check, or when keys interact).
 */
export function unpartitioned<M extends AnyModel>(model: M): M {
  const { partition: _ignored, ...rest } = model;
  return rest as M;
}
