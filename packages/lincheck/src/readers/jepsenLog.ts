import { HistoryError } from "../errors.js";
import type { EventType, History, HistoryEvent } from "../types.js";
import type { Value } from "../value.js";
import { parseEdnValue } from "./edn.js";

/**
 * `INFO  jepsen.util - 3\t:invoke\t:read\tnil`, or with log4j's pattern
 * `2018-02-09 16:46:24,585{GMT}\tINFO\t[jepsen worker 4] jepsen.util: 4\t:invoke\t:write\t2`:
 * the logger prefix varies, the `jepsen.util` logger name followed by ` - ` or `: ` does not.
 */
const OP_LINE = /jepsen\.util(?:\s+-|:)\s+(\S+)\s+:(\S+)\s+:(\S+)(?:\s+(.*))?$/;
const MARKER = /jepsen\.util(?:\s+-|:)\s/;
/** Looks like an operation (`<process> :invoke :f`), whatever logged it. */
const OP_SHAPE = /(?:^|\s)(?:\d+|:nemesis)\s+:(?:invoke|ok|fail|info)\s+:\S/;

/**
 * Reads a Jepsen text log: the `jepsen.util` lines that record operations, as in the etcd
 * histories Jepsen published. Other log lines are skipped. `:fail :cas` there means the compare
 * ran and failed, so it is read as an `ok` CAS with result `false`; other `:fail`s did not take
 * effect; `:info` (e.g. `:timed-out`) leaves the outcome unknown.
 * @throws HistoryError naming the line.
 */
export function parseJepsenLog(text: string, file = "jepsen.log"): History {
  const events: HistoryEvent[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (!MARKER.test(line)) {
      // Skipping an operation because its logger prefix is unfamiliar would drop it from the
      // history and could turn a linearizable history into an illegal one: refuse instead.
      if (OP_SHAPE.test(line)) {
        throw new HistoryError(`${file}:${i + 1}`, `operation line without a jepsen.util logger prefix: ${JSON.stringify(line)}`);
      }
      continue;
    }
    const at = `${file}:${i + 1}`;
    const m = OP_LINE.exec(line);
    if (!m) throw new HistoryError(at, `malformed operation line: ${JSON.stringify(line)}`);
    const [, processText, type, f, rest] = m;
    if (processText === ":nemesis") continue;
    if (!/^\d+$/.test(processText)) throw new HistoryError(at, `process ${JSON.stringify(processText)} is not an integer or :nemesis`);
    if (type !== "invoke" && type !== "ok" && type !== "fail" && type !== "info") {
      throw new HistoryError(at, `unknown type :${type}; expected :invoke, :ok, :fail or :info`);
    }
    const value = rest === undefined || rest.trim() === "" ? null : logValue(rest, at);
    const process = Number(processText);
    if (type === "fail" && f === "cas") {
      events.push({ process, type: "ok", f, value: false, source: at });
      continue;
    }
    events.push({ process, type: type as EventType, f, value, source: at, ...(type === "info" ? { error: value } : {}) });
  }
  if (events.length === 0) throw new HistoryError(file, "no jepsen.util operation lines found; is this a Jepsen log?");
  return events;
}

function logValue(text: string, at: string): Value {
  try {
    return parseEdnValue(text, "value");
  } catch (err) {
    const problem = err instanceof HistoryError ? err.problem : (err as Error).message;
    throw new HistoryError(at, `malformed value ${JSON.stringify(text)}: ${problem}`);
  }
}
