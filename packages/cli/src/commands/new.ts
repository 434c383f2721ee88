/**
 * `synod new <name>`: scaffold a protocol on the kit in a checkout — a spec with a CI model and
 * TLC's figures, a package with a node, its descriptor, a conformance test and a bench entry —
 * copied from `conformance/template` (the worked example of docs/adding-a-protocol.md, which the
 * kit's own tests run), renamed. As generated it passes `synod verify`; the contributor then
 * replaces the toy protocol with theirs, one file at a time.
 *
 * @module
 */
import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { findRepoRoot, loadKits } from "@synod/conformance";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./args.js";

/** What the template is called inside its files. */
const TEMPLATE = { name: "counter", title: "Counter" };

/** A protocol name: lower case, digits and dashes, starting with a letter (it is a package and folder name). */
const NAME_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** `two-phase` → `TwoPhase`: the TLA+ module and type-name prefix. */
export function pascalName(name: string): string {
  return name
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** One file to write: its path relative to the checkout, and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/**
 * Rename the template's protocol in one file's text. Only the protocol's identity changes: the spec
 * module and folder, the TypeScript names it prefixes, and the descriptor's name and title; the
 * replicated counter it serves (the lincheck model, the state machine) keeps its name, since it is
 * still a counter until the contributor changes it.
 */
function rename(text: string, name: string, title: string): string {
  return text
    .replaceAll(`specs/${TEMPLATE.name}`, `specs/${name}`)
    .replaceAll(`MODULE ${TEMPLATE.title}`, `MODULE ${title}`)
    .replaceAll(`${TEMPLATE.title}.tla`, `${title}.tla`)
    .replaceAll(`${TEMPLATE.title}.cfg`, `${title}.cfg`)
    .replace(/\bCounter(Node|Msg|Cmd|Res|Variant|Types)\b/g, `${title}$1`)
    .replace(`  name: "${TEMPLATE.name}",\n  title: "${TEMPLATE.title}",`, `  name: "${name}",\n  title: "${title}",`)
    .replace(/summary: "[^"]*"/, `summary: "${name}: scaffolded by synod new from the primary-backup counter template; make it your protocol"`);
}

/** The files of a new protocol `name`, from the template in `root`. */
export function scaffoldFiles(root: string, name: string): ScaffoldFile[] {
  const title = pascalName(name);
  const template = path.join(root, "conformance", "template");
  const read = (rel: string): string => {
    const file = path.join(template, rel);
    if (!fs.existsSync(file)) throw new Error(`the template is incomplete: ${file} is missing`);
    return fs.readFileSync(file, "utf8");
  };
  const spec = `specs/${name}`;
  const pkg = `packages/${name}`;
  const files: ScaffoldFile[] = [
    { path: `${spec}/${title}.tla`, text: rename(read("specs/counter/Counter.tla"), name, title) },
    { path: `${spec}/${title}.cfg`, text: read("specs/counter/Counter.cfg") },
    { path: `${spec}/expected.json`, text: rename(read("specs/counter/expected.json"), name, title) },
    { path: `${pkg}/src/node.ts`, text: rename(read("packages/counter/src/node.ts"), name, title) },
    { path: `${pkg}/src/kit/index.ts`, text: rename(read("packages/counter/src/kit/index.ts"), name, title) },
  ];
  const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
  files.push(
    {
      path: `${pkg}/package.json`,
      text: json({
        name: `@synod/${name}`,
        version: "0.1.0",
        private: true,
        description: `${title}: a protocol on Synod's kit (scaffolded by synod new).`,
        type: "module",
        exports: { "./kit": { types: "./dist/kit/index.d.ts", default: "./dist/kit/index.js" } },
        files: ["dist"],
        scripts: { build: "tsc -p tsconfig.json", typecheck: "tsc -p tsconfig.test.json --noEmit", test: "vitest run", bench: "vitest bench --run" },
        dependencies: Object.fromEntries(["@synod/conformance", "@synod/kv", "@synod/lincheck", "@synod/protocol", "@synod/testkit"].map((d) => [d, "workspace:*"])),
        synod: { kit: "./dist/kit/index.js" },
      }),
    },
    { path: `${pkg}/tsconfig.json`, text: json({ extends: "../../tsconfig.base.json", compilerOptions: { outDir: "dist", rootDir: "src" }, include: ["src"] }) },
    { path: `${pkg}/tsconfig.test.json`, text: json({ extends: "./tsconfig.json", compilerOptions: { rootDir: ".", noEmit: true }, include: ["src", "test", "bench"] }) },
    {
      path: `${pkg}/vitest.config.ts`,
      text: `import { defineConfig } from "vitest/config";\n\n// Conformance loads the TLA+ spec and runs simulations: seconds, not milliseconds.\nexport default defineConfig({ test: { testTimeout: 300_000 } });\n`,
    },
    {
      path: `${pkg}/test/kit.test.ts`,
      text: `import { runConformance } from "@synod/conformance";
import { expect, it } from "vitest";
import { kit } from "../src/kit/index.js";

it("passes every conformance check, and every broken variant is caught", async () => {
  const rows = await runConformance(kit, { size: "ci" });
  expect(rows.length).toBeGreaterThan(3);
  for (const row of rows) expect(row.ok, \`\${row.check}: \${row.detail}\`).toBe(true);
});
`,
    },
    {
      path: `${pkg}/bench/histories.bench.ts`,
      text: `import { checkHistories } from "@synod/conformance";
import { bench } from "vitest";
import { kit } from "../src/kit/index.js";

// The generated histories under faults, judged: what a conformance run spends most of its time on.
bench("${name}: 8 histories under faults, judged", async () => {
  const report = await checkHistories(kit, { seed: 1, numRuns: 8 });
  if (report.failure !== null) throw new Error("not judged correct: replay with synod replay " + report.failure.replayFile);
});
`,
    },
    {
      path: `${pkg}/README.md`,
      text: `# @synod/${name}

Scaffolded by \`synod new ${name}\` from the primary-backup counter template. It passes
\`npx -y pnpm@10 verify --spec ${name}\` as generated. Make it your protocol, keeping it green at
each step (docs/adding-a-protocol.md walks through each file):

- \`specs/${name}/${title}.tla\`: the spec; rerun TLC on \`${title}.cfg\` and put its figures in
  \`specs/${name}/expected.json\`.
- \`src/node.ts\`: the node, a pure state machine on \`@synod/protocol\`.
- \`src/kit/index.ts\`: the descriptor: the spec's models, the adapter (node state as the spec's
  variables), the histories' service and judge, the broken variants that must be caught.
- \`test/\`, \`bench/\`: \`npx -y pnpm@10 --filter @synod/${name} test\`, \`... bench\`.
`,
    },
  );
  return files;
}

/** Build the `new` subcommand. */
export function newCommand(): Command {
  return new Command("new")
    .description("scaffold a protocol on the kit (spec, package, descriptor, test, bench) that passes verify as generated")
    .argument("<name>", "the protocol's name: lower case letters, digits and dashes (e.g. zab, two-phase)")
    .option("--root <dir>", "the Synod checkout (default: found from the current directory)")
    .action(async (name: string, flags: { root?: string }) => {
      process.exitCode = await scaffold(name, flags);
    });
}

async function scaffold(name: string, flags: { root?: string }): Promise<number> {
  let root: string;
  try {
    if (!NAME_RE.test(name)) throw new UsageError(`"${name}" is not a protocol name (lower case letters, digits and dashes, starting with a letter)`);
    const found = flags.root !== undefined ? path.resolve(flags.root) : findRepoRoot(process.cwd());
    if (found === null || !fs.existsSync(path.join(found, "specs"))) throw new UsageError(`no Synod checkout ${flags.root !== undefined ? `at ${found}` : "here or above; pass --root"}`);
    root = found;
    for (const taken of [`specs/${name}`, `packages/${name}`]) {
      if (fs.existsSync(path.join(root, taken))) throw new UsageError(`${taken} already exists; choose another name`);
    }
    const known = (await loadKits({ root })).map((k) => k.name);
    if (known.includes(name)) throw new UsageError(`a protocol named "${name}" is already registered`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`synod new: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  let files: ScaffoldFile[];
  try {
    files = scaffoldFiles(root, name);
  } catch (err) {
    process.stderr.write(`synod new: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }
  for (const f of files) {
    const file = path.join(root, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.text, { flag: "wx" });
    process.stdout.write(`created ${f.path}\n`);
  }
  process.stdout.write(`\nnext: npx -y pnpm@10 install && npx -y pnpm@10 verify --spec ${name}\n`);
  return EXIT_OK;
}
