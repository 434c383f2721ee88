// @ts-check
/**
 * A deliberately small TLA+ value implementation for the engine's tests: integers, strings,
 * booleans, model values, tuples (arrays), records (plain objects), functions and sets. It lets
 * the search, traces and workers be tested without the language core. Plain ESM JavaScript so
 * worker threads can import it without a TypeScript loader.
 */

/** A model value such as `p1`. */
export class ModelValue {
  /** @param {string} name */
  constructor(name) {
    this.name = name;
  }
}

/** A finite function, its pairs sorted by the canonical form of the key. */
export class Fn {
  /** @param {Array<[unknown, unknown]>} pairs */
  constructor(pairs) {
    this.pairs = [...pairs].sort((a, b) => cmp(canon(a[0]), canon(b[0])));
  }
  /** @param {unknown} key */
  get(key) {
    const c = canon(key);
    const pair = this.pairs.find((p) => canon(p[0]) === c);
    if (!pair) throw new Error(`function applied outside its domain: ${format(key)}`);
    return pair[1];
  }
  /** @param {unknown} key @param {unknown} value */
  set(key, value) {
    const c = canon(key);
    return new Fn(this.pairs.map((p) => (canon(p[0]) === c ? [p[0], value] : p)));
  }
}

/** A finite set, elements sorted by canonical form and unique. */
export class SetV {
  /** @param {unknown[]} elems */
  constructor(elems) {
    const seen = new Map();
    for (const e of elems) seen.set(canon(e), e);
    this.elems = [...seen.entries()].sort((a, b) => cmp(a[0], b[0])).map((e) => e[1]);
  }
}

/** @param {string} a @param {string} b */
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A canonical string: equal values, equal strings. @param {unknown} v @returns {string} */
export function canon(v) {
  if (typeof v === "number") return `n${v}`;
  if (typeof v === "string") return `s${JSON.stringify(v)}`;
  if (typeof v === "boolean") return v ? "T" : "F";
  if (v instanceof ModelValue) return `m${v.name}`;
  if (Array.isArray(v)) return `t[${v.map(canon).join(",")}]`;
  if (v instanceof Fn) return `f{${v.pairs.map((p) => `${canon(p[0])}=>${canon(p[1])}`).join(",")}}`;
  if (v instanceof SetV) return `S{${v.elems.map(canon).join(",")}}`;
  if (typeof v === "object" && v !== null) {
    const keys = Object.keys(v).sort();
    return `r{${keys.map((k) => `${k}:${canon(/** @type {Record<string, unknown>} */ (v)[k])}`).join(",")}}`;
  }
  throw new Error(`not a value: ${String(v)}`);
}

/** 64-bit fingerprint from two 32-bit FNV-1a style hashes of the canonical string. @param {unknown} v */
export function fingerprint(v) {
  const s = canon(v);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  return (BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0);
}

/** TLC's text form. @param {unknown} v @returns {string} */
export function format(v) {
  if (typeof v === "number" || typeof v === "boolean") return v === true ? "TRUE" : v === false ? "FALSE" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof ModelValue) return v.name;
  if (Array.isArray(v)) return `<<${v.map(format).join(", ")}>>`;
  if (v instanceof Fn) return `(${v.pairs.map((p) => `${format(p[0])} :> ${format(p[1])}`).join(" @@ ")})`;
  if (v instanceof SetV) return `{${v.elems.map(format).join(", ")}}`;
  const rec = /** @type {Record<string, unknown>} */ (v);
  return `[${Object.keys(rec).sort().map((k) => `${k} |-> ${format(rec[k])}`).join(", ")}]`;
}

/** Apalache ITF form. @param {unknown} v @returns {unknown} */
export function toITF(v) {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : { "#bigint": String(v) };
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof ModelValue) return v.name;
  if (Array.isArray(v)) return { "#tup": v.map(toITF) };
  if (v instanceof Fn) return { "#map": v.pairs.map((p) => [toITF(p[0]), toITF(p[1])]) };
  if (v instanceof SetV) return { "#set": v.elems.map(toITF) };
  const rec = /** @type {Record<string, unknown>} */ (v);
  return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, toITF(rec[k])]));
}

