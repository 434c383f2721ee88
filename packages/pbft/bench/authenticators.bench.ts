/**
 * `pnpm bench` for @synod/pbft: the cost of one authenticator per message on this machine (wall
 * clock; run on an idle machine for usable ratios). The simulated rows (messages per request,
 * one-way delays with and without tentative execution, throughput with batching, view-change
 * time) are the kit's, in the shared table: `node conformance/bench/run.mjs`.
 */
import { bench, describe } from "vitest";
import { ClientSigner, deterministicKeyFile, ReplicaKeys, replyBody } from "../src/index.js";

const nodes = ["n1", "n2", "n3", "n4"];
const file = deterministicKeyFile("bench-authenticators", nodes, ["c1"]);
const n1 = new ReplicaKeys(file, "n1", nodes);
const n2 = new ReplicaKeys(file, "n2", nodes);
const client = new ClientSigner(file, "c1");
const body = { type: "Prepare", view: 3, seq: 1234, digest: "ab".repeat(32), replica: "n1" };
const auth = n1.authenticate(body, ["n2", "n3", "n4"]);
const reply = replyBody("c1", 7, { ok: true }, { replica: "n1", view: 3, tentative: false });
const replyMac = n1.macForClient("c1", reply);
let i = 0;

describe("authenticator per message (n = 4)", () => {
  bench("HMAC vector for 3 receivers", () => {
    n1.authenticate({ ...body, seq: i++ }, ["n2", "n3", "n4"]);
  });
  bench("HMAC check (receiver)", () => {
    n2.checkAuth("n1", body, auth);
  });
  bench("reply MAC check (client)", () => {
    client.checkReply("n1", reply, replyMac);
  });
  bench("Ed25519 sign", () => {
    n1.sign({ ...body, seq: i++ });
  });
  // Verification is memoised per (key, body, signature), so each round signs a fresh body first.
  bench("Ed25519 sign + verify (a fresh body each time)", () => {
    const b = { ...body, seq: i++ };
    n2.verifyReplica("n1", b, n1.sign(b));
  });
});
