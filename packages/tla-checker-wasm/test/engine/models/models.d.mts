// Types for the hand-built test models (models.mjs), so the TypeScript tests type-check.
import type { CompiledModel } from "../../../src/model.js";

export function steps(opts: {
  init?: number[];
  order?: ("Inc1" | "Inc2")[];
  back?: boolean;
  module?: string;
  con?: number;
  acon?: number;
  inv?: number;
  prop?: "gt" | "lt4" | "lt5";
}): CompiledModel;
export function counter(opts: { n: number; deadlock?: boolean; inits?: number }): CompiledModel;
export function mutex(opts: { procs: number; symmetry?: boolean; broken?: boolean }): CompiledModel;
export function viewed(opts: { view?: boolean }): CompiledModel;
export function bits(opts: { n: number; bad?: number; failAt?: number; failAfter?: number; inits?: number }): CompiledModel;
export function createModel(name: string, args: unknown): CompiledModel;
export function createModelFrom(spec: { name: string; args: unknown }): CompiledModel;
export function createModelLater(spec: { name: string; args: unknown; delayMs: number }): Promise<CompiledModel>;