/** Back from ITF (model values come back as strings: ITF has no tag for them). @param {any} j @returns {unknown} */
export function fromITF(j) {
  if (typeof j !== "object" || j === null) return j;
  if ("#bigint" in j) return Number(j["#bigint"]);
  if ("#tup" in j) return j["#tup"].map(fromITF);
  if ("#set" in j) return new SetV(j["#set"].map(fromITF));
  if ("#map" in j) return new Fn(j["#map"].map((/** @type {[unknown, unknown]} */ q) => [fromITF(q[0]), fromITF(q[1])]));
  return Object.fromEntries(Object.entries(j).map(([k, x]) => [k, fromITF(x)]));
}

/** Structured-clone-safe form. @param {unknown} v @returns {unknown} */
export function toPortable(v) {
  if (v instanceof ModelValue) return { mv: v.name };
  if (Array.isArray(v)) return { tup: v.map(toPortable) };
  if (v instanceof Fn) return { fn: v.pairs.map((p) => [toPortable(p[0]), toPortable(p[1])]) };
  if (v instanceof SetV) return { set: v.elems.map(toPortable) };
  if (typeof v === "object" && v !== null) {
    const rec = /** @type {Record<string, unknown>} */ (v);
    return { rec: Object.fromEntries(Object.keys(rec).map((k) => [k, toPortable(rec[k])])) };
  }
  return v;
}

/** @param {any} p @returns {unknown} */
export function fromPortable(p) {
  if (typeof p !== "object" || p === null) return p;
  if ("mv" in p) return new ModelValue(p.mv);
  if ("tup" in p) return p.tup.map(fromPortable);
  if ("fn" in p) return new Fn(p.fn.map((/** @type {[unknown, unknown]} */ q) => [fromPortable(q[0]), fromPortable(q[1])]));
  if ("set" in p) return new SetV(p.set.map(fromPortable));
  return Object.fromEntries(Object.entries(p.rec).map(([k, x]) => [k, fromPortable(x)]));
}

/** @param {unknown} v @param {ReadonlyArray<readonly [unknown, unknown]>} perm @returns {unknown} */
export function permute(v, perm) {
  if (v instanceof ModelValue) {
    const hit = perm.find((p) => p[0] instanceof ModelValue && p[0].name === v.name);
    return hit ? hit[1] : v;
  }
  if (Array.isArray(v)) return v.map((x) => permute(x, perm));
  if (v instanceof Fn) return new Fn(v.pairs.map((p) => [permute(p[0], perm), permute(p[1], perm)]));
  if (v instanceof SetV) return new SetV(v.elems.map((x) => permute(x, perm)));
  if (typeof v === "object" && v !== null) {
    const rec = /** @type {Record<string, unknown>} */ (v);
    return Object.fromEntries(Object.keys(rec).map((k) => [k, permute(rec[k], perm)]));
  }
  return v;
}

/** @param {unknown} js @returns {unknown} */
export function fromJS(js) {
  if (js instanceof Set) return new SetV([...js].map(fromJS));
  if (js instanceof Map) return new Fn([...js].map(([k, v]) => [fromJS(k), fromJS(v)]));
  if (Array.isArray(js)) return js.map(fromJS);
  if (typeof js === "object" && js !== null && !(js instanceof ModelValue) && !(js instanceof Fn) && !(js instanceof SetV)) {
    return Object.fromEntries(Object.entries(js).map(([k, v]) => [k, fromJS(v)]));
  }
  return js;
}

/** The ValueOps record the engine consumes. */
export const valueOps = {
  /** @param {unknown} a @param {unknown} b */
  equals: (a, b) => canon(a) === canon(b),
  fingerprint,
  /** @param {readonly unknown[]} state */
  fingerprintState: (state) => fingerprint([...state]),
  permute,
  format,
  toITF,
  fromITF,
  toPortable,
  fromPortable,
  fromJS,
};
