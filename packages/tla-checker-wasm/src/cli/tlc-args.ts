/**
 * TLC's command-line spellings, rewritten to ours before commander sees them, so that scripts
 * written for `java tlc2.TLC` carry over: `-config X`, `-workers N|auto`, `-deadlock` (which in
 * TLC means do NOT check deadlock), `-simulate [num=N]`, `-depth N`, `-seed N`. TLC options we
 * have no use for are dropped with a note.
 *
 * @module
 */

/** TLC options that take a value and that we accept but ignore. */
const IGNORED_WITH_VALUE = new Set(["-metadir", "-fp", "-coverage", "-checkpoint", "-maxSetSize", "-fpmem", "-fpbits", "-dumpTrace", "-userFile", "-gzip"]);
/** TLC options without a value that we accept but ignore. */
const IGNORED_FLAGS = new Set(["-nowarning", "-noGenerateSpecTE", "-cleanup", "-terse", "-tool", "-continue", "-noTE", "-debug", "-lncheck"]);

/** The result of rewriting: the argv for commander and notes for the user. */
export interface RewrittenArgs {
  argv: string[];
  notes: string[];
}

/** Rewrite TLC-style arguments (everything after the program name) into our long options. */
export function rewriteTlcArgs(args: readonly string[]): RewrittenArgs {
  const argv: string[] = [];
  const notes: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    switch (arg) {
      case "-config":
      case "-workers":
      case "-depth":
      case "-seed":
        argv.push(`-${arg}`);
        if (i + 1 < args.length) argv.push(args[++i]);
        break;
      case "-deadlock":
        argv.push("--no-deadlock");
        break;
      case "-simulate": {
        argv.push("--simulate");
        // TLC 1.8 takes an optional "num=N" (and "file=...") right after -simulate.
        while (i + 1 < args.length && /^(num|file|stats)=/.test(args[i + 1])) {
          const [key, value] = args[++i].split("=", 2);
          if (key === "num") argv.push("--num", value);
          else notes.push(`ignoring TLC's -simulate ${key}=${value}`);
        }
        break;
      }
      default:
        // `-Dname=value`: a Java system property, for the spec's TLCGet("-Dname").
        if (/^-D[^=]+=/.test(arg)) {
          argv.push("--property", arg.slice(2));
          break;
        }
        if (IGNORED_WITH_VALUE.has(arg)) {
          notes.push(`ignoring TLC option ${arg} ${args[i + 1] ?? ""}`.trimEnd());
          i++;
        } else if (IGNORED_FLAGS.has(arg)) {
          notes.push(`ignoring TLC option ${arg}`);
        } else {
          argv.push(arg);
        }
    }
  }
  return { argv, notes };
}
