/**
 * The README's commands, run through pnpm exactly as typed on a machine with only Node 20 and npm.
 * Root scripts run in a scratch project whose scripts only report their name and arguments, so the
 * test shows what pnpm dispatches a command to (a script, or one of pnpm's own commands that shadows
 * it) without building anything; `exec` commands run for real from the checkout.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PNPM = "npx -y pnpm@10 ";

/** Every command line of the README's `sh` blocks, comments cut, `a && b` split. */
function readmeCommands(): string[] {
  const text = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split("\n"))
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l.length > 0)
    .flatMap((l) => l.split("&&").map((c) => c.trim()));
}

function run(command: string, cwd: string, timeout = 120_000): { code: number | null; out: string; stdout: string } {
  const r = spawnSync("sh", ["-c", command], { cwd, encoding: "utf8", timeout, env: { ...process.env, CI: "1" } });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

describe("the README's commands", () => {
  const commands = readmeCommands();
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

  it("are all spelled through npx, since pnpm is not on a new machine's PATH", () => {
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) expect(c.startsWith(PNPM), c).toBe(true);
  });

  it("reach the root script they name, not one of pnpm's own commands", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "synod-readme-"));
    try {
      fs.writeFileSync(path.join(scratch, "report.cjs"), "console.log(`SCRIPT:${process.argv.slice(2).join(' ')}`)\n");
      const stubs = Object.fromEntries(Object.keys(scripts).map((name) => [name, `node report.cjs ${name}`]));
      fs.writeFileSync(path.join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, scripts: stubs }));
      const checked: string[] = [];
      for (const c of commands) {
        const words = c.slice(PNPM.length).split(/\s+/);
        if (words[0] === "install" || words[0] === "exec") continue;
        const [name, ...args] = words[0] === "run" ? words.slice(1) : words;
        expect(Object.keys(scripts), `${c}: no root script "${name}"`).toContain(name);
        const r = run(c, scratch);
        expect(r.out, `${c} did not run the root script ${name}`).toContain(`SCRIPT:${[name, ...args].join(" ")}`);
        expect(r.code, c).toBe(0);
        checked.push(name!);
      }
      expect(checked).toEqual(expect.arrayContaining(["verify", "test", "bench", "docs", "build"]));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 300_000);

  it("run the installed binaries from the checkout", () => {
    const execs = commands.filter((c) => c.startsWith(`${PNPM}exec `));
    expect(execs.length).toBeGreaterThanOrEqual(3);
    // The binaries run the compiled packages: make sure they exist, as after the README's install and a build.
    for (const dir of ["tla-checker-wasm", "lincheck", "cli"]) {
      if (!fs.existsSync(path.join(ROOT, "packages", dir, "dist"))) execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "packages", dir, "tsconfig.json")]);
    }
    for (const c of execs) {
      const r = run(c, ROOT, 1_200_000);
      expect(r.code, `${c}\n${r.out}`).toBe(0);
      if (c.endsWith(" --help")) expect(r.out, c).toMatch(/Usage|usage/);
      else if (c.endsWith(" verify --json")) {
        // The main job for scripts: stdout is one JSON document with every row passed.
        const out = JSON.parse(r.stdout) as { ok: boolean; rows: unknown[] };
        expect(out.ok, r.stdout).toBe(true);
        expect(out.rows.length).toBeGreaterThan(5);
      } else throw new Error(`${c}: the README shows a command this test does not know how to check`);
    }
  }, 1_500_000);
});
