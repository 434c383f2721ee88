import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Compile src/ to dist/ so the spawned `synod` processes run the code under test (skipped when
 * dist/ is newer than every source file, as after `pnpm build`).
 */
export default function setup(): void {
  const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  if (distIsFresh(packageDir)) return;
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(packageDir, "tsconfig.json")], { stdio: "inherit", cwd: packageDir });
}

function distIsFresh(packageDir: string): boolean {
  const built = path.join(packageDir, "dist", "bin.js");
  if (!fs.existsSync(built)) return false;
  const builtMs = fs.statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...fs.readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs,
      ),
    );
  return Math.max(newest(path.join(packageDir, "src")), fs.statSync(path.join(packageDir, "tsconfig.json")).mtimeMs) < builtMs;
}
