/**
 * Synod's Dynamo as a user runs it: three `synod serve dynamo` processes (the committed bin,
 * packages/cli/dist/bin.js), each with its own TCP peer and client ports on loopback and fsync'd
 * file storage in a temp dir, `--protocol-options` giving N, R, W and any-owner coordinators.
 * Clients are `ClusterClient`s, as `synod kv`. Started and stopped by pid.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ClusterClient } from "@synod/cli";
import { SetupError, freePort, waitListening } from "./servers.mjs";
import { stopChild } from "@synod/rival-common/processes";

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "packages", "cli", "dist", "bin.js");

/** A running three-node Synod Dynamo ring. */
export class SynodDynamoCluster {
  /** @param {{ dir: string, r: number, w: number, batchEvents?: number }} o */
  constructor(o) {
    this.o = o;
    this.ids = ["n1", "n2", "n3"];
    this.children = [];
    this.clientPorts = [];
  }

  async start() {
    if (!existsSync(BIN)) throw new SetupError(`${BIN} is missing: build Synod first (npx -y pnpm@10 --filter @synod/rival-dynomite... build)`);
    mkdirSync(this.o.dir, { recursive: true });
    const peer = new Map();
    for (const id of this.ids) peer.set(id, await freePort());
    const peers = this.ids.map((id) => `${id}=127.0.0.1:${peer.get(id)}`).join(",");
    const options = JSON.stringify({ n: 3, r: this.o.r, w: this.o.w, coordinator: "any" });
    for (const id of this.ids) {
      const port = await freePort();
      const out = openSync(join(this.o.dir, `${id}.log`), "a");
      const args = [BIN, "serve", "dynamo", "--id", id, "--peers", peers, "--client-port", String(port), "--data", join(this.o.dir, id), "--protocol-options", options, "--quiet"];
      if (this.o.batchEvents !== undefined) args.push("--batch-events", String(this.o.batchEvents));
      const child = spawn(process.execPath, args, { stdio: ["ignore", out, out] });
      this.children.push(child);
      await waitListening(port, `synod serve dynamo ${id}`, child);
      this.clientPorts.push(port);
    }
  }

  /** A client bound to node `k` (0-based): Dynamo's coordinator is whichever owner it reaches. */
  client(k, clientId) {
    return new ClusterClient({ cluster: [{ host: "127.0.0.1", port: this.clientPorts[k] }], clientId, attemptTimeoutMs: 2000, retryDelayMs: 20 });
  }

  async stop() {
    await Promise.all(this.children.map((c) => stopChild(c)));
    this.children = [];
  }
}
