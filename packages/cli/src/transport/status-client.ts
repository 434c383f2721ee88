/**
 * Ask one node's client port what the node says about itself (`{type:"status"}`, see
 * `ClientServer`), with a deadline.
 *
 * @module
 */
import net from "node:net";
import type { NodeStatus } from "@synod/conformance";
import { formatAddress, type Address } from "./address.js";
import { FrameDecoder, encodeFrame } from "./frame.js";

/** A node's answer: its id, protocol and status. */
export interface NodeStatusAnswer {
  nodeId: string;
  protocol: string | null;
  status: NodeStatus;
}

/** The answer, or why there is none. */
export type StatusOutcome = { ok: true; answer: NodeStatusAnswer } | { ok: false; problem: string };

/** Ask the node at `address` for its status; never throws. */
export function queryStatus(address: Address, timeoutMs: number): Promise<StatusOutcome> {
  const where = formatAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    let settled = false;
    const finish = (outcome: StatusOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, problem: `${where}: no answer within ${timeoutMs} ms` }), timeoutMs);
    const decoder = new FrameDecoder();
    socket.on("connect", () => socket.write(encodeFrame({ type: "status" })));
    socket.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, problem: `${where}: ${err.code ?? err.message}` }));
    socket.on("close", () => finish({ ok: false, problem: `${where}: closed the connection without a status (not a synod node, or one too old to answer)` }));
    socket.on("data", (chunk: Buffer) => {
      let frames: unknown[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        finish({ ok: false, problem: `${where}: bad frame: ${(err as Error).message}` });
        return;
      }
      for (const frame of frames) {
        const f = frame as { type?: unknown; nodeId?: unknown; status?: unknown };
        if (typeof f !== "object" || f === null || f.type !== "status") continue;
        const problem = checkStatus(f.status);
        if (typeof f.nodeId !== "string" || problem !== null) {
          finish({ ok: false, problem: `${where}: malformed status answer${problem !== null ? `: ${problem}` : ""}` });
          return;
        }
        const { protocol, ...status } = f.status as NodeStatus & { protocol?: unknown };
        finish({ ok: true, answer: { nodeId: f.nodeId, protocol: typeof protocol === "string" ? protocol : null, status } });
      }
    });
  });
}

function checkStatus(s: unknown): string | null {
  if (typeof s !== "object" || s === null) return "status is not an object";
  const o = s as Record<string, unknown>;
  if (typeof o["role"] !== "string") return "role";
  if (typeof o["leader"] !== "boolean") return "leader";
  for (const k of ["epoch", "commitIndex", "appliedIndex"]) if (typeof o[k] !== "number") return k;
  if (o["leaderId"] !== null && typeof o["leaderId"] !== "string") return "leaderId";
  if (!Array.isArray(o["members"])) return "members";
  return null;
}
