/**
 * `host:port` addresses as they appear on the command line.
 *
 * @module
 */

/** A TCP endpoint. */
export interface Address {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  /** TCP port, 1..65535. */
  port: number;
}

/**
 * Parse `host:port` (IPv6 hosts in brackets: `[::1]:7001`).
 *
 * @throws Error naming the text when it is not a valid address.
 */
export function parseAddress(text: string): Address {
  const m = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not host:port`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`"${text}": port ${port} is outside 1..65535`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Format an address as `host:port`. */
export function formatAddress(a: Address): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
