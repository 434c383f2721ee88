import { HistoryError } from "../errors.js";
import type { History } from "../types.js";
import { eventFromRecord } from "./events.js";

/**
 * Reads a JSON history: an array of events
 * `{"process": 0, "type": "invoke", "f": "write", "value": 3, "key"?: "k1", "time"?: ns}`,
 * or JSON Lines (one such object per line). See the package README for the format.
 * @param text the file's contents; @param file its name, for messages.
 * @throws HistoryError naming the line (and column) or entry.
 */
export function parseJsonHistory(text: string, file = "history.json"): History {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new HistoryError(jsonErrorPlace(text, file, err as Error), `invalid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(data)) throw new HistoryError(file, "expected an array of events");
    return data.map((record, i) => eventFromRecord(record, `${file}: entry ${i + 1}`));
  }
  const events = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (err) {
      throw new HistoryError(`${file}:${i + 1}`, `invalid JSON: ${(err as Error).message}`);
    }
    events.push(eventFromRecord(record, `${file}:${i + 1}`));
  }
  return events;
}

function jsonErrorPlace(text: string, file: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  // A file cut short has no position in V8's message; the place is where the text ends.
  const pos = m ? Number(m[1]) : /end of JSON input/.test(err.message) ? text.trimEnd().length : -1;
  if (pos < 0) return file;
  const before = text.slice(0, pos).split("\n");
  return `${file}:${before.length}:${before[before.length - 1].length + 1}`;
}
