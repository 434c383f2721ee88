/**
 * The keys simulated clusters use: a deterministic key file per cluster (derived from a fixed
 * label: for simulation and tests only), with the clients the conformance runner and the benches
 * use, and a signer per client to seal requests.
 *
 * @module
 */
import type { ClientRequest, NodeId } from "@synod/protocol";
import { ClientSigner, deterministicKeyFile, PbftKeyError, type PbftKeyFile } from "../auth.js";
import { signCommand } from "../client.js";
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
  ring = {
    file,
    seal(request) {
      let s = signers.get(request.clientId);
      if (s === undefined) {
        if (file.clients[request.clientId] === undefined) throw new PbftKeyError(`client ${JSON.stringify(request.clientId)} has no key in the simulation keyring (known: c0..c127, final-0..final-63, conformance, driver-n1-0..driver-n7-15)`);
        s = new ClientSigner(file, request.clientId);
        signers.set(request.clientId, s);
      }
      return { ...request, command: signCommand(s, request.seq, request.command.op) };
    },
  };
  rings.set(name, ring);
  return ring;
}
