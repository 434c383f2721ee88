/**
 * `synod serve pbft`: the replica behind the real TCP host. Its keys come from a key file named
 * by the protocol option `keys` (`synod keygen pbft` writes one per node); a replica refuses to
 * start without its own private key and a MAC key shared with every other replica.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import type { ServedNode } from "@synod/conformance";
import type { Json } from "@synod/protocol";
import { ClientSigner, generateKeyFile, keyFileFor, keyFileForClient, parseKeyFile, PbftKeyError } from "../auth.js";
import { PbftReplyRule, signCommand } from "../client.js";
import { checkPbftMessage } from "../messages.js";
import { createPbftReplica } from "../node.js";
import { PbftConfigError } from "../replica.js";
import type { KvCommand, PbftCommand } from "../types.js";
import type { PbftTypes } from "./types.js";

/** Read and check a key file; throws {@link PbftKeyError} naming the file and the problem. */
export function readKeyFile(path: string): ReturnType<typeof parseKeyFile> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new PbftKeyError(`keys ${path}: cannot read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PbftKeyError(`keys ${path}: not JSON: ${(err as Error).message}`);
  }
  return parseKeyFile(json, path);
}

/**
 * The key files of a new cluster: one per replica (its own secrets and everyone's public keys),
 * one per client, and the whole set (`cluster.json`, for tests: it holds every secret).
 */
export function keygenFiles(replicas: readonly string[], clients: readonly string[]): Record<string, Json> {
  if (replicas.length < 4) throw new PbftConfigError(`PBFT needs n = 3f + 1 >= 4 replicas, got ${replicas.length}`);
  const all = generateKeyFile(replicas, clients);
  const files: Record<string, unknown> = { "cluster.json": all };
  for (const r of replicas) files[`${r}.json`] = keyFileFor(all, r);
  for (const c of clients) files[`client-${c}.json`] = keyFileForClient(all, c);
  return files as Record<string, Json>;
}

/** PBFT's served node. */
export const pbftServe: ServedNode<PbftTypes> = {
  createNode: ({ id, peers, join, rng, durable, tuning, options }) => {
    if (join === true) throw new PbftConfigError("pbft: a replica cannot join a running cluster (the membership is fixed by the key file)");
    const { keys, ...rest } = options;
    if (typeof keys !== "string") throw new PbftConfigError('pbft: protocol option "keys" (the path of this replica\'s key file, from `synod keygen pbft`) is required');
    let file;
    try {
      file = readKeyFile(keys);
    } catch (err) {
      throw new PbftConfigError((err as Error).message);
    }
    return createPbftReplica({
      id,
      replicas: [id, ...peers],
      keys: file,
      rng,
      durable,
      options: {
        ...rest,
        ...(tuning.electionTimeoutMsMin !== undefined ? { viewChangeTimeoutMs: tuning.electionTimeoutMsMin } : {}),
        ...(tuning.heartbeatMs !== undefined ? { statusMs: tuning.heartbeatMs } : {}),
      },
    });
  },
  checkMessage: (message) => checkPbftMessage(message),
  isStorageError: (err) => err instanceof Error && err.name === "PbftStorageError",
  isConfigError: (err) => err instanceof Error && (err.name === "PbftConfigError" || err.name === "PbftKeyError"),
  keygen: ({ nodes, clients }) => keygenFiles(nodes, clients),
  client: ({ clientId, nodes, options }) => {
    const { keys, ...rest } = options;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new PbftConfigError(`pbft client: unknown protocol option ${unknown.join(", ")} (known: keys)`);
    if (typeof keys !== "string") throw new PbftConfigError('pbft client: protocol option "keys" (the client\'s key file, client-<id>.json from `synod keygen pbft`) is required');
    const signer = new ClientSigner(readKeyFile(keys), clientId);
    if (signer.replicas.length < nodes) {
      throw new PbftConfigError(`pbft client: ${keys} holds MAC keys for ${signer.replicas.length} replicas (${signer.replicas.join(", ") || "none"}) but the cluster has ${nodes}: use the client file \`synod keygen pbft\` wrote for this cluster`);
    }
    const f = Math.floor((nodes - 1) / 3);
    // The CLI client seals a request once and resends that frame on every attempt, so it never
    // asks for the read-only optimisation (a retry must be able to fall back to ordering).
    return {
      replyQuorum: f + 1,
      replies: () => new PbftReplyRule(signer, f),
      // The KV client sends plain key-value commands; a sealed one carries the command and its signature.
      seal: (r) => {
        const c = r.command as PbftCommand | KvCommand;
        return { ...r, command: signCommand(signer, r.seq, "sig" in c ? c.op : c) };
      },
    };
  },
  knobs: {
    electionTimeoutMsMin: "view-change timeout: a backup waiting this long for a request starts a view change (doubles per failed view)",
    heartbeatMs: "status period: replicas tell each other where they are, and peers retransmit what they miss",
  },
};
