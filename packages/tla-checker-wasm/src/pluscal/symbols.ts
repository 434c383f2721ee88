/**
 * The lexical tables the PlusCal translator needs: TLA+'s built-in symbols (and which of them
 * open or close a bracket), the prefixes of the non-alphabetic ones, and the characters a string
 * may hold unescaped. They are pcal.trans's (its copy of TLATeX's table with `;` added), because
 * an expression inside an algorithm ends where pcal.trans's tokenizer says it ends.
 *
 * @module
 */

/** How the tokenizer treats a built-in symbol: only brackets matter for finding an expression's end. */
export type SymbolKind = "open" | "close" | "other";

const OPEN = ["(", "[", "{", "<<", "\u27E8"];
const CLOSE = [">>_", "\u27E9_", "]_", ")", "}", "]", ">>", "\u27E9"];

// Every built-in symbol of TLA+ that pcal.trans's tokenizer recognises (ASCII and Unicode forms).
const OTHER = [
  "_", "ASSUME", "ASSUMPTION", "AXIOM", "BOOLEAN", "CASE", "CONSTANT", "CONSTANTS", "EXCEPT", "EXTENDS",
  "FALSE", "IF", "INSTANCE", "LOCAL", "MODULE", "OTHER", "STRING", "THEOREM", "TRUE", "VARIABLE",
  "VARIABLES", "WITH", "WF_", "SF_",
  "\\A", "\u2200", "\\forall", "\\E", "\u2203", "\\exists", "\\AA", "\\EE", "~", "\u00AC", "\\lnot", "\\neg",
  "<>", "\u25C7", "CHOOSE", "ENABLED", "UNCHANGED", "SUBSET", "UNION", "DOMAIN",
  "'", "^+", "\u207A", "^*", "^#",
  "=>", "\u21D2", "\\cdot", "\u22C5", "<=>", "\u21D4", "\\equiv", "\u2261", "~>", "\u219D", "-+->", "\u21F8",
  "\\subseteq", "\u2286", "\\subset", "\u2282", "\\supset", "\u2283", "\\supseteq", "\u2287",
  "\\ll", "\u226A", "\\gg", "\u226B", "\\", "\\cap", "\\intersect", "\u2229", "\\cup", "\\union", "\u222A",
  "/\\", "\u2227", "\\/", "\u2228", "\\land", "\\lor", "\\X", "\u00D7", "-", "+", "*", "/", "^", "|", "||", "\u2016",
  "&", "&&", "++", "--", "**", "//", "^^", "|-", "\u22A2", "|=", "\u22A8", "-|", "\u22A3", "=|", "\u2AE4",
  "<:", ":>", ":=", "\u2254", "::=", "\u2A74", "(+)", "\u2295", "(-)", "\u2296", "\\oplus", "\\ominus",
  "(.)", "\u2299", "\\odot", "(/)", "\u2298", "\\oslash", "(\\X)", "\u2297", "\\otimes", "\\uplus", "\u228E",
  "\\sqcap", "\u2293", "\\sqcup", "\u2294", "\\div", "\u00F7", "\\star", "\u22C6", "\\o", "\u2218", "\\circ",
  "\\bigcirc", "\u25EF", "\\bullet", "\u25CF", "\\in", "\u2208", "\\notin", "\u2209", "=", "#", "/=", "\u2260",
  "<", ">", "=<", "<=", "\u2264", ">=", "\u2265", "\\prec", "\u227A", "\\succ", "\u227B", "\\preceq", "\u2AAF",
  "\\succeq", "\u2AB0", "\\sim", "\u223C", "\\simeq", "\u2243", "\\approx", "\u2248", "\\doteq", "\u2250",
  "\\asymp", "\u224D", "\\sqsubset", "\u228F", "\\sqsupset", "\u2290", "\\sqsubseteq", "\u2291",
  "\\sqsupseteq", "\u2292", "\\propto", "\u221D", ":", "->", "\u2192", "|->", "\u21A6", "<-", "\u2190",
  "==", "\u225C", "ELSE", "THEN", "LET", "IN", "[]", "\u25A1", "..", "\u2025", "...", "\u2026", "$", "$$",
  "?", "??", "\u2047", "%", "%%", "##", "@@", "!!", "\u203C", "\\times", "\\leq", "\\geq", "\\mod", "\\wr",
  "\u2240", "\u2245", "!", ";", ",", ".", "-.", "@",
];

const builtIns = new Map<string, SymbolKind>();
for (const s of OTHER) builtIns.set(s, "other");
for (const s of OPEN) builtIns.set(s, "open");
for (const s of CLOSE) builtIns.set(s, "close");

/** True for `_`, ASCII letters: the characters of identifiers besides digits (TLATeX's rule). */
export function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** True for an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Space, form feed and carriage return; a newline is not a space here. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 12 || c === 13;
}

// Prefixes of every symbol that is not a word (`ENABLED`) or a backslash word (`\cup`): the
// tokenizer grows such a symbol character by character while the text read is a prefix.
const prefixes = new Set<string>();
for (const s of builtIns.keys()) {
  const c0 = s.charCodeAt(0);
  if (isLetter(c0) || (s.length > 1 && c0 === 92 && isLetter(s.charCodeAt(1)))) continue;
  for (let n = s.length; n > 0; n--) prefixes.add(s.slice(0, n));
}

const STRING_CHARS = new Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ~!@#$%^&*()_-+={}[]|:;<,>.?/`'0123456789");

/** The kind of a built-in symbol, or undefined when `s` is not one. */
export function builtInKind(s: string): SymbolKind | undefined {
  return builtIns.get(s);
}

/** True when `s` is a (non-empty) prefix of a non-alphabetic built-in symbol. */
export function isBuiltInPrefix(s: string): boolean {
  return prefixes.has(s);
}

/** True when `ch` may appear unescaped in a TLA+ string. */
export function isStringChar(ch: string): boolean {
  return STRING_CHARS.has(ch);
}
