/**
 * The keys simulated clusters use: a deterministic key file per cluster (derived from a fixed
 * label: for simulation and tests only), with the clients the conformance runner and the benches
 * use, and a signer per client to seal requests.
 *
 * @module
 */
import type { ClientRequest, NodeId } from "@synod/protocol";
import { ClientSigner, deterministicKeyFile, PbftKeyError, type PbftKeyFile } from "../auth.js";
import { attemptSealer, PbftReplyRule, signCommand, type UnsafeClientOptions } from "../client.js";
import type { PbftCommand } from "../types.js";

/**
 * The client ids simulated runs use: `c0`..`c127`, `final-0`..`final-63`, `conformance`, and trace
 * validation's drivers `driver-n1-0`..`driver-n7-15`.
 */
export const SIM_CLIENTS: readonly string[] = [
  ...Array.from({ length: 128 }, (_, k) => `c${k}`),
  ...Array.from({ length: 64 }, (_, k) => `final-${k}`),
  "conformance",
  ...Array.from({ length: 9 }, (_, k) => `conformance-q${k + 1}`),
  ...Array.from({ length: 7 }, (_, n) => Array.from({ length: 16 }, (_, k) => `driver-n${n + 1}-${k}`)).flat(),
];

/** One simulated cluster's keys and its clients' signers. */
export interface SimKeyring {
  file: PbftKeyFile;
  /** Sign a request as its client (throws for a client without a key). */
  seal(request: ClientRequest<PbftCommand>): ClientRequest<PbftCommand>;
  /**
   * A fresh sealer for one run's clients: it signs each attempt, and a get's first attempt asks
   * for the read-only optimisation (retries are ordered). Per run: it remembers the attempts.
   */
  attemptSeal(): (request: ClientRequest<PbftCommand>) => ClientRequest<PbftCommand>;
  /** A reply rule for one request of `clientId` (throws for a client without a key). */
  replies(clientId: string, unsafe?: UnsafeClientOptions): PbftReplyRule;
}

const rings = new Map<string, SimKeyring>();

/** The keyring of the cluster of `replicas` (cached: same replicas, same keys). */
export function simKeyring(replicas: readonly NodeId[]): SimKeyring {
  const ids = [...replicas].sort();
  const name = ids.join(",");
  let ring = rings.get(name);
  if (ring !== undefined) return ring;
  const file = deterministicKeyFile(`synod-pbft-sim/${name}`, ids, SIM_CLIENTS);
  const signers = new Map<string, ClientSigner>();
  const signer = (clientId: string): ClientSigner => {
    let s = signers.get(clientId);
    if (s === undefined) {
      if (file.clients[clientId] === undefined) throw new PbftKeyError(`client ${JSON.stringify(clientId)} has no key in the simulation keyring (known: c0..c127, final-0..final-63, conformance, driver-n1-0..driver-n7-15)`);
      s = new ClientSigner(file, clientId);
      signers.set(clientId, s);
    }
    return s;
  };
  const f = Math.floor((ids.length - 1) / 3);
  ring = {
    file,
    seal: (request) => ({ ...request, command: signCommand(signer(request.clientId), request.seq, request.command.op) }),
    attemptSeal: () => {
      const sealer = attemptSealer();
      return (request) => ({ ...request, command: sealer(signer(request.clientId), request.seq, request.command.op) });
    },
    replies: (clientId, unsafe = {}) => new PbftReplyRule(signer(clientId), f, unsafe),
  };
  rings.set(name, ring);
  return ring;
}
