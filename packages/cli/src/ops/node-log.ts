/**
 * A node's log: free-text lines and structured events, written as text (`time node event k=v`) or,
 * with `--log-format json`, as one JSON object per line
 * (`{"time", "node", "level", "event", "fields"}`), which log shippers read without a parser of
 * their own.
 *
 * @module
 */
import type { Json } from "@synod/protocol";

/** How log lines are written. */
export type LogFormat = "text" | "json";

/** The formats `--log-format` accepts. */
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];

/** `info` for events and progress, `warn` for trouble the node survives, `error` for the end. */
export type LogLevel = "info" | "warn" | "error";

/** Where a node's log goes. */
export interface NodeLog {
  /** A structured event (`role-changed`, `leader-changed`, ...) with its fields. */
  event(event: string, fields: { [key: string]: Json }, level?: LogLevel): void;
  /** A free-text line (transport and storage messages); in JSON it is the event `message`. */
  line(text: string): void;
}

/** Options for {@link createNodeLog}. */
export interface NodeLogOptions {
  node: string;
  format: LogFormat;
  /** Where each finished line goes (without the newline). */
  write(line: string): void;
  /** Log only warnings and errors. */
  quiet?: boolean;
  /** The clock for `time`. Default: `Date.now`. */
  nowMs?: () => number;
}

/** Free-text lines that report trouble; the rest are `info`. */
const TROUBLE_RE = /warn|error|torn|refusing|corrupt|cannot|stopped/i;

/** A {@link NodeLog} writing `format` lines through `write`. */
export function createNodeLog(options: NodeLogOptions): NodeLog {
  const now = options.nowMs ?? Date.now;
  const emit = (level: LogLevel, event: string, fields: { [key: string]: Json }): void => {
    if (options.quiet === true && level === "info") return;
    const time = new Date(now()).toISOString();
    if (options.format === "json") {
      options.write(JSON.stringify({ time, node: options.node, level, event, fields }));
      return;
    }
    if (event === "message") {
      options.write(`${time} ${options.node} ${String(fields["message"])}`);
      return;
    }
    const kv = Object.entries(fields).map(([k, v]) => `${k}=${formatValue(v)}`);
    options.write([time, options.node, event, ...kv].join(" "));
  };
  return {
    event: (event, fields, level = "info") => emit(level, event, fields),
    line: (text) => emit(TROUBLE_RE.test(text) ? "warn" : "info", "message", { message: text }),
  };
}

function formatValue(v: Json): string {
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(",");
  if (typeof v === "string") return /\s/.test(v) || v === "" ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}
