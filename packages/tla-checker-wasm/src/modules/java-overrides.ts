/**
 * CommunityModules operators that TLC evaluates with a Java override whose meaning the module's
 * TLA+ definition does not carry: file and process I/O (Json, IOUtils, CSV). Their definitions are
 * placeholders (`JsonSerialize(f, v) == TRUE`, `IOExec(c) == CHOOSE r \in ... : TRUE`), so
 * evaluating them as written would pass silently without writing or reading anything. tla-check
 * refuses each by name when it is evaluated; a model that never evaluates one (EWD840_json
 * exports its trace only when the invariant fails) is checked as TLC checks it.
 *
 * @module
 */
import type { OpDef } from "../eval/scope.js";
import { record } from "../values/sets.js";
import type { Val } from "../values/value.js";

const OVERRIDES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["Json", new Set(["JsonSerialize", "JsonDeserialize", "ndJsonSerialize", "ndJsonDeserialize"])],
  [
    "IOUtils",
    new Set(["IOSerialize", "IODeserialize", "Serialize", "Deserialize", "IOExec", "IOEnvExec", "IOExecTemplate", "IOEnvExecTemplate"]),
  ],
  ["CSV", new Set(["CSVWrite", "CSVWriteRecord", "CSVRead", "CSVRecords"])],
]);

/** The module whose Java override TLC uses for `def`, if `def` is one of {@link OVERRIDES}. */
export function javaOverrideOf(def: OpDef): string | null {
  if (def.closure) return null;
  const file = def.origin.file;
  if (!file.endsWith(".tla")) return null;
  // The file's base name without .tla (no node:path: the evaluator also runs in browsers).
  const module = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1, -".tla".length);
  return OVERRIDES.get(module)?.has(def.name) ? module : null;
}

/** The refusal for an operator {@link javaOverrideOf} names. */
export function javaOverrideMessage(module: string, name: string): string {
  return `${module}!${name} is implemented in TLC by a Java override (CommunityModules' tlc2.overrides.${module}) that reads or writes files or runs processes; its TLA+ definition is a placeholder, and tla-check does not implement the override`;
}

/**
 * Overrides tla-check implements, by module and name: `IOUtils!IOEnv`, the process's environment
 * variables as a record of strings (TLC: System.getenv()), read once per model as TLC reads it.
 * Where there is no process environment (a browser) IOEnv is refused like the others.
 */
const IMPLEMENTED: ReadonlyMap<string, ReadonlyMap<string, () => Val>> = new Map([
  [
    "IOUtils",
    new Map([
      [
        "IOEnv",
        (): Val => {
          const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
          if (!env) throw new Error("no process environment");
          return record(Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as const])));
        },
      ],
    ]),
  ],
]);

/** tla-check's implementation of the Java override for `def`, if it has one. */
export function implementedOverride(def: OpDef): (() => Val) | null {
  if (def.closure || def.params.length > 0) return null;
  const file = def.origin.file;
  if (!file.endsWith(".tla")) return null;
  const module = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1, -".tla".length);
  return IMPLEMENTED.get(module)?.get(def.name) ?? null;
}
