/**
 * A toy primary-backup register, used to test the host, storage and transport without Raft.
 * The lowest node id is the primary forever; a write is acknowledged once a majority (the primary
 * included) has made it durable. Not fault tolerant: it exists to exercise the step/ready order.
 */
import type { ClientReply, Event, Json, NodeId, ProtocolNode, Ready } from "@synod/protocol";
import { emptyReady } from "@synod/protocol";

export type ToyCommand = { op: "get" } | { op: "put"; value: string };
export type ToyResult = { value: string | null } | { ok: true; version: number };
export type ToyMessage =
  | { type: "Replicate"; version: number; value: string | null }
  | { type: "Ack"; version: number };

export function checkToyMessage(m: unknown): string | null {
  const x = m as { type?: unknown; version?: unknown };
  if (typeof x !== "object" || x === null) return "not an object";
  if (x.type !== "Replicate" && x.type !== "Ack") return `unknown type ${JSON.stringify(x.type)}`;
  if (!Number.isSafeInteger(x.version)) return "version is not an integer";
  return null;
}

export function checkToyCommand(c: unknown): string | null {
  const x = c as { op?: unknown; value?: unknown };
  if (typeof x !== "object" || x === null) return "not an object";
  if (x.op === "get") return null;
  if (x.op === "put" && typeof x.value === "string") return null;
  return "expected {op:'get'} or {op:'put', value: string}";
}

export class ToyRegister implements ProtocolNode<ToyMessage, ToyCommand, ToyResult> {
  readonly id: NodeId;
  private readonly peers: NodeId[];
  private readonly primary: NodeId;
  private value: string | null;
  private version: number;
  private rd: Ready<ToyMessage, ToyResult, ToyCommand> = emptyReady();
  private dirty = false;
  private readonly pending = new Map<number, { clientId: string; seq: number; acks: Set<NodeId> }>();
  private readonly acked = new Map<NodeId, number>();

  constructor(id: NodeId, peers: NodeId[], durable: ReadonlyMap<string, Json>) {
    this.id = id;
    this.peers = peers;
    this.primary = [id, ...peers].sort()[0]!;
    this.value = (durable.get("reg") as string | null | undefined) ?? null;
    this.version = (durable.get("version") as number | undefined) ?? 0;
    if (this.id === this.primary) this.out().timers.push({ name: "resend", afterMs: 50 });
  }

  step(event: Event<ToyMessage, ToyCommand>): void {
    switch (event.type) {
      case "request": {
        const { clientId, seq, command } = event.request;
        if (this.id !== this.primary) {
          this.reply({ clientId, seq, ok: false, error: "not-leader", leaderHint: this.primary });
        } else if (command.op === "get") {
          this.reply({ clientId, seq, ok: true, result: { value: this.value } });
        } else {
          this.version++;
          this.value = command.value;
          this.out().persist.push({ key: "reg", value: this.value }, { key: "version", value: this.version });
          this.pending.set(this.version, { clientId, seq, acks: new Set([this.id]) });
          this.broadcast();
          this.maybeReply();
        }
        break;
      }
      case "message": {
        const m = event.message;
        if (m.type === "Replicate" && this.id !== this.primary) {
          if (m.version > this.version) {
            this.version = m.version;
            this.value = m.value;
            this.out().persist.push({ key: "reg", value: this.value }, { key: "version", value: this.version });
          }
          this.out().send.push({ to: event.from, message: { type: "Ack", version: this.version } });
        } else if (m.type === "Ack" && this.id === this.primary) {
          this.acked.set(event.from, Math.max(this.acked.get(event.from) ?? 0, m.version));
          this.maybeReply();
        }
        break;
      }
      case "timer":
        if (event.name === "resend") {
          this.broadcast();
          this.out().timers.push({ name: "resend", afterMs: 50 });
        }
        break;
      case "restart":
        break;
    }
  }

  hasReady(): boolean {
    return this.dirty;
  }

  ready(): Ready<ToyMessage, ToyResult, ToyCommand> {
    const rd = this.rd;
    this.rd = emptyReady();
    this.dirty = false;
    return rd;
  }

  private out(): Ready<ToyMessage, ToyResult, ToyCommand> {
    this.dirty = true;
    return this.rd;
  }

  private reply(r: ClientReply<ToyResult>): void {
    this.out().replies.push(r);
  }

  private broadcast(): void {
    for (const p of this.peers) {
      if ((this.acked.get(p) ?? 0) < this.version) {
        this.out().send.push({ to: p, message: { type: "Replicate", version: this.version, value: this.value } });
      }
    }
  }

  private maybeReply(): void {
    const majority = Math.floor((this.peers.length + 1) / 2) + 1;
    for (const [version, p] of this.pending) {
      const count = 1 + this.peers.filter((peer) => (this.acked.get(peer) ?? 0) >= version).length;
      if (count >= majority) {
        this.pending.delete(version);
        this.reply({ clientId: p.clientId, seq: p.seq, ok: true, result: { ok: true, version } });
      }
    }
  }
}
