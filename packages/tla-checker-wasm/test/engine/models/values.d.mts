// Types for the test value implementation (values.mjs).
import type { ValueOps } from "../../../src/model.js";

export class ModelValue {
  constructor(name: string);
  readonly name: string;
}
export class Fn {
  constructor(pairs: Array<[unknown, unknown]>);
  readonly pairs: Array<[unknown, unknown]>;
  get(key: unknown): unknown;
  set(key: unknown, value: unknown): Fn;
}
export class SetV {
  constructor(elems: unknown[]);
  readonly elems: unknown[];
}
export function canon(v: unknown): string;
export const valueOps: ValueOps;
