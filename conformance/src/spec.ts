/**
 * Loading a protocol's spec for a check: the module from its folder, with a cfg the descriptor
 * writes for the check's bounds, and the mapping between model values and implementation names.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel, type Value } from "@synod/tla-checker-wasm";
import type { LoadedSpec } from "./kit.js";

/** The nearest directory at or above `start` holding `specs/` and `pnpm-workspace.yaml`, else null. */
export function findRepoRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "specs")) && existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The Synod checkout this conformance package belongs to (found from its own location). */
export function ownRepoRoot(): string {
  const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  if (root === null) throw new Error(`conformance: no Synod checkout (specs/ and pnpm-workspace.yaml) above ${fileURLToPath(import.meta.url)}`);
  return root;
}

/** A spec folder as an absolute path: `dir` itself if absolute, else relative to the checkout. */
export function specDir(dir: string, root: string = ownRepoRoot()): string {
  return isAbsolute(dir) ? dir : join(root, dir);
}

/**
 * `dir` (relative to a checkout) in the checkout that holds the module at `moduleUrl`: how a
 * descriptor finds its own spec folder, wherever its checkout is.
 *
 * @example `specDirNear(import.meta.url, "specs/raft")`
 */
export function specDirNear(moduleUrl: string, dir: string): string {
  const from = dirname(fileURLToPath(moduleUrl));
  const root = findRepoRoot(from);
  if (root === null) throw new Error(`no Synod checkout (specs/ and pnpm-workspace.yaml) above ${from}`);
  return join(root, dir);
}

/** What {@link loadSpec} needs. */
export interface SpecSource {
  /** The spec folder (absolute, or relative to the checkout). */
  dir: string;
  /** The module to load, e.g. `MCRaft.tla`. */
  module: string;
  /** The cfg text. */
  cfg: string;
  /** The cfg's name in error messages. */
  cfgName?: string;
  /** The server model values (= the implementation's node ids). */
  servers: readonly string[];
}

/**
 * Load `module` with `cfg`. Model values map to implementation names one to one: the model value
 * `s1` is the server the implementation calls `s1`.
 */
export async function loadSpec(src: SpecSource): Promise<LoadedSpec> {
  const model = await loadModel({
    spec: { path: join(specDir(src.dir), src.module) },
    cfg: { source: src.cfg, name: src.cfgName ?? "conformance.cfg" },
    print: () => {},
  });
  const cache = new Map<string, Value>();
  const mv = (name: string): Value => {
    let v = cache.get(name);
    if (v === undefined) cache.set(name, (v = model.values.fromPortable({ m: name })));
    return v;
  };
  const nameOf = (v: Value): string => {
    const p = model.values.toPortable(v) as { m?: unknown };
    if (typeof p !== "object" || p === null || typeof p.m !== "string") throw new Error(`not a model value: ${model.values.format(v)}`);
    return p.m;
  };
  return { model, servers: src.servers, mv, nameOf };
}
