/**
 * TLC's command-line spellings, rewritten to ours before commander sees them, so that scripts
 * written for `java tlc2.TLC` carry over: `-config X`, `-workers N|auto`, `-deadlock` (which in
 * TLC means do NOT check deadlock), `-simulate [num=N]`, `-depth N`, `-seed N`, `-Dname=value`.
 * TLC options that change nothing we report are dropped with a note; those that ask for something
 * we do not do are refused by name, never silently ignored.
 *
 * @module
 */

/**
 * TLC options that change nothing tla-check reports (fingerprint seeds and memory, metadata and
 * trace-spec files it never writes; `-checkpoint 0`, no checkpoints), accepted with a note so scripts
 * written for TLC run unchanged. By the number of values each takes.
 */
const HARMLESS: ReadonlyMap<string, number> = new Map([
  ["-metadir", 1], ["-fp", 1], ["-fpmem", 1], ["-fpbits", 1], ["-maxSetSize", 1],
  ["-noGenerateSpecTE", 0], ["-cleanup", 0], ["-terse", 0], ["-noTE", 0], ["-debug", 0], ["-gzip", 0],
]);

/**
 * TLC options that ask for something tla-check does not do: refused by name rather than ignored,
 * since the run would not be what the user asked for. With the number of values each takes.
 */
const UNSUPPORTED: ReadonlyMap<string, [number, string]> = new Map([
  ["-invlevel", [1, "checking an invariant at one level only"]],
  ["-postCondition", [1, "a postcondition given on the command line (put it in the cfg as POSTCONDITION)"]],
  ["-recover", [1, "recovering from a checkpoint"]],
  ["-teSpecOutDir", [1, "writing a trace-explorer spec"]],
  ["-userFile", [1, "writing Print output to a file"]],
  ["-tool", [0, "the Toolbox's message format"]],
  ["-aril", [1, "the simulator's ARIL seed"]],
  ["-debugger", [1, "the TLA+ debugger"]],
]);

/** The result of rewriting: the argv for commander, notes for the user, and refused options. */
export interface RewrittenArgs {
  argv: string[];
  notes: string[];
  /** TLC options tla-check does not honour: a usage error naming each. */
  errors: string[];
}

/** Rewrite TLC-style arguments (everything after the program name) into our long options. */
export function rewriteTlcArgs(args: readonly string[]): RewrittenArgs {
  const argv: string[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    switch (arg) {
      case "-dfid":
        argv.push("--dfid");
        if (i + 1 < args.length) argv.push(args[++i]);
        break;
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
      case "-nowarning":
        argv.push("--no-warnings");
        break;
      case "-continue":
        argv.push("--continue");
        break;
      case "-coverage":
        argv.push("--coverage");
        if (i + 1 < args.length) argv.push(args[++i]);
        break;
      case "-dump": {
        // TLC: `-dump FILE` (states as TLA+) or `-dump dot[,colorize,actionlabels,...] FILE`.
        const format = args[i + 1];
        if (format !== undefined && /^dot(,|$)/.test(format) && i + 2 < args.length) {
          argv.push("--dump-dot", args[i + 2]);
          if (format.length > 3) argv.push("--dot-options", format.slice(4));
          i += 2;
        } else {
          argv.push("--dump");
          if (i + 1 < args.length) argv.push(args[++i]);
        }
        break;
      }
      case "-difftrace":
        argv.push("--diff-trace");
        break;
      case "-view":
        argv.push("--view");
        break;
      case "-inv":
        // TLC's -inv takes a state predicate's text (not only a name).
        argv.push("--inv-expr");
        if (i + 1 < args.length) argv.push(args[++i]);
        break;
      case "-dumpTrace": {
        // TLC: `-dumpTrace json FILE` or `-dumpTrace tla FILE`, repeatable.
        const format = args[i + 1];
        const file = args[i + 2];
        if (format === undefined || file === undefined) {
          errors.push("TLC's -dumpTrace takes a format (json or tla) and a file: -dumpTrace json trace.json");
          i = args.length;
        } else if (format === "json" || format === "tla") {
          argv.push(`--dump-trace-${format}`, file);
          i += 2;
        } else {
          errors.push(`TLC's -dumpTrace format ${JSON.stringify(format)} is not supported; tla-check writes json and tla (TLC 2.20 knows only those two)`);
          i += 2;
        }
        break;
      }
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
        if (arg === "-checkpoint") {
          if (args[i + 1] === "0") notes.push("ignoring TLC option -checkpoint 0 (tla-check takes no checkpoints)");
          else errors.push("TLC's -checkpoint (periodic checkpoints to recover from) is not supported; remove it, or give -checkpoint 0");
          i++;
          break;
        }
        const harmless = HARMLESS.get(arg);
        const unsupported = UNSUPPORTED.get(arg);
        if (harmless !== undefined) {
          notes.push(`ignoring TLC option ${[arg, ...args.slice(i + 1, i + 1 + harmless)].join(" ")} (it changes nothing tla-check reports)`);
          i += harmless;
        } else if (unsupported !== undefined) {
          errors.push(`TLC's ${arg} (${unsupported[1]}) is not supported; remove it`);
          i += unsupported[0];
        } else {
          argv.push(arg);
        }
    }
  }
  return { argv, notes, errors };
}
