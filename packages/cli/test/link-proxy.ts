/**
 * A TCP proxy for one directed peer link (from → to), so a test can cut the network between real
 * processes without root or iptables: while blocked, it closes the link's connections and refuses
 * new ones (the sender's transport keeps reconnecting with backoff, as over a real partition).
 */
import net from "node:net";

export class LinkProxy {
  private server: net.Server | null = null;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private blocked = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port: number): Promise<void> {
    const server = net.createServer((inbound) => this.accept(inbound));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    this.port = port;
  }

  /** Cut the link (true) or restore it (false). */
  setBlocked(blocked: boolean): void {
    this.blocked = blocked;
    if (blocked) for (const [a, b] of this.pairs) (a.destroy(), b.destroy());
  }

  async stop(): Promise<void> {
    this.setBlocked(true);
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(inbound: net.Socket): void {
    if (this.blocked) {
      inbound.destroy();
      return;
    }
    const outbound = net.connect(this.target.port, this.target.host);
    const pair: [net.Socket, net.Socket] = [inbound, outbound];
    this.pairs.add(pair);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const close = (): void => {
      inbound.destroy();
      outbound.destroy();
      this.pairs.delete(pair);
    };
    for (const s of pair) {
      s.on("error", close);
      s.on("close", close);
    }
  }
}
