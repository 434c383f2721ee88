/**
 * Validation of log values from the wire and from storage: a node never trusts either.
 *
 * @module
 */
import { validateKvCommand } from "@synod/kv";

/** `null` when `v` is a well-formed log value, else the problem in words. */
export function validateLogValue(v: unknown): string | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "not an object";
  const x = v as Record<string, unknown>;
  switch (x.type) {
    case "noop":
      return null;
    case "kv": {
      if (typeof x.clientId !== "string") return "'clientId' must be a string";
      if (!Number.isSafeInteger(x.seq) || (x.seq as number) < 1) return "'seq' must be a positive integer";
      const bad = validateKvCommand(x.command);
      return bad === null ? null : `command: ${bad}`;
    }
    case "decree":
      return typeof x.value === "string" ? null : "'value' must be a string";
    default:
      return `unknown value type ${JSON.stringify(x.type)}`;
  }
}
