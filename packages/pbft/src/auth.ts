/**
 * Authenticators, as in Castro and Liskov's PBFT: Ed25519 signatures (anyone can check them, so
 * they can be carried in proofs) for client requests, checkpoints, view-change and new-view
 * messages; HMAC-SHA256 authenticator vectors (one MAC per receiver, each under the key that
 * sender and receiver share) for the normal-case messages, which are checked only by their
 * receivers and never forwarded as proof. Replies to clients carry one MAC, under the key the
 * replica shares with that client, so a client counts a reply only from the replica it names.
 *
 * Everything is computed over a canonical JSON encoding (object keys sorted) of the message
 * without its authenticator, so a message that went through any JSON transport still verifies.
 *
 * @module
 */
import { createHash, createHmac, createPrivateKey, createPublicKey, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import type { Json, NodeId } from "@synod/protocol";

/** Bytes of a truncated MAC (as the paper's UMAC32 vectors, but HMAC-SHA256 cut to 128 bits). */
const MAC_BYTES = 16;
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

/** Public key objects by their raw bytes (base64), shared by every replica of the process. */
const publicKeys = new Map<string, KeyObject>();

/** A key file could not be read or is inconsistent: names the field and the problem. */
export class PbftKeyError extends Error {
  override readonly name = "PbftKeyError";
}

/** The canonical encoding: JSON with every object's keys sorted. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

/** sha256 of the canonical encoding, hex. */
export function digestOf(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("hex");
}

/** An Ed25519 private key from its 32-byte seed (base64). */
export function privateKeyFromSeed(seedB64: string, field: string): KeyObject {
  const seed = Buffer.from(seedB64, "base64");
  if (seed.length !== 32) throw new PbftKeyError(`${field}: an Ed25519 private key is 32 bytes of base64, got ${seed.length} bytes`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
}

/** An Ed25519 public key from its 32 raw bytes (base64); the same key object for the same bytes. */
export function publicKeyFromRaw(rawB64: string, field: string): KeyObject {
  const known = publicKeys.get(rawB64);
  if (known !== undefined) return known;
  const raw = Buffer.from(rawB64, "base64");
  if (raw.length !== 32) throw new PbftKeyError(`${field}: an Ed25519 public key is 32 bytes of base64, got ${raw.length} bytes`);
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" });
  if (publicKeys.size < 65_536) publicKeys.set(rawB64, key);
  return key;
}

/** The raw public key (base64) of an Ed25519 private key. */
export function rawPublicKey(key: KeyObject): string {
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  return Buffer.from(der.subarray(der.length - 32)).toString("base64");
}

/** Sign the canonical encoding of `body`; base64. */
export function signBody(key: KeyObject, body: unknown): string {
  return sign(null, Buffer.from(canonical(body)), key).toString("base64");
}

/**
 * Signatures already found valid, in this process: verification is a pure function of (key, body,
 * signature), so replicas hosted in one process (the simulator, tests) need not repeat it. Only
 * successes are remembered, keyed by all three; bounded, emptied when full.
 */
const verified = new Set<string>();
const VERIFIED_MAX = 1 << 16;
const keyIds = new WeakMap<KeyObject, string>();

function keyId(key: KeyObject): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = createHash("sha256").update(key.export({ format: "der", type: "spki" })).digest("base64");
    keyIds.set(key, id);
  }
  return id;
}

/** Whether `sig` is a valid signature of `body` under `key` (false for any malformed input). */
export function verifyBody(key: KeyObject, body: unknown, sig: unknown): boolean {
  if (typeof sig !== "string") return false;
  const data = Buffer.from(canonical(body));
  const memo = `${keyId(key)}|${sig}|${createHash("sha256").update(data).digest("base64")}`;
  if (verified.has(memo)) return true;
  let ok: boolean;
  try {
    ok = verify(null, data, key, Buffer.from(sig, "base64"));
  } catch {
    return false;
  }
  if (ok) {
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.add(memo);
  }
  return ok;
}


/** The MAC of the canonical encoding of `body` under a shared secret; base64. */
export function macBody(secret: Buffer, body: unknown): string {
  return createHmac("sha256", secret).update(canonical(body)).digest().subarray(0, MAC_BYTES).toString("base64");
}

