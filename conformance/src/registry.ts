/**
 * The registry of protocol descriptors. A protocol package says where its descriptor is in its
 * package.json (`"synod": { "kit": "./dist/kit/index.js" }`, a module exporting `kit`); the
 * registry finds every such package under the checkout's `packages/` (and any extra folders a
 * caller names), so adding a protocol changes nothing here or in the CLI. A package that holds
 * several protocols (the election package: lease, Bully and ring) exports `kits`, an array of
 * descriptors, instead of `kit`. Installed from npm, with
 * no checkout around it, it scans the `node_modules` folder this package was installed into.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AnyKit } from "./kit.js";
import { findRepoRoot } from "./spec.js";

/** Where to look for protocol packages. */
export interface RegistryOptions {
  /**
   * The checkout whose `packages/*` are scanned (default: the one this package lives in, or, when
   * it lives in none, the packages installed beside it).
   */
  root?: string;
  /** Further package folders, each holding a package.json with a `synod.kit` entry. */
  packageDirs?: readonly string[];
}

/** Asked for a protocol the registry does not know. */
export class UnknownProtocolError extends Error {
  constructor(
    readonly protocol: string,
    readonly known: readonly string[],
  ) {
    super(`unknown protocol ${JSON.stringify(protocol)} (known: ${known.join(", ") || "none"})`);
    this.name = "UnknownProtocolError";
  }
}

/** A package folder's descriptor module path, or null when the package declares none. */
function kitEntry(dir: string): string | null {
  const file = join(dir, "package.json");
  if (!existsSync(file)) return null;
  let pkg: { synod?: { kit?: unknown } };
  try {
    pkg = JSON.parse(readFileSync(file, "utf8")) as typeof pkg;
  } catch (e) {
    throw new Error(`${file}: not JSON: ${(e as Error).message}`);
  }
  const kit = pkg.synod?.kit;
  if (kit === undefined) return null;
  if (typeof kit !== "string") throw new Error(`${file}: "synod.kit" must be the path of the descriptor module`);
  return join(dir, kit);
}

/** Check that a module's `kit` export looks like a descriptor; errors name the module and field. */
function checkKit(kit: unknown, where: string): AnyKit {
  const k = kit as Partial<AnyKit> | undefined;
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`${where}: ${what}`);
  };
  need(typeof k === "object" && k !== null, "exports no `kit` object");
  // Names may start with a digit: protocols are called that way (2pc, 3pc).
  need(typeof k!.name === "string" && /^[a-z0-9][a-z0-9-]*$/.test(k!.name), "kit.name must be a lower-case name");
  need(typeof k!.title === "string", "kit.title must be a string");
  need(typeof k!.spec?.dir === "string" && typeof k!.spec.load === "function", "kit.spec needs dir and load()");
  need(typeof k!.histories?.node === "function" && typeof k!.histories.judge?.check === "function", "kit.histories needs node() and a judge");
  need(Array.isArray(k!.brokenVariants), "kit.brokenVariants must be an array");
  need(typeof k!.status === "function", "kit.status must be a function");
  return k as AnyKit;
}

/** The descriptors a kit module exports: `kits` (an array) when present, else the one `kit`. */
function moduleKits(mod: { kit?: unknown; kits?: unknown }, entry: string): AnyKit[] {
  if (mod.kits === undefined) return [checkKit(mod.kit, entry)];
  if (!Array.isArray(mod.kits) || mod.kits.length === 0) throw new Error(`${entry}: \`kits\` must be a non-empty array of descriptors`);
  return mod.kits.map((k, i) => checkKit(k, `${entry} (kits[${i}])`));
}

/**
 * The package folders installed in the `node_modules` that holds this package (top level and one
 * scope level down), for a registry used outside a checkout.
 */
function installedPackageDirs(): string[] {
  const own = dirname(dirname(fileURLToPath(import.meta.url)));
  const scope = dirname(own);
  const modules = basename(scope).startsWith("@") ? dirname(scope) : scope;
  if (basename(modules) !== "node_modules") return [];
  const dirs: string[] = [];
  for (const d of readdirSync(modules, { withFileTypes: true })) {
    if (d.name.startsWith(".") || !(d.isDirectory() || d.isSymbolicLink())) continue;
    if (!d.name.startsWith("@")) dirs.push(join(modules, d.name));
    else for (const e of readdirSync(join(modules, d.name))) dirs.push(join(modules, d.name, e));
  }
  return dirs;
}

/** Every protocol descriptor, sorted by name. Throws naming the package for a broken descriptor. */
export async function loadKits(options: RegistryOptions = {}): Promise<AnyKit[]> {
  const root = options.root ?? findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  const dirs: string[] = [];
  if (root === null) dirs.push(...installedPackageDirs());
  else {
    const packages = join(root, "packages");
    if (existsSync(packages)) {
      for (const d of readdirSync(packages, { withFileTypes: true })) if (d.isDirectory()) dirs.push(join(packages, d.name));
    }
  }
  dirs.push(...(options.packageDirs ?? []));
  const kits: AnyKit[] = [];
  for (const dir of dirs) {
    const entry = kitEntry(dir);
    if (entry === null) continue;
    if (!existsSync(entry)) throw new Error(`${join(dir, "package.json")}: synod.kit ${entry} does not exist (is the package built?)`);
    const mod = (await import(pathToFileURL(entry).href)) as { kit?: unknown; kits?: unknown };
    for (const kit of moduleKits(mod, entry)) {
      const clash = kits.find((k) => k.name === kit.name);
      if (clash) throw new Error(`${entry}: a second protocol named ${JSON.stringify(kit.name)}`);
      kits.push(kit);
    }
  }
  return kits.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The descriptor of `name`; throws {@link UnknownProtocolError} naming the known ones. */
export async function findKit(name: string, options: RegistryOptions = {}): Promise<AnyKit> {
  const kits = await loadKits(options);
  const kit = kits.find((k) => k.name === name);
  if (kit === undefined) throw new UnknownProtocolError(name, kits.map((k) => k.name));
  return kit;
}
