/**
 * Starting a TCP server, shared by the peer transport and the client port.
 *
 * @module
 */
import net from "node:net";
import type { Address } from "./address.js";

/**
 * Create a server that hands each connection to `accept`, and resolve once it is listening on
 * `address`. A bind failure (port in use, bad host) rejects instead of crashing the process.
 */
export async function listen(address: Address, accept: (socket: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
