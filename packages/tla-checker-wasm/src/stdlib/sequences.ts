/**
 * Sequences: Seq, Len, Head, Tail, Append, \o, SubSeq, SelectSeq.
 *
 * @module
 */
import { formatValue } from "../values/format.js";
import { seqSet } from "../values/sets.js";
import { ValueError, tuple, type Val } from "../values/value.js";
import { bool, int, op, seq, set, table, type BuiltinTable } from "./coerce.js";
import { NATURALS } from "./naturals.js";

/** The Sequences module (extends Naturals). */
export const SEQUENCES: BuiltinTable = table([
  ...NATURALS.values(),
  { name: "Seq", arity: 1, fn: ([s]) => seqSet(set(s!, "Seq")) },
  // TLC also treats strings as sequences of characters for Len, \o and SubSeq.
  { name: "Len", arity: 1, fn: ([s]) => (typeof s === "string" ? s.length : seq(s!, "Len").rng.length) },
  {
    name: "Head",
    arity: 1,
    fn: ([s]) => {
      const q = seq(s!, "Head");
      if (q.rng.length === 0) throw new ValueError("Attempted to apply Head to the empty sequence");
      return q.rng[0]!;
    },
  },
  {
    name: "Tail",
    arity: 1,
    fn: ([s]) => {
      const q = seq(s!, "Tail");
      if (q.rng.length === 0) throw new ValueError("Attempted to apply Tail to the empty sequence");
      return tuple(q.rng.slice(1));
    },
  },
  { name: "Append", arity: 2, fn: ([s, e]) => tuple([...seq(s!, "Append").rng, e!]) },
  {
    name: "\\o",
    arity: 2,
    fn: ([s, t]) => (typeof s === "string" && typeof t === "string" ? s + t : tuple([...seq(s!, "\\o").rng, ...seq(t!, "\\o").rng])),
  },
  {
    name: "SubSeq",
    arity: 3,
    fn: ([s, m, n]) => {
      const from = int(m!, "SubSeq");
      const to = int(n!, "SubSeq");
      if (typeof s === "string") {
        if (from > to) return "";
        if (from < 1 || to > s.length) throw new ValueError(`SubSeq(${formatValue(s)}, ${from}, ${to}): index out of range 1..${s.length}`);
        return s.slice(from - 1, to);
      }
      const q = seq(s!, "SubSeq");
      if (from > to) return tuple([]);
      if (from < 1 || to > q.rng.length) {
        throw new ValueError(`SubSeq(${formatValue(q)}, ${from}, ${to}): index out of range 1..${q.rng.length}`);
      }
      return tuple(q.rng.slice(from - 1, to));
    },
  },
  {
    name: "SelectSeq",
    arity: 2,
    fn: ([s, t]) => {
      const q = seq(s!, "SelectSeq");
      const test = op(t!, 1, "SelectSeq");
      const out: Val[] = [];
      for (const x of q.rng) if (bool(test.call([x]), "SelectSeq")) out.push(x);
      return tuple(out);
    },
  },
]);
