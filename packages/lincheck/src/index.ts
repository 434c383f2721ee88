/**
 * `@synod/lincheck`: a linearizability checker (Wing & Gong / Lowe search with memoisation and
 * P-compositionality), its models, readers for JSON, Jepsen EDN and Jepsen log histories, and
 * an HTML report.
 *
 * @example
 * ```ts
 * import { checkHistory, casRegister, readHistoryFile } from "@synod/lincheck";
 * const { history } = await readHistoryFile("history.edn");
 * const result = checkHistory(history, casRegister(), { timeoutMs: 10_000 });
 * console.log(result.verdict);
 * ```
 * @packageDocumentation
 */
export { checkHistory, partitionOperations } from "./check.js";
export { HistoryError, HistoryFileError } from "./errors.js";
export { orderEvents, prepareOperations } from "./history.js";
export { renderHtml, type HtmlOptions } from "./html.js";
export { jsonReport, type JsonOperation, type JsonReport } from "./report.js";
export { generateHistory, type GeneratedHistory, type GeneratorOptions } from "./generate.js";
export * from "./models/index.js";
export { EdnReader, parseEdnValue, type Located } from "./readers/edn.js";
export { parseEdnHistory } from "./readers/ednHistory.js";
export { parseJepsenLog } from "./readers/jepsenLog.js";
export { parseJsonHistory } from "./readers/json.js";
export { guessFormat, historyFormats, parseHistory, readHistoryFile, type HistoryFormat } from "./readers/readFile.js";
export * from "./types.js";
export { isValue, showValue, valueEqual, valueKey, type Value } from "./value.js";
