/**
 * Validation of log values from the wire and from storage: a node never trusts either.
 *
 * @module
 */
import { validateKvCommand } from "@synod/kv";

/** Checks one command of the hosted service (`null`: well formed); the key-value store's by default. */
export type CommandValidator = (command: unknown) => string | null;

/** `null` when `v` is a well-formed log value, else the problem in words; `validateCommand` checks the hosted service's commands. */
export function validateLogValue(v: unknown, validateCommand: CommandValidator = validateKvCommand): string | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return "not an object";
  const x = v as Record<string, unknown>;
  switch (x.type) {
    case "noop":
      return null;
    case "kv": {
      if (typeof x.clientId !== "string") return "'clientId' must be a string";
      if (!Number.isSafeInteger(x.seq) || (x.seq as number) < 1) return "'seq' must be a positive integer";
      const bad = validateCommand(x.command);
      return bad === null ? null : `command: ${bad}`;
    }
    case "decree":
      return typeof x.value === "string" ? null : "'value' must be a string";
    default:
      return `unknown value type ${JSON.stringify(x.type)}`;
  }
}
