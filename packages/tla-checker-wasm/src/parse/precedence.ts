/**
 * SANY's operator precedence check. Every operator has a precedence range (Specifying Systems,
 * section 15.2.1, as SANY's parser tables give it); where two operators meet without parentheses
 * and their ranges overlap, SANY rejects the expression ("Precedence conflict between ops") unless
 * both are the same left-associative operator (`a + b + c`). So `a = b = c`, `a /\ b \/ c` on one
 * line, `a * b / c`, `ENABLED x = y` and `[]x = 1` are errors, while `a + b * c`, `~a = b` and
 * `-a ^ b` are not. The grammar parses all of them; this module finds the conflicts in its tree.
 *
 * @module
 */

interface Precedence {
  low: number;
  high: number;
  left: boolean;
}

const p = (low: number, high: number, left = false): Precedence => ({ low, high, left });

/** By the converter's canonical operator names (SYMBOLS in convert.ts, `\\name` otherwise). */
const PRECEDENCE: ReadonlyMap<string, Precedence> = new Map([
  // prefix
  ["~", p(4, 4)], ["-.", p(12, 12)], ["[]", p(4, 15)], ["<>", p(4, 15)], ["ENABLED", p(4, 15)],
  ["UNCHANGED", p(4, 15)], ["SUBSET", p(10, 13)], ["UNION", p(10, 13)], ["DOMAIN", p(10, 13)],
  // postfix
  ["'", p(15, 15)], ["^+", p(15, 15)], ["^*", p(15, 15)], ["^#", p(15, 15)],
  // infix
  ["=>", p(1, 1)], ["~>", p(2, 2)], ["\\equiv", p(2, 2)], ["<=>", p(2, 2)], ["-+->", p(2, 2)],
  ["/\\", p(3, 3, true)], ["\\/", p(3, 3, true)],
  ["=", p(5, 5)], ["#", p(5, 5)], ["<", p(5, 5)], [">", p(5, 5)], ["<=", p(5, 5)], [">=", p(5, 5)],
  ["\\in", p(5, 5)], ["\\notin", p(5, 5)], ["\\subseteq", p(5, 5)], ["\\subset", p(5, 5)],
  ["\\supseteq", p(5, 5)], ["\\supset", p(5, 5)], [":=", p(5, 5)], ["::=", p(5, 5)],
  ["\\prec", p(5, 5)], ["\\succ", p(5, 5)], ["\\preceq", p(5, 5)], ["\\succeq", p(5, 5)],
  ["\\sim", p(5, 5)], ["\\simeq", p(5, 5)], ["\\ll", p(5, 5)], ["\\gg", p(5, 5)], ["\\asymp", p(5, 5)],
  ["\\approx", p(5, 5)], ["\\cong", p(5, 5)], ["\\sqsubset", p(5, 5)], ["\\sqsubseteq", p(5, 5)],
  ["\\sqsupset", p(5, 5)], ["\\sqsupseteq", p(5, 5)], ["\\doteq", p(5, 5)], ["\\propto", p(5, 5)],
  ["\\cdot", p(5, 14, true)], ["@@", p(6, 6, true)], [":>", p(7, 7)], ["<:", p(7, 7)],
  ["\\", p(8, 8)], ["\\cap", p(8, 8, true)], ["\\cup", p(8, 8, true)], ["..", p(9, 9)], ["...", p(9, 9)],
  ["!!", p(9, 13)], ["##", p(9, 13, true)], ["$", p(9, 13, true)], ["$$", p(9, 13, true)],
  ["??", p(9, 13, true)], ["\\sqcap", p(9, 13, true)], ["\\sqcup", p(9, 13, true)], ["\\uplus", p(9, 13, true)],
  ["\\wr", p(9, 14)], ["+", p(10, 10, true)], ["++", p(10, 10, true)], ["\\oplus", p(10, 10, true)],
  ["%", p(10, 11)], ["%%", p(10, 11, true)], ["|", p(10, 11, true)], ["||", p(10, 11, true)],
  ["-", p(11, 11, true)], ["--", p(11, 11, true)], ["\\ominus", p(11, 11, true)],
  ["&", p(13, 13, true)], ["&&", p(13, 13, true)], ["*", p(13, 13, true)], ["**", p(13, 13, true)],
  ["/", p(13, 13)], ["//", p(13, 13)], ["\\div", p(13, 13)], ["\\o", p(13, 13, true)], ["\\odot", p(13, 13, true)],
  ["\\oslash", p(13, 13)], ["\\otimes", p(13, 13, true)], ["\\star", p(13, 13, true)],
  ["\\bigcirc", p(13, 13, true)], ["\\bullet", p(13, 13, true)], ["^", p(14, 14)], ["^^", p(14, 14)],
  ["\\X", p(10, 13, true)],
]);

/** How an operator sits: which operand of its parent it is, or what kind of operator it is. */
export type Fixity = "prefix" | "infix" | "postfix";

/**
 * Whether operator `child` (of fixity `childFix`), written without parentheses as an operand of
 * operator `parent`, is a precedence conflict in SANY. `childIsLeft`: the child is the parent's
 * left operand (for a prefix or postfix parent, its only operand counts as right / left).
 */
export function precedenceConflict(parent: string, parentFix: Fixity, child: string, childFix: Fixity, childIsLeft: boolean): boolean {
  // A prefix operator that starts an operand is only compared with what follows it.
  if (childFix === "prefix" && !childIsLeft) return false;
  if (childFix === "postfix" && !childIsLeft) return false;
  const a = PRECEDENCE.get(parent);
  const b = PRECEDENCE.get(child);
  if (!a || !b) return false;
  if (a.high < b.low || b.high < a.low) return false;
  // `a + b + c`: the same left-associative operator, grouped to the left.
  if (parent === child && parentFix === "infix" && childFix === "infix" && childIsLeft && a.left) return false;
  void parentFix;
  return true;
}
