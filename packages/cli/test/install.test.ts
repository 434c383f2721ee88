/**
 * Synod outside a checkout: pack the published packages as `npm pack` tarballs, install them with a
 * plain `npm install` (install scripts on) into an empty project, and run the three binaries there
 * on a spec, a history and a one-node cluster, as a user who never cloned this repository would.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/**
 * What `synod` needs, and Raft for `synod serve raft`: the workspace packages `@synod/cli` and
 * `@synod/raft` depend on, followed through their package.json files (a hand-kept list went stale
 * when the conformance kit came to depend on `@synod/crdt`).
 */
const PACKAGES = dependencyClosure(["@synod/cli", "@synod/raft"]);

function dependencyClosure(roots: string[]): string[] {
  const dirs = new Map<string, string>();
  for (const dir of [...fs.readdirSync(path.join(ROOT, "packages")).map((d) => path.join("packages", d)), "conformance"]) {
    const file = path.join(ROOT, dir, "package.json");
    if (fs.existsSync(file)) dirs.set((JSON.parse(fs.readFileSync(file, "utf8")) as { name: string }).name, dir);
  }
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    const dir = dirs.get(name);
    if (dir === undefined) throw new Error(`${name} is not a workspace package`);
    seen.add(name);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (dep.startsWith("@synod/")) visit(dep);
  };
  for (const r of roots) visit(r);
  return [...seen].map((name) => dirs.get(name)!);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "synod-install-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describe("the packed packages, installed with plain npm into an empty project", () => {
  const project = path.join(work, "project");
  const bin = (name: string): string => path.join(project, "node_modules", ".bin", name);

  it("install with their install scripts on, and carry no checkout", () => {
    const tarballs = path.join(work, "tarballs");
    fs.mkdirSync(tarballs);
    for (const p of PACKAGES) sh("npx", ["-y", "pnpm@10", "pack", "--pack-destination", tarballs], path.join(ROOT, p));
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }));
    const files = fs.readdirSync(tarballs).map((f) => path.join(tarballs, f));
    expect(files).toHaveLength(PACKAGES.length);
    sh("npm", ["install", "--no-audit", "--no-fund", ...files], project);
    for (const name of ["tla-check", "lincheck", "synod"]) expect(fs.existsSync(bin(name)), name).toBe(true);
    // The grammar travels inside the checker; the grammar package (native install script) does not come along.
    expect(fs.existsSync(path.join(project, "node_modules", "@synod", "tla-checker-wasm", "dist", "grammar", "tree-sitter-tlaplus.wasm"))).toBe(true);
    expect(fs.existsSync(path.join(project, "node_modules", "@tlaplus"))).toBe(false);
  }, 600_000);

  it("export their APIs with types, importable from the project", () => {
    for (const name of ["@synod/tla-checker-wasm", "@synod/lincheck", "@synod/cli", "@synod/conformance"]) {
      const dir = path.join(project, "node_modules", ...name.split("/"));
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { exports: Record<string, { types: string; default: string }> };
      for (const [sub, entry] of Object.entries(pkg.exports)) {
        expect(fs.existsSync(path.join(dir, entry.types)), `${name} ${sub} types ${entry.types}`).toBe(true);
        expect(fs.existsSync(path.join(dir, entry.default)), `${name} ${sub} ${entry.default}`).toBe(true);
      }
    }
    const probe = "import('@synod/tla-checker-wasm').then(async (m) => { const r = await m.checkSpec({ spec: { path: 'Probe.tla' }, cfg: { path: 'Probe.cfg' } }); console.log(r.verdict, r.distinct); })";
    fs.writeFileSync(path.join(project, "Probe.tla"), "---- MODULE Probe ----\nVARIABLE x\nInit == x \\in {1, 2, 3}\nNext == UNCHANGED x\n====\n");
    fs.writeFileSync(path.join(project, "Probe.cfg"), "INIT Init\nNEXT Next\n");
    expect(sh(process.execPath, ["--input-type=module", "-e", probe], project).trim()).toBe("ok 3");
    const lin = "import('@synod/lincheck').then((m) => console.log(typeof m.checkHistory === 'function' || Object.keys(m).length > 5))";
    expect(sh(process.execPath, ["--input-type=module", "-e", lin], project).trim()).toBe("true");
  });

  it("tla-check checks a spec, with TLC's counts and exit status", () => {
    fs.writeFileSync(path.join(project, "Clock.tla"), "---- MODULE Clock ----\nEXTENDS Naturals\nVARIABLE h\nInit == h \\in 1..12\nNext == h' = IF h = 12 THEN 1 ELSE h + 1\nSmall == h < 12\n====\n");
    fs.writeFileSync(path.join(project, "Clock.cfg"), "INIT Init\nNEXT Next\n");
    const ok = spawnSync(bin("tla-check"), ["Clock.tla"], { cwd: project, encoding: "utf8" });
    expect(ok.stdout).toMatch(/24 states generated, 12 distinct states found/);
    expect(ok.status).toBe(0);
    fs.writeFileSync(path.join(project, "Clock.cfg"), "INIT Init\nNEXT Next\nINVARIANT Small\n");
    const bad = spawnSync(bin("tla-check"), ["Clock.tla"], { cwd: project, encoding: "utf8" });
    expect(bad.stdout).toMatch(/Invariant Small is violated/);
    expect(bad.status).toBe(12);
  });

  it("lincheck judges a history", () => {
    const ops = (reads: number) => [
      { process: 0, type: "invoke", f: "write", value: 1 },
      { process: 0, type: "ok", f: "write", value: 1 },
      { process: 1, type: "invoke", f: "read", value: null },
      { process: 1, type: "ok", f: "read", value: reads },
    ];
    fs.writeFileSync(path.join(project, "good.json"), JSON.stringify(ops(1)));
    fs.writeFileSync(path.join(project, "bad.json"), JSON.stringify(ops(2)));
    const good = spawnSync(bin("lincheck"), ["good.json", "--model", "register", "--init", "0"], { cwd: project, encoding: "utf8" });
    expect(good.stdout).toMatch(/^good\.json: ok \(2 operations/);
    expect(good.status).toBe(0);
    const bad = spawnSync(bin("lincheck"), ["bad.json", "--model", "register", "--init", "0"], { cwd: project, encoding: "utf8" });
    expect(bad.stdout).toMatch(/^bad\.json: illegal/);
    expect(bad.stdout).toMatch(/is not linearizable/);
    expect(bad.status).toBe(12);
  });

  it("synod finds the installed protocols and serves a one-node Raft cluster a KV client can use", async () => {
    const help = spawnSync(bin("synod"), ["conformance", "nope"], { cwd: project, encoding: "utf8" });
    expect(help.stderr).toMatch(/unknown protocol "nope" \(known: .*raft/);
    const [peer, client] = [await freePort(), await freePort()];
    const node = spawn(bin("synod"), ["serve", "raft", "--id", "n1", "--peers", `n1=127.0.0.1:${peer}`, "--client-port", String(client), "--data", path.join(project, "n1"), "--quiet"], { cwd: project, stdio: "ignore" });
    try {
      const kv = (...args: string[]): string => execFileSync(bin("synod"), ["kv", "--cluster", `127.0.0.1:${client}`, "--timeout", "20s", ...args], { cwd: project, encoding: "utf8" });
      kv("put", "greeting", "hello");
      expect(kv("get", "greeting")).toMatch(/hello/);
    } finally {
      node.kill("SIGTERM");
    }
  }, 60_000);
});
