/**
 * Maelstrom's wire format (doc/protocol.md): newline-delimited JSON messages
 * `{src, dest, body}` where `body.type` names the message, `body.msg_id` identifies a request and
 * `body.in_reply_to` the request a reply answers; and the `lin-kv` workload's bodies
 * (doc/workloads.md): `read {key}` → `read_ok {value}`, `write {key, value}` → `write_ok`,
 * `cas {key, from, to}` → `cas_ok`, error 20 when the key does not exist and 22 when `from` does
 * not match.
 *
 * @module
 */

/** A message as Maelstrom routes it. */
export interface MaelstromMessage {
  src: string;
  dest: string;
  body: MaelstromBody;
}

/** A body: `type` and the RPC keys, plus the message's own. */
export interface MaelstromBody {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [key: string]: unknown;
}

/** A lin-kv request, checked. Keys and values are any JSON. */
export type LinKvRequest =
  | { type: "read"; key: unknown }
  | { type: "write"; key: unknown; value: unknown }
  | { type: "cas"; key: unknown; from: unknown; to: unknown };

/** What a line of input is. */
export type ParsedLine =
  | { kind: "message"; message: MaelstromMessage }
  /** Not a message; `replyTo` is set when the line said who sent it and which request it was. */
  | { kind: "malformed"; problem: string; replyTo?: { src: string; msgId: number } };

/** Parse one line of stdin. Never throws. */
export function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { kind: "malformed", problem: `not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { kind: "malformed", problem: "not a JSON object" };
  const m = value as Record<string, unknown>;
  const body = m["body"];
  const msgId = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["msg_id"] : undefined;
  const replyTo = typeof m["src"] === "string" && Number.isSafeInteger(msgId) ? { src: m["src"], msgId: msgId as number } : undefined;
  const bad = (problem: string): ParsedLine => ({ kind: "malformed", problem, ...(replyTo ? { replyTo } : {}) });
  if (typeof m["src"] !== "string" || m["src"] === "") return bad("src must be a non-empty string");
  if (typeof m["dest"] !== "string" || m["dest"] === "") return bad("dest must be a non-empty string");
  if (typeof body !== "object" || body === null || Array.isArray(body)) return bad("body must be an object");
  const b = body as Record<string, unknown>;
  if (typeof b["type"] !== "string" || b["type"] === "") return bad("body.type must be a non-empty string");
  if (b["msg_id"] !== undefined && !Number.isSafeInteger(b["msg_id"])) return bad("body.msg_id must be an integer");
  if (b["in_reply_to"] !== undefined && !Number.isSafeInteger(b["in_reply_to"])) return bad("body.in_reply_to must be an integer");
  return { kind: "message", message: { src: m["src"], dest: m["dest"], body: b as MaelstromBody } };
}

/** Check a lin-kv request body: the request, or what is missing. */
export function checkLinKv(body: MaelstromBody): LinKvRequest | string {
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(body, k) && body[k] !== undefined;
  switch (body.type) {
    case "read":
      return has("key") ? { type: "read", key: body["key"] } : "read needs a key";
    case "write":
      if (!has("key")) return "write needs a key";
      if (!has("value")) return "write needs a value";
      return { type: "write", key: body["key"], value: body["value"] };
    case "cas":
      if (!has("key")) return "cas needs a key";
      if (!has("from")) return "cas needs from";
      if (!has("to")) return "cas needs to";
      return { type: "cas", key: body["key"], from: body["from"], to: body["to"] };
    default:
      return `${body.type} is not a lin-kv request`;
  }
}
