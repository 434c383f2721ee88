/**
 * `synod keygen <protocol>`: write the key files a served cluster of that protocol needs (the
 * protocol's descriptor says which, through `serve.keygen`; a protocol without keys is refused).
 * Files are created with mode 0600 and never overwritten.
 *
 * @module
 */
import { Command } from "commander";
import { findKit, UnknownProtocolError } from "@synod/conformance";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./args.js";

interface KeygenFlags {
  nodes: string;
  clients: string;
  out: string;
}

/** Build the `keygen` subcommand. */
export function keygenCommand(): Command {
  return new Command("keygen")
    .description("write the key files a served cluster needs (one per node, one per client, and cluster.json with every secret, for tests)")
    .argument("<protocol>", "the protocol (its descriptor must have serve.keygen)")
    .requiredOption("--nodes <ids>", "the replicas, comma-separated: n1,n2,n3,n4")
    .option("--clients <ids>", "the clients, comma-separated", "client")
    .option("--out <dir>", "the folder to write into (created; existing files are never overwritten)", "keys")
    .action(async (protocol: string, flags: KeygenFlags) => {
      process.exitCode = await keygen(protocol, flags);
    });
}

const list = (s: string): string[] => s.split(",").map((x) => x.trim()).filter((x) => x !== "");

async function keygen(protocol: string, flags: KeygenFlags): Promise<number> {
  const usage = (line: string): number => {
    process.stderr.write(`synod keygen: ${line}\n`);
    return EXIT_USAGE;
  };
  let kit;
  try {
    kit = await findKit(protocol);
  } catch (err) {
    if (err instanceof UnknownProtocolError) return usage(err.message);
    throw err;
  }
  const gen = kit.serve?.keygen;
  if (gen === undefined) return usage(`${kit.name} needs no keys (its descriptor has no serve.keygen)`);
  const nodes = list(flags.nodes);
  const clients = list(flags.clients);
  if (nodes.length === 0) return usage("--nodes: give at least one node id");
  if (new Set([...nodes, ...clients]).size !== nodes.length + clients.length) return usage("--nodes/--clients: an id appears twice");
  let files: Record<string, unknown>;
  try {
    files = gen({ nodes, clients });
  } catch (err) {
    return usage((err as Error).message);
  }
  const { mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  try {
    mkdirSync(flags.out, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      // "wx": fail rather than overwrite keys a cluster may already use.
      writeFileSync(join(flags.out, name), `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" });
      process.stdout.write(`${join(flags.out, name)}\n`);
    }
  } catch (err) {
    process.stderr.write(`synod keygen: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
