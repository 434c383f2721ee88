import { HistoryError } from "../errors.js";
import type { History, HistoryEvent } from "../types.js";
import { EdnReader } from "./edn.js";
import { eventFromRecord } from "./events.js";

/**
 * Reads a Jepsen EDN history: `history.edn` or a Knossos-style file, either one vector or list
 * of op maps or a stream of top-level op maps (one per line). Keys `:process :type :f :value`
 * and optional `:key :index :time :error`; `:nemesis` ops are kept here and ignored by the checker.
 * @throws HistoryError naming `file:line:col`.
 */
export function parseEdnHistory(text: string, file = "history.edn"): History {
  const collection = new EdnReader(text, file).readElementsOfCollection();
  const forms = collection ?? new EdnReader(text, file).readAll();
  const events: HistoryEvent[] = [];
  for (const form of forms) {
    const at = `${file}:${form.line}:${form.col}`;
    if (!form.isMap) throw new HistoryError(at, "expected an operation map {:process .. :type .. :f .. :value ..}");
    events.push(eventFromRecord(form.value, at));
  }
  return events;
}
