// Shared helpers for the core tests: load in-memory specs and evaluate expressions.
import { afterEach, beforeEach } from "vitest";
import { loadModel, type LoadedModel } from "../../src/load.js";
import type { Value } from "../../src/model.js";
import { SEQUENCES } from "../../src/stdlib/sequences.js";
import type { Val } from "../../src/values/value.js";

/** A module with the standard modules extended and one variable, for evaluating expressions. */
export const EVAL_MODULE = (body = ""): string => `---- MODULE Ev ----
EXTENDS Naturals, Integers, Sequences, FiniteSets, TLC, Bags
CONSTANTS a, b, c
VARIABLE vv
${body}
Init == vv = 0
Next == vv' = vv
====
`;

const EVAL_CFG = "CONSTANTS a = a  b = b  c = c\nINIT Init\nNEXT Next\n";

/** Load an in-memory spec with a cfg. */
export function load(source: string, cfg: string, modules?: Record<string, string>, print?: (l: string) => void): Promise<LoadedModel> {
  const name = /MODULE\s+(\w+)/.exec(source)?.[1] ?? "Spec";
  return loadModel({ spec: { name, source }, cfg: { source: cfg }, ...(modules ? { modules } : {}), ...(print ? { print } : {}) });
}

let shared: Promise<LoadedModel> | undefined;

/** The evaluation model (loaded once). */
export function evalModel(): Promise<LoadedModel> {
  shared ??= load(EVAL_MODULE(), EVAL_CFG);
  return shared;
}

/** Evaluate a constant expression and print it as TLC does. */
export async function show(expr: string): Promise<string> {
  const m = await evalModel();
  return m.values.format(m.evaluate(expr));
}

/** Evaluate a constant expression. */
export async function value(expr: string): Promise<Value> {
  const m = await evalModel();
  return m.evaluate(expr);
}

/** Load a spec expected to fail; returns the error. */
export async function loadError(source: string, cfg: string, modules?: Record<string, string>): Promise<Error & { kind?: string; location?: { file: string; line: number; column: number } }> {
  try {
    await load(source, cfg, modules);
  } catch (e) {
    return e as Error & { kind?: string };
  }
  throw new Error("expected the load to fail");
}

/**
 * Count the calls of Sequences' Len in each test of the calling file (from its top level): tests
 * that bound how often an expression is evaluated put one `Len(<<...>>)` in it and read `calls`.
 */
export function countLenCalls(): { readonly calls: number } {
  const len = SEQUENCES.get("Len")!;
  const original = len.fn1!;
  const counter = { calls: 0 };
  beforeEach(() => {
    counter.calls = 0;
    len.fn1 = (a: Val): Val => {
      counter.calls++;
      return original(a);
    };
  });
  afterEach(() => {
    len.fn1 = original;
  });
  return counter;
}
