// @ts-check
/**
 * Hand-built CompiledModels mirroring small TLA+ specs whose figures were obtained from TLC 1.8
 * (`java -cp tla2tools.jar tlc2.TLC -workers 1`); the specs are in ../fixtures/tlc/ with the
 * figures in ../README.md. Each model is built by a factory so worker threads can rebuild it
 * (see `createModel`).
 */
import { Fn, ModelValue, SetV, valueOps } from "./values.mjs";

/** @typedef {import("../../../src/model.js").CompiledModel} CompiledModel */
/** @typedef {import("../../../src/model.js").Successor} Successor */
/** @typedef {import("../../../src/model.js").State} State */

/** A TlaError look-alike (same name/kind/location shape) so this file needs no build output. */
class EvalFailure extends Error {
  /** @param {string} message @param {{file: string, line: number, column: number}} location */
  constructor(message, location) {
    super(`${location.file}:${location.line}:${location.column}: ${message}`);
    this.name = "TlaError";
    this.kind = "eval";
    this.location = location;
  }
}

/**
 * @param {Partial<CompiledModel> & {variables: string[], initStates: CompiledModel["initStates"], successors: CompiledModel["successors"]}} parts
 * @returns {CompiledModel}
 */
function model(parts) {
  return {
    invariants: [],
    constraints: [],
    actionConstraints: [],
    actionProperties: [],
    symmetry: [],
    checkDeadlock: true,
    evaluate: () => {
      throw new Error("evaluate is not supported by hand-built models");
    },
    values: valueOps,
    ...parts,
  };
}

/** @param {string} file @param {number} line @param {number} column @param {number} endLine @param {number} endColumn */
function loc(file, line, column, endLine, endColumn) {
  return { file, line, column, endLine, endColumn };
}

const initLabel = { action: "Init", params: [] };

/**
 * Mirrors /tmp-verified specs A.tla, C.tla and D.tla: `x` starts in `init`, `Inc1` adds 1, `Inc2`
 * adds 2 (in `order`), `Back` goes 3 -> 1 when `back`.
 * @param {{init?: number[], order?: ("Inc1"|"Inc2")[], back?: boolean, module?: string, con?: number, acon?: number, inv?: number, prop?: "gt"|"lt4"|"lt5"}} opts
 */
export function steps(opts) {
  const module = opts.module ?? "C";
  const file = `${module}.tla`;
  const order = opts.order ?? ["Inc1", "Inc2"];
  const lines = module === "D" ? { Inc1: 5, Inc2: 6 } : { Inc1: 5, Inc2: 6 };
  /** @type {State[]} */
  return model({
    variables: ["x"],
    initStates: () => (opts.init ?? [0, 10]).map((x) => ({ label: initLabel, state: [x] })),
    successors: (state) => {
      const x = /** @type {number} */ (state[0]);
      /** @type {Successor[]} */
      const out = order.map((name) => ({
        label: { action: name, params: [], location: loc(file, lines[name], 9, lines[name], 18) },
        state: [x + (name === "Inc1" ? 1 : 2)],
      }));
      if (opts.back && x === 3) out.push({ label: { action: "Back", params: [], location: loc(file, 7, 9, 7, 23) }, state: [1] });
      return out;
    },
    constraints: opts.con === undefined ? [] : [{ name: "Con", holds: (s) => /** @type {number} */ (s[0]) < /** @type {number} */ (opts.con) }],
    actionConstraints: opts.acon === undefined ? [] : [{ name: "ACon", holds: (_f, t) => t[0] !== opts.acon }],
    invariants: opts.inv === undefined ? [] : [{ name: `Inv${opts.inv}`, holds: (s) => s[0] !== opts.inv }],
    actionProperties:
      opts.prop === undefined
        ? []
        : [
            {
              name: { gt: "PropBack", lt4: "Prop", lt5: "PropOut" }[opts.prop],
              holds: (f, t) => {
                const from = /** @type {number} */ (f[0]);
                const to = /** @type {number} */ (t[0]);
                if (from === to) return true;
                return opts.prop === "gt" ? to > from : opts.prop === "lt4" ? to < 4 : to < 5;
              },
            },
          ],
  });
}

/** B.tla: `x` counts 0..n then deadlocks (from the initial states 0..inits-1, default 0). @param {{n: number, deadlock?: boolean, inits?: number}} opts */
export function counter(opts) {
  return model({
    variables: ["x"],
    checkDeadlock: opts.deadlock ?? true,
    initStates: () => Array.from({ length: opts.inits ?? 1 }, (_, i) => ({ label: initLabel, state: [i] })),
    successors: (state) => {
      const x = /** @type {number} */ (state[0]);
      return x < opts.n ? [{ label: { action: "Next", params: [], location: loc("B.tla", 5, 9, 5, 27) }, state: [x + 1] }] : [];
    },
  });
}

/**
 * Mutex.tla: processes (model values) go idle -> waiting -> crit -> idle through a single owner.
 * @param {{procs: number, symmetry?: boolean, broken?: boolean}} opts
 */
