import { readFile } from "node:fs/promises";
import { HistoryError, HistoryFileError } from "../errors.js";
import type { History } from "../types.js";
import { parseEdnHistory } from "./ednHistory.js";
import { parseJepsenLog } from "./jepsenLog.js";
import { parseJsonHistory } from "./json.js";

/** A history file format. */
export type HistoryFormat = "json" | "edn" | "jepsen-log";

/** The formats, for help texts. */
export const historyFormats: readonly HistoryFormat[] = ["json", "edn", "jepsen-log"];

/**
 * Guesses a file's format from its name, then from its contents: Jepsen log lines, EDN keywords
 * (`:type`), or JSON.
 */
export function guessFormat(path: string, text: string): HistoryFormat {
  if (/\.jsonl?$/i.test(path)) return "json";
  if (/\.edn$/i.test(path)) return "edn";
  if (/jepsen\.util\s+-\s/.test(text.slice(0, 65536))) return "jepsen-log";
  const head = text.slice(0, 4096);
  if (/:(type|process|f)\b/.test(head)) return "edn";
  return "json";
}

/** Parses text in the given format. */
export function parseHistory(text: string, format: HistoryFormat, file: string): History {
  switch (format) {
    case "json":
      return parseJsonHistory(text, file);
    case "edn":
      return parseEdnHistory(text, file);
    case "jepsen-log":
      return parseJepsenLog(text, file);
  }
}

/**
 * Reads a history file, guessing the format when not given.
 * @returns the events and the format used.
 */
export async function readHistoryFile(
  path: string,
  options: { readonly format?: HistoryFormat } = {},
): Promise<{ history: History; format: HistoryFormat }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new HistoryFileError(path, `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const format = options.format ?? guessFormat(path, text);
  return { history: parseHistory(text, format, path), format };
}
