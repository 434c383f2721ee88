import fs from "node:fs";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ClientServer, ClusterClient, FrameDecoder, PeerTransport, encodeFrame, startNodeServer, type Address, type NodeServer } from "../src/index.js";
import { ToyRegister, checkToyCommand, checkToyMessage, type ToyCommand, type ToyMessage, type ToyResult } from "./toy-register.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";

interface ToyCluster {
  peers: Map<string, Address>;
  clientAddrs: Address[];
  dirs: string[];
  servers: Map<string, NodeServer>;
  logs: string[];
  start(id: string): Promise<NodeServer>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function toyCluster(): Promise<ToyCluster> {
  const ports = await freePorts(6);
  const ids = ["n1", "n2", "n3"];
  const peers = new Map(ids.map((id, i) => [id, { host: "127.0.0.1", port: ports[i]! }]));
  const clientAddrs = ids.map((_, i) => ({ host: "127.0.0.1", port: ports[3 + i]! }));
  const dirs = ids.map(() => tempDir("synod-toy-"));
  const servers = new Map<string, NodeServer>();
  const logs: string[] = [];
  const cluster: ToyCluster = {
    peers,
    clientAddrs,
    dirs,
    servers,
    logs,
    async start(id) {
      const i = ids.indexOf(id);
      const server = await startNodeServer<ToyMessage, ToyCommand, ToyResult>({
        id,
        peers,
        clientListen: clientAddrs[i]!,
        dataDir: dirs[i]!,
        createNode: (durable) => new ToyRegister(id, ids.filter((x) => x !== id), durable),
        checkMessage: checkToyMessage,
        checkCommand: checkToyCommand,
        log: (line) => logs.push(`${id}: ${line}`),
      });
      servers.set(id, server);
      return server;
    },
  };
  cleanups.push(async () => {
    for (const s of servers.values()) await s.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return cluster;
}

function client(c: ToyCluster): ClusterClient<ToyCommand, ToyResult> {
  const cl = new ClusterClient<ToyCommand, ToyResult>({ cluster: c.clientAddrs, attemptTimeoutMs: 500 });
  cleanups.push(() => cl.close());
  return cl;
}

describe("a toy cluster over real TCP and file storage", () => {
  it("replicates writes, follows not-leader hints, and keeps data across a restart", async () => {
    const c = await toyCluster();
    for (const id of ["n1", "n2", "n3"]) await c.start(id);
    const cl = client(c);
    for (let i = 0; i < 20; i++) {
      const out = await cl.request({ op: "put", value: `v${i}` }, 5000);
      expect(out.status).toBe("ok");
      if (out.status === "ok") expect(out.nodeId).toBe("n1");
    }
    expect(await cl.request({ op: "get" }, 5000)).toMatchObject({ status: "ok", result: { value: "v19" } });

    await c.servers.get("n1")!.stop();
    await c.start("n1");
    expect(await cl.request({ op: "get" }, 5000)).toMatchObject({ status: "ok", result: { value: "v19" } });
  });

  it("acknowledges a write only after a majority fsync'd it", async () => {
    const c = await toyCluster();
    await c.start("n1");
    const cl = client(c);
    // Alone, the primary cannot get a majority: the write must not be acknowledged.
    expect(await cl.request({ op: "put", value: "x" }, 600)).toMatchObject({ status: "timeout" });
    await c.start("n2");
    const ok = await cl.request({ op: "put", value: "y" }, 5000);
    expect(ok.status).toBe("ok");
    // n2's WAL holds y, because it acknowledged only after its fsync.
    const walText = fs.readdirSync(c.dirs[1]!).filter((n) => n.startsWith("wal-")).map((n) => fs.readFileSync(`${c.dirs[1]}/${n}`, "latin1")).join("");
    expect(walText).toContain('"value":"y"');
  });

  it("closes connections that send malformed frames and keeps serving", async () => {
    const c = await toyCluster();
    for (const id of ["n1", "n2", "n3"]) await c.start(id);
    const probes: [Address, Buffer][] = [
      [c.peers.get("n1")!, Buffer.from("GET / HTTP/1.1\r\n\r\n")],
      [c.peers.get("n1")!, encodeFrame({ type: "hello", from: "n9" })],
      [c.peers.get("n1")!, Buffer.concat([encodeFrame({ type: "hello", from: "n2" }), encodeFrame({ type: "msg", message: { type: "Bogus" } })])],
      [c.clientAddrs[0]!, Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from("{{")])],
      [c.clientAddrs[0]!, encodeFrame({ type: "request", seq: "one" })],
    ];
    for (const [addr, bytes] of probes) {
      const closed = await new Promise<boolean>((resolve) => {
        const s = net.connect(addr.port, addr.host, () => s.write(bytes));
        s.resume(); // read (and discard) the hello, so the server's close is seen
        s.on("error", () => {});
        s.on("close", () => resolve(true));
        setTimeout(() => { s.destroy(); resolve(false); }, 2000);
      });
      expect(closed, `connection closed after ${bytes.toString("latin1").slice(0, 40)}`).toBe(true);
    }
    await waitFor("log lines", () => c.logs.filter((l) => /closing/.test(l)).length >= probes.length);
    expect(c.logs.join("\n")).toMatch(/not a peer of n1/);
    expect(c.logs.join("\n")).toMatch(/malformed message: unknown type "Bogus"/);
    const cl = client(c);
    expect(await cl.request({ op: "put", value: "still" }, 5000)).toMatchObject({ status: "ok" });
    // An invalid command is answered "rejected" without closing the connection.
    expect(await cl.request({ op: "nope" } as unknown as ToyCommand, 5000)).toMatchObject({ status: "rejected" });
  });

  it("a client retrying one request against a restarted node gets a reply, not an exception", async () => {
    const c = await toyCluster();
    const cl = client(c);
    const pending = cl.request({ op: "get" }, 5000);
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ["n1", "n2", "n3"]) await c.start(id);
    expect(await pending).toMatchObject({ status: "ok", result: { value: null } });
  });
});

