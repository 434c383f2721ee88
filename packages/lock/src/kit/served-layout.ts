/**
 * What both served lock clusters (`synod serve lock`, `synod serve zklock`) check before a node
 * starts: that `--peers` names exactly the nodes of the layout given in `--protocol-options`.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { LockConfigError } from "../options.js";

/**
 * @throws LockConfigError naming `--peers` when it misses a node of `layout`, or lists one with no
 *   role in it (`roles` names the layout's fields for the message).
 */
export function checkServedLayout(id: NodeId, peers: readonly NodeId[], layout: readonly NodeId[], roles: string): void {
  const cluster = new Set([id, ...peers]);
  const missing = layout.filter((n) => !cluster.has(n));
  if (missing.length > 0) throw new LockConfigError(`--peers: the layout in --protocol-options names ${missing.join(", ")}, which --peers does not list`);
  const extra = [...cluster].filter((n) => !layout.includes(n));
  if (extra.length > 0) throw new LockConfigError(`--peers: ${extra.join(", ")} ha${extra.length === 1 ? "s" : "ve"} no role in the layout of --protocol-options (${roles})`);
}
