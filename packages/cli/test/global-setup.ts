import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Compile src/ to dist/ so the spawned `synod` processes run the code under test. */
export default function setup(): void {
  const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(packageDir, "tsconfig.json")], { stdio: "inherit", cwd: packageDir });
}