describe("PeerTransport", () => {
  it("queues for a peer that is down (newest kept, oldest dropped) and delivers once it is up", async () => {
    const [pa, pb] = await freePorts(2);
    const peers = new Map([
      ["a", { host: "127.0.0.1", port: pa! }],
      ["b", { host: "127.0.0.1", port: pb! }],
    ]);
    const got: unknown[] = [];
    const a = new PeerTransport({ selfId: "a", listen: peers.get("a")!, peers: new Map([["b", peers.get("b")!]]), onMessage: () => {}, queueMessagesMax: 10, backoffMsMin: 10, backoffMsMax: 50 });
    cleanups.push(() => a.stop());
    await a.start();
    for (let i = 0; i < 100; i++) a.send("b", i);
    expect(a.stats.droppedQueueFull).toBe(90);
    const b = new PeerTransport({ selfId: "b", listen: peers.get("b")!, peers: new Map([["a", peers.get("a")!]]), onMessage: (from, m) => got.push([from, m]) });
    cleanups.push(() => b.stop());
    await b.start();
    await waitFor("ten messages", () => got.length === 10);
    expect(got).toEqual(Array.from({ length: 10 }, (_, k) => ["a", 90 + k]));
    // A message too big for a frame is dropped (Raft tolerates loss), not thrown into the host.
    a.send("b", "x".repeat(17 * 1024 * 1024));
    expect(a.stats.droppedUnencodable).toBe(1);
    // A restart of the receiver: the sender reconnects on its own.
    await b.stop();
    const b2 = new PeerTransport({ selfId: "b", listen: peers.get("b")!, peers: new Map([["a", peers.get("a")!]]), onMessage: (from, m) => got.push([from, m]) });
    cleanups.push(() => b2.stop());
    await b2.start();
    for (let i = 0; i < 50 && got.length === 10; i++) {
      a.send("b", "after restart");
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(got.slice(10, 11)).toEqual([["a", "after restart"]]);
  });
});

describe("ClientServer", () => {
  it("routes replies to the asking connection, and forgets a request once its client moved on", async () => {
    const [port] = await freePorts(1);
    const seen: number[] = [];
    const server = new ClientServer<unknown, string>({
      nodeId: "n1",
      listen: { host: "127.0.0.1", port: port! },
      onRequest: (r) => seen.push(r.seq),
      pendingPerConnectionMax: 2,
    });
    cleanups.push(() => server.stop());
    await server.start();
    const frames: unknown[] = [];
    const decoder = new FrameDecoder();
    const socket = net.connect(port!, "127.0.0.1");
    cleanups.push(() => void socket.destroy());
    socket.on("data", (chunk: Buffer) => frames.push(...decoder.push(chunk)));
    await waitFor("hello", () => frames.length === 1);
    expect(frames[0]).toEqual({ type: "hello", nodeId: "n1" });
    // Five requests the node never answers: each new seq replaces the last, so the bound of 2
    // in-flight requests per connection is never hit.
    for (let seq = 1; seq <= 5; seq++) socket.write(encodeFrame({ type: "request", clientId: "c", seq, command: null }));
    await waitFor("five requests", () => seen.length === 5);
    server.reply({ clientId: "c", seq: 4, ok: true, result: "stale" });
    server.reply({ clientId: "c", seq: 5, ok: true, result: "fresh" });
    await waitFor("a reply", () => frames.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.slice(1)).toEqual([{ type: "reply", reply: { clientId: "c", seq: 5, ok: true, result: "fresh" } }]);
    // Two different clients on one connection do count against the bound.
    socket.write(encodeFrame({ type: "request", clientId: "d", seq: 1, command: null }));
    socket.write(encodeFrame({ type: "request", clientId: "e", seq: 1, command: null }));
    socket.write(encodeFrame({ type: "request", clientId: "f", seq: 1, command: null }));
    await waitFor("the refusal", () => frames.length === 3);
    expect(frames[2]).toMatchObject({ type: "reply", reply: { clientId: "f", seq: 1, ok: false, error: "unavailable" } });
  });
});
