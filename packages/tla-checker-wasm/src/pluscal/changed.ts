/**
 * Which variables a step has assigned so far (pcal.trans's `Changed`): a later use of an
 * assigned variable is primed, a second assignment is an error, and what is left unassigned
 * goes in the step's `UNCHANGED`.
 *
 * @module
 */

/** Assignment counts per variable, over a fixed list of variables. */
export class Changed {
  readonly count: number[];

  constructor(
    readonly vars: readonly string[],
    from?: Changed,
  ) {
    this.count = from ? [...from.count] : vars.map(() => 0);
  }

  /** A copy. */
  static copy(c: Changed): Changed {
    return new Changed(c.vars, c);
  }

  isChanged(s: string): boolean {
    const i = this.vars.indexOf(s);
    return i >= 0 && this.count[i]! > 0;
  }

  /** Takes the larger count per variable. */
  merge(c: Changed): void {
    for (let i = 0; i < this.count.length; i++) if (c.count[i]! > this.count[i]!) this.count[i] = c.count[i]!;
  }

  /** Counts an assignment of `v`; returns its new count (0 if `v` is not a variable). */
  set(v: string): number {
    const i = this.vars.indexOf(v);
    return i < 0 ? 0 : ++this.count[i]!;
  }

  /** The unassigned variables, comma-separated. */
  unchanged(): string {
    return this.vars.filter((_, i) => this.count[i] === 0).join(", ");
  }

  /** Variables assigned in `c` but not here, comma-separated. */
  unchangedVs(c: Changed): string {
    return this.vars.filter((_, i) => this.count[i] === 0 && c.count[i]! > 0).join(", ");
  }

  /** The unassigned variables in pieces of at most about `ch` characters (for wrapping). */
  unchangedLines(ch: number): string[] {
    return pieces(this.vars.filter((_, i) => this.count[i] === 0), ch);
  }

  /** Variables assigned in `c` but not here, in pieces of at most about `ch` characters. */
  unchangedVsLines(c: Changed, ch: number): string[] {
    return pieces(this.vars.filter((_, i) => this.count[i] === 0 && c.count[i]! > 0), ch);
  }

  numUnchanged(): number {
    return this.count.filter((n) => n === 0).length;
  }

  numUnchangedVs(c: Changed): number {
    return this.count.filter((n, i) => n === 0 && c.count[i]! > 0).length;
  }
}

/** pcal.trans's line filling: a piece is closed when the next name would pass `ch` (its ", " counted). */
function pieces(names: readonly string[], ch: number): string[] {
  const out: string[] = [];
  let s = "";
  let haveOne = false;
  for (const one of names) {
    if (haveOne) s += ", ";
    else haveOne = true;
    if (s.length + one.length > ch) {
      if (s.length > 0) out.push(s);
      s = one;
    } else s += one;
  }
  if (s.length > 0) out.push(s);
  return out;
}