export function mutex(opts) {
  const procs = Array.from({ length: opts.procs }, (_, i) => new ModelValue(`p${i + 1}`));
  const none = new ModelValue("None");
  /** @type {Array<Array<readonly [unknown, unknown]>>} */
  const perms = [];
  if (opts.symmetry) {
    for (const order of permutations(procs)) perms.push(procs.map((p, i) => /** @type {const} */ ([p, order[i]])));
  }
  const at = (/** @type {number} */ line) => loc("Mutex.tla", line, 1, line, 80);
  return model({
    variables: ["pc", "owner"],
    symmetry: perms,
    initStates: () => [{ label: initLabel, state: [new Fn(procs.map((p) => [p, "idle"])), none] }],
    successors: (state) => {
      const pc = /** @type {Fn} */ (state[0]);
      const owner = state[1];
      /** @type {Successor[]} */
      const out = [];
      for (const p of procs) {
        const params = /** @type {const} */ ([["p", p]]);
        const mine = pc.get(p);
        if (mine === "idle") out.push({ label: { action: "Request", params, location: at(6) }, state: [pc.set(p, "waiting"), owner] });
        if (mine === "waiting" && (opts.broken || (owner instanceof ModelValue && owner.name === none.name))) {
          out.push({ label: { action: "Enter", params, location: at(7) }, state: [pc.set(p, "crit"), p] });
        }
        if (mine === "crit") out.push({ label: { action: "Exit", params, location: at(8) }, state: [pc.set(p, "idle"), none] });
      }
      return out;
    },
    invariants: [
      {
        name: "Mutex",
        holds: (s) => /** @type {Fn} */ (s[0]).pairs.filter((p) => p[1] === "crit").length <= 1,
      },
    ],
  });
}

/** @template T @param {T[]} xs @returns {T[][]} */
function permutations(xs) {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** V.tla: x cycles mod 4, y counts to 5; with `view` only x is fingerprinted. @param {{view?: boolean}} opts */
export function viewed(opts) {
  return model({
    variables: ["x", "y"],
    initStates: () => [{ label: initLabel, state: [0, 0] }],
    successors: (s) => {
      const x = /** @type {number} */ (s[0]);
      const y = /** @type {number} */ (s[1]);
      return [{ label: { action: "Next", params: [] }, state: [(x + 1) % 4, y < 5 ? y + 1 : y] }];
    },
    ...(opts.view ? { view: (/** @type {State} */ s) => s[0] } : {}),
  });
}

/**
 * `n` bits, any one may flip: 2^n distinct states, n * 2^n + 1 generated. Set `bad` to make the
 * state with exactly those bits set violate `NotBad`, or `failAt` to make evaluation fail there.
 * `failAfter` successors are produced before the failure (default 0). `inits` makes the initial
 * states the bit patterns 0..inits-1 (default 1: only 0).
 * @param {{n: number, bad?: number, failAt?: number, failAfter?: number, inits?: number}} opts
 */
export function bits(opts) {
  return model({
    variables: ["bits", "flips"],
    checkDeadlock: false,
    initStates: () => Array.from({ length: opts.inits ?? 1 }, (_, b) => ({ label: initLabel, state: [b, new SetV([])] })),
    successors: (s) => {
      const b = /** @type {number} */ (s[0]);
      /** @type {Successor[]} */
      const out = [];
      for (let i = 0; i < opts.n; i++) {
        // Like the core, fail part way through the enumeration, reporting what came before.
        if (opts.failAt !== undefined && b === opts.failAt && i === (opts.failAfter ?? 0)) {
          const err = new EvalFailure("function applied outside its domain", { file: "Bits.tla", line: 9, column: 14 });
          /** @type {any} */ (err).successorsBeforeError = out;
          throw err;
        }
        out.push({ label: { action: "Flip", params: [["i", i]] }, state: [b ^ (1 << i), new SetV([i])] });
      }
      return out;
    },
    invariants: opts.bad === undefined ? [] : [{ name: "NotBad", holds: (s) => s[0] !== opts.bad }],
  });
}

/** Everything above by name, for worker threads. */
export const factories = { steps, counter, mutex, viewed, bits };

/** Build a model by factory name. @param {string} name @param {any} args @returns {CompiledModel} */
export function createModel(name, args) {
  const make = /** @type {Record<string, (a: any) => CompiledModel>} */ (factories)[name];
  if (!make) throw new Error(`no test model named ${name}`);
  return make(args);
}

/** `createModel` taking one argument `{name, args}`, as a worker's model source calls it. @param {{name: string, args: any}} spec */
export function createModelFrom(spec) {
  return createModel(spec.name, spec.args);
}

/**
 * As {@link createModelFrom}, after `spec.delayMs` milliseconds: a worker thread that is slow to
 * load, so the coordinator explores the first levels on its own.
 */
export async function createModelLater(spec) {
  await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
  return createModel(spec.name, spec.args);
}