/** Whether `mac` is the MAC of `body` under `secret` (constant time). */
export function checkMac(secret: Buffer, body: unknown, mac: unknown): boolean {
  if (typeof mac !== "string") return false;
  const want = Buffer.from(macBody(secret, body), "base64");
  const got = Buffer.from(mac, "base64");
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * The key file, JSON: every replica's and client's Ed25519 public key, and the secrets the holder
 * may know. A cluster-wide file (`synod keygen`'s `cluster.json`) holds every secret, for tests
 * and simulations; a node's own file holds only its private key and the MAC keys it shares.
 */
export interface PbftKeyFile {
  format: "synod-pbft-keys/2";
  /** Replica id → raw Ed25519 public key (base64) and, where known, its private seed. */
  replicas: Record<NodeId, { publicKey: string; privateKey?: string }>;
  /** `"a|b"` (ids sorted) → the HMAC secret replicas a and b share (base64). */
  macKeys: Record<string, string>;
  /** Client id → raw Ed25519 public key and, where known, its private seed. */
  clients: Record<string, { publicKey: string; privateKey?: string }>;
  /** Replica id → client id → the HMAC secret they share (base64), which authenticates replies. */
  clientMacKeys: Record<NodeId, Record<string, string>>;
}

/** The name of the MAC key two replicas share. */
export function pairName(a: NodeId, b: NodeId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Generate a key file for `replicas` and `clients`; `entropy(n)` returns n fresh bytes. */
export function generateKeyFile(replicas: readonly NodeId[], clients: readonly string[], entropy: (n: number) => Buffer = randomBytes): PbftKeyFile {
  const pair = (): { publicKey: string; privateKey: string } => {
    const seed = entropy(32).toString("base64");
    return { publicKey: rawPublicKey(privateKeyFromSeed(seed, "generated")), privateKey: seed };
  };
  const file: PbftKeyFile = { format: "synod-pbft-keys/2", replicas: {}, macKeys: {}, clients: {}, clientMacKeys: {} };
  for (const r of replicas) file.replicas[r] = pair();
  for (let i = 0; i < replicas.length; i++) {
    for (let j = i + 1; j < replicas.length; j++) file.macKeys[pairName(replicas[i] as NodeId, replicas[j] as NodeId)] = entropy(32).toString("base64");
  }
  for (const c of clients) file.clients[c] = pair();
  for (const r of replicas) {
    const shared: Record<string, string> = {};
    for (const c of clients) shared[c] = entropy(32).toString("base64");
    file.clientMacKeys[r] = shared;
  }
  return file;
}

/** A deterministic key file from a label: for tests and simulations only (anyone can derive it). */
export function deterministicKeyFile(label: string, replicas: readonly NodeId[], clients: readonly string[]): PbftKeyFile {
  let counter = 0;
  return generateKeyFile(replicas, clients, (n) => {
    const out = createHash("sha256").update(`${label}/${counter++}`).digest();
    return out.subarray(0, n);
  });
}

/** The part of a key file one node may hold: its own secrets (the MAC keys it shares with replicas and clients) and everyone's public keys. */
export function keyFileFor(file: PbftKeyFile, node: NodeId): PbftKeyFile {
  const replicas: PbftKeyFile["replicas"] = {};
  for (const [id, k] of Object.entries(file.replicas)) replicas[id] = id === node ? { ...k } : { publicKey: k.publicKey };
  const macKeys: PbftKeyFile["macKeys"] = {};
  for (const [p, k] of Object.entries(file.macKeys)) if (p.split("|").includes(node)) macKeys[p] = k;
  const clients: PbftKeyFile["clients"] = {};
  for (const [id, k] of Object.entries(file.clients)) clients[id] = { publicKey: k.publicKey };
  const clientMacKeys: PbftKeyFile["clientMacKeys"] = {};
  if (file.clientMacKeys[node] !== undefined) clientMacKeys[node] = { ...file.clientMacKeys[node] };
  return { format: file.format, replicas, macKeys, clients, clientMacKeys };
}

/** The part of a key file client `clientId` holds: its private key, the MAC keys it shares with each replica, everyone's public keys. */
export function keyFileForClient(file: PbftKeyFile, clientId: string): PbftKeyFile {
  const own = file.clients[clientId];
  if (own === undefined) throw new PbftKeyError(`keys.clients.${clientId}: no key for client ${clientId}`);
  const pub = keyFileFor(file, "");
  pub.clients[clientId] = { ...own };
  for (const [r, shared] of Object.entries(file.clientMacKeys)) {
    const k = shared[clientId];
    if (k !== undefined) pub.clientMacKeys[r] = { [clientId]: k };
  }
  return pub;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Check a parsed key file's shape; throws {@link PbftKeyError} naming the field. */
export function parseKeyFile(j: unknown, where = "keys"): PbftKeyFile {
  if (!isObject(j)) throw new PbftKeyError(`${where}: not a JSON object`);
  if (j.format === "synod-pbft-keys/1") {
    throw new PbftKeyError(`${where}.format: "synod-pbft-keys/1" is an older key file without the MAC keys that authenticate replies to clients: run \`synod keygen pbft\` again`);
  }
  if (j.format !== "synod-pbft-keys/2") throw new PbftKeyError(`${where}.format: expected "synod-pbft-keys/2", got ${JSON.stringify(j.format)}`);
  for (const part of ["replicas", "clients"] as const) {
    const m = j[part];
    if (!isObject(m)) throw new PbftKeyError(`${where}.${part}: expected an object`);
    for (const [id, k] of Object.entries(m)) {
      if (!isObject(k) || typeof k.publicKey !== "string") throw new PbftKeyError(`${where}.${part}.${id}: expected { publicKey, privateKey? }`);
      publicKeyFromRaw(k.publicKey, `${where}.${part}.${id}.publicKey`);
      if (k.privateKey !== undefined) {
        if (typeof k.privateKey !== "string") throw new PbftKeyError(`${where}.${part}.${id}.privateKey: expected base64`);
        if (rawPublicKey(privateKeyFromSeed(k.privateKey, `${where}.${part}.${id}.privateKey`)) !== k.publicKey) {
          throw new PbftKeyError(`${where}.${part}.${id}: privateKey does not belong to publicKey`);
        }
      }
    }
  }
  if (!isObject(j.macKeys)) throw new PbftKeyError(`${where}.macKeys: expected an object`);
  for (const [p, k] of Object.entries(j.macKeys)) {
    if (typeof k !== "string" || Buffer.from(k, "base64").length < 16) throw new PbftKeyError(`${where}.macKeys.${p}: expected at least 16 bytes of base64`);
  }
  if (!isObject(j.clientMacKeys)) throw new PbftKeyError(`${where}.clientMacKeys: expected an object (replica id → client id → MAC key)`);
  for (const [r, shared] of Object.entries(j.clientMacKeys)) {
    if (!isObject(shared)) throw new PbftKeyError(`${where}.clientMacKeys.${r}: expected an object (client id → MAC key)`);
    for (const [c, k] of Object.entries(shared)) {
      if (typeof k !== "string" || Buffer.from(k, "base64").length < 16) throw new PbftKeyError(`${where}.clientMacKeys.${r}.${c}: expected at least 16 bytes of base64`);
    }
  }
  return j as unknown as PbftKeyFile;
}

/**
 * One replica's keys, resolved: what it signs and MACs with, and what it checks others with.
 * Built once per node; lookups are map reads.
 */
export class ReplicaKeys {
  private readonly signing: KeyObject;
  private readonly replicaKeys = new Map<NodeId, KeyObject>();
  private readonly clientKeys = new Map<string, KeyObject>();
  private readonly macs = new Map<NodeId, Buffer>();
  private readonly clientMacs = new Map<string, Buffer>();

  /**
   * @param file - the key file (the node's own part suffices).
   * @param self - the replica.
   * @param replicas - every replica of the cluster: each must have a public key and a MAC key shared with `self`.
   */
  constructor(file: PbftKeyFile, readonly self: NodeId, replicas: readonly NodeId[]) {
    const own = file.replicas[self];
    if (own?.privateKey === undefined) throw new PbftKeyError(`keys.replicas.${self}.privateKey: the replica's own private key is missing`);
    this.signing = privateKeyFromSeed(own.privateKey, `keys.replicas.${self}.privateKey`);
    for (const r of replicas) {
      const k = file.replicas[r];
      if (k === undefined) throw new PbftKeyError(`keys.replicas.${r}: no key for replica ${r}`);
      this.replicaKeys.set(r, publicKeyFromRaw(k.publicKey, `keys.replicas.${r}.publicKey`));
      if (r === self) continue;
      const secret = file.macKeys[pairName(self, r)];
      if (secret === undefined) throw new PbftKeyError(`keys.macKeys.${pairName(self, r)}: no MAC key shared by ${self} and ${r}`);
      this.macs.set(r, Buffer.from(secret, "base64"));
    }
    for (const [c, k] of Object.entries(file.clients)) this.clientKeys.set(c, publicKeyFromRaw(k.publicKey, `keys.clients.${c}.publicKey`));
    for (const [c, k] of Object.entries(file.clientMacKeys?.[self] ?? {})) this.clientMacs.set(c, Buffer.from(k, "base64"));
  }

  /** The MAC of a reply `body` for client `clientId` (null: no key shared with that client). */
  macForClient(clientId: string, body: unknown): string | null {
    const secret = this.clientMacs.get(clientId);
    return secret === undefined ? null : macBody(secret, body);
  }

  /** Sign `body` as this replica. */
  sign(body: unknown): string {
    return signBody(this.signing, body);
  }

  /** Whether `sig` is `replica`'s signature of `body`. */
  verifyReplica(replica: unknown, body: unknown, sig: unknown): boolean {
    const key = typeof replica === "string" ? this.replicaKeys.get(replica) : undefined;
    return key !== undefined && verifyBody(key, body, sig);
  }

  /** Whether `sig` is client `clientId`'s signature of `body` (false for an unknown client). */
  verifyClient(clientId: string, body: unknown, sig: unknown): boolean {
    const key = this.clientKeys.get(clientId);
    return key !== undefined && verifyBody(key, body, sig);
  }

  /** The authenticator vector of `body` for `receivers`: one MAC each. */
  authenticate(body: unknown, receivers: readonly NodeId[]): Record<NodeId, string> {
    const out: Record<NodeId, string> = {};
    for (const r of receivers) {
      const secret = this.macs.get(r);
      if (secret !== undefined) out[r] = macBody(secret, body);
    }
    return out;
  }

  /** Whether `auth` holds, for this replica, a valid MAC of `body` from `sender`. */
  checkAuth(sender: unknown, body: unknown, auth: unknown): boolean {
    if (typeof sender !== "string" || !isObject(auth)) return false;
    const secret = this.macs.get(sender);
    return secret !== undefined && checkMac(secret, body, auth[this.self]);
  }
}

/**
 * A client's keys, for the client side (tests, simulations, the KV client): its signing key, and
 * the MAC key it shares with each replica (replies must verify under the one of the replica they
 * name).
 */
export class ClientSigner {
  private readonly key: KeyObject;
  private readonly replyKeys = new Map<NodeId, Buffer>();

  /** @param file - a key file holding `clientId`'s private key and its MAC keys. */
  constructor(file: PbftKeyFile, readonly clientId: string) {
    const k = file.clients[clientId];
    if (k?.privateKey === undefined) throw new PbftKeyError(`keys.clients.${clientId}.privateKey: the client's private key is missing`);
    this.key = privateKeyFromSeed(k.privateKey, `keys.clients.${clientId}.privateKey`);
    for (const [r, shared] of Object.entries(file.clientMacKeys ?? {})) {
      const secret = shared[clientId];
      if (secret !== undefined) this.replyKeys.set(r, Buffer.from(secret, "base64"));
    }
  }

  /** Sign `body` as this client. */
  sign(body: Json): string {
    return signBody(this.key, body);
  }

  /** The replicas this client shares a MAC key with. */
  get replicas(): NodeId[] {
    return [...this.replyKeys.keys()].sort();
  }

  /** Whether `mac` is `replica`'s MAC of a reply `body` to this client (false for a replica it shares no key with). */
  checkReply(replica: unknown, body: unknown, mac: unknown): boolean {
    const secret = typeof replica === "string" ? this.replyKeys.get(replica) : undefined;
    return secret !== undefined && checkMac(secret, body, mac);
  }
}
