/**
 * Three `synod serve <protocol>` processes (Raft unless told otherwise) on free loopback ports with temp data directories, for the
 * tests that run a real cluster. {@link stopAllNodes} SIGKILLs whatever is left (call it in afterAll).
 */
import fs from "node:fs";
import path from "node:path";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { LinkProxy } from "./link-proxy.js";
import { spawnSynod, type SynodProcess } from "./processes.js";

export const IDS = ["n1", "n2", "n3"] as const;
/** The live node processes by id. */
export const running = new Map<string, SynodProcess>();
const dirs: string[] = [];
const proxies: LinkProxy[] = [];
/** Every process ever started here, so a failed test that lost track of one still kills it. */
const spawned = new Set<SynodProcess>();

export interface Cluster {
  peersArg: string;
  clusterArg: string;
  clientAddrs: { host: string; port: number }[];
  dataDir(id: string): string;
  start(id: string): Promise<SynodProcess>;
  kill(id: string): Promise<void>;
  /** The client address of a node. */
  clientAddr(id: string): { host: string; port: number };
  /** With `proxied`: cut every link to and from `id` (`null` heals everything). */
  isolate(id: string | null): void;
}

/** Options for {@link makeCluster}. */
export interface ClusterOptions {
  /** Extra flags per node. */
  flags?: (id: string) => string[];
  /** Route every directed peer link through a {@link LinkProxy}, so links can be cut. */
  proxied?: boolean;
  /** The protocol served (a registry name; default `raft`). */
  protocol?: string;
}

/** A cluster whose nodes get `flags(id)` on top of the required ones. Nothing is started yet. */
export async function makeCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const flags = options.flags ?? (() => []);
  const protocol = options.protocol ?? "raft";
  const ports = await freePorts(6 + (options.proxied ? IDS.length * (IDS.length - 1) : 0));
  const root = tempDir("synod-cluster-");
  dirs.push(root);
  const peersArg = IDS.map((id, i) => `${id}=127.0.0.1:${ports[i]}`).join(",");
  // Each node's --peers: itself at its real port, every other node at the proxy of that link.
  const links = new Map<string, LinkProxy>();
  let nextPort = 6;
  if (options.proxied) {
    for (const from of IDS) {
      for (const [j, to] of IDS.entries()) {
        if (from === to) continue;
        const proxy = new LinkProxy({ host: "127.0.0.1", port: ports[j]! });
        await proxy.start(ports[nextPort++]!);
        proxies.push(proxy);
        links.set(`${from}>${to}`, proxy);
      }
    }
  }
  const peersArgOf = (self: string): string =>
    options.proxied
      ? IDS.map((id, i) => `${id}=127.0.0.1:${id === self ? ports[i] : links.get(`${self}>${id}`)!.port}`).join(",")
      : peersArg;
  const clientAddrs = IDS.map((_, i) => ({ host: "127.0.0.1", port: ports[3 + i]! }));
  const indexOf = (id: string): number => IDS.indexOf(id as (typeof IDS)[number]);
  const cluster: Cluster = {
    peersArg,
    clusterArg: clientAddrs.map((a) => `${a.host}:${a.port}`).join(","),
    clientAddrs,
    dataDir: (id) => path.join(root, id),
    clientAddr: (id) => clientAddrs[indexOf(id)]!,
    async start(id) {
      const args = ["serve", protocol, "--id", id, "--peers", peersArgOf(id), "--client-port", String(clientAddrs[indexOf(id)]!.port), "--data", cluster.dataDir(id), ...flags(id)];
      const p = spawnSynod(args);
      spawned.add(p);
      running.set(id, p);
      await waitFor(`${id} to serve`, () => p.output().includes(`serving ${protocol}`) || p.child.exitCode !== null, 10_000);
      if (p.child.exitCode !== null) throw new Error(`${id} exited ${p.child.exitCode}: ${p.output()}`);
      return p;
    },
    isolate(id) {
      for (const [key, proxy] of links) proxy.setBlocked(id !== null && key.split(">").includes(id));
    },
    async kill(id) {
      const p = running.get(id);
      if (!p) return;
      p.child.kill("SIGKILL");
      await p.exited;
      running.delete(id);
    },
  };
  return cluster;
}

/** SIGKILL every node still running and remove the data directories. */
export async function stopAllNodes(): Promise<void> {
  for (const p of spawned) p.child.kill("SIGKILL");
  await Promise.all([...spawned].map((p) => p.exited));
  spawned.clear();
  running.clear();
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
