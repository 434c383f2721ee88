#!/usr/bin/env node
/**
 * One node of Synod's lock cluster in a process of its own (so a crash is a real SIGKILL and one
 * node's fsync never stalls another): `startNodeServer` of `@synod/cli` with the node
 * `createLockNode` makes for its id. Prints `ready` once it listens; stops cleanly on SIGTERM.
 * Argument: one JSON object `{ id, peers: [[id, { host, port }]...], clientPort, dataDir, options, logFile }`.
 *
 * @module
 */
import { appendFileSync } from "node:fs";
import { startNodeServer } from "@synod/cli";
import { checkCommand, checkMessage, createLockNode } from "@synod/lock";

const o = JSON.parse(process.argv[2]);
const server = await startNodeServer({
  id: o.id,
  peers: new Map(o.peers),
  clientListen: { host: "127.0.0.1", port: o.clientPort },
  dataDir: o.dataDir,
  // A lock client draws its retry delays from this (a process of its own: no replay to keep).
  createNode: () => createLockNode(o.id, o.options, { nextInt: (a, b) => a + Math.floor(Math.random() * (b - a + 1)), nextFloat: () => Math.random() }),
  checkMessage,
  checkCommand,
  protocol: "lock",
  log: (line) => appendFileSync(o.logFile, `${o.id} ${line}\n`),
  onFatal: (err) => {
    process.stderr.write(`synod node ${o.id}: ${err?.message ?? err}\n`);
    process.exit(1);
  },
});
process.once("SIGTERM", () => {
  server.stop().then(() => process.exit(0));
});
process.stdout.write("ready\n");
