/**
 * `synod new`: a scaffolded protocol passes `verify` as generated, in a checkout of its own.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { pascalName } from "../src/commands/new.js";
import { runSynod } from "./processes.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** A checkout with no protocol at all: the workspace files and the template `new` copies. */
function emptyCheckout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synod-new-"));
  fs.mkdirSync(path.join(dir, "specs"));
  fs.mkdirSync(path.join(dir, "packages"));
  fs.copyFileSync(path.join(ROOT, "pnpm-workspace.yaml"), path.join(dir, "pnpm-workspace.yaml"));
  fs.copyFileSync(path.join(ROOT, "tsconfig.base.json"), path.join(dir, "tsconfig.base.json"));
  fs.cpSync(path.join(ROOT, "conformance", "template"), path.join(dir, "conformance", "template"), { recursive: true });
  return dir;
}

/** What `pnpm install` would link for the new package: its workspace dependencies and the tools. */
function link(checkout: string, name: string): void {
  const pkg = path.join(checkout, "packages", name);
  const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
  fs.mkdirSync(path.join(pkg, "node_modules", "@synod"), { recursive: true });
  for (const d of deps) {
    const target = d === "@synod/conformance" ? path.join(ROOT, "conformance") : path.join(ROOT, "packages", d.slice("@synod/".length));
    fs.symlinkSync(target, path.join(pkg, "node_modules", d));
  }
  fs.mkdirSync(path.join(checkout, "node_modules", "@types"), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules", "@types", "node")), path.join(checkout, "node_modules", "@types", "node"));
}

describe("synod new", () => {
  const checkout = emptyCheckout();
  afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }));

  it("names modules and types in Pascal case", () => {
    expect(pascalName("zab")).toBe("Zab");
    expect(pascalName("two-phase")).toBe("TwoPhase");
  });

  it("scaffolds a protocol that passes verify as generated: its spec equals TLC, its conformance passes", async () => {
    const made = await runSynod(["new", "two-phase", "--root", checkout]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/created specs\/two-phase\/TwoPhase\.tla/);
    expect(made.stdout).toMatch(/created packages\/two-phase\/src\/kit\/index\.ts/);
    const kitText = fs.readFileSync(path.join(checkout, "packages", "two-phase", "src", "kit", "index.ts"), "utf8");
    expect(kitText).toMatch(/name: "two-phase",\n {2}title: "TwoPhase",/);
    expect(kitText).not.toMatch(/\bCounterNode\b/);
    link(checkout, "two-phase");
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(checkout, "packages", "two-phase", "tsconfig.json")]);
    const r = await runSynod(["verify", "--root", checkout, "--json"], 600_000);
    const out = JSON.parse(r.stdout) as { ok: boolean; rows: { check: string; ok: boolean; detail: string }[] };
    expect(out.rows.filter((x) => !x.ok)).toEqual([]);
    expect(out.rows.map((x) => x.check)).toEqual(expect.arrayContaining(["tla specs/two-phase/TwoPhase.cfg", "conformance two-phase: histories: linearizable under faults"]));
    expect(out.ok).toBe(true);
    expect(r.code).toBe(0);
  }, 900_000);

  it("refuses a bad name, a name taken, and a folder that is no checkout", async () => {
    const bad = await runSynod(["new", "Two_Phase", "--root", checkout]);
    expect(bad.stderr).toMatch(/"Two_Phase" is not a protocol name/);
    expect(bad.code).toBe(2);
    const taken = await runSynod(["new", "two-phase", "--root", checkout]);
    expect(taken.stderr).toMatch(/specs\/two-phase already exists/);
    expect(taken.code).toBe(2);
    const nowhere = await runSynod(["new", "zab", "--root", os.tmpdir()]);
    expect(nowhere.stderr).toMatch(/no Synod checkout at/);
    expect(nowhere.code).toBe(2);
  }, 60_000);
});
