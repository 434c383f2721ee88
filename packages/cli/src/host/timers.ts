/**
 * Named one-shot timers on `setTimeout`, as a node asks for them in `Ready.timers`.
 *
 * @module
 */
import type { TimerRequest } from "@synod/protocol";

/**
 * Keeps at most one pending `setTimeout` per timer name. A generation number per name lets the host
 * discard a firing that was already queued when the node re-armed or cancelled the timer.
 */
export class TimerTable {
  private readonly pending = new Map<string, { handle: NodeJS.Timeout; generation: number }>();
  private generation = 0;

  /** @param onFire called with the name and the generation of the firing. */
  constructor(private readonly onFire: (name: string, generation: number) => void) {}

  /** Arm, re-arm or cancel one timer. */
  apply(request: TimerRequest): void {
    const existing = this.pending.get(request.name);
    if (existing) clearTimeout(existing.handle);
    this.pending.delete(request.name);
    if (request.afterMs === null) return;
    const generation = ++this.generation;
    const handle = setTimeout(() => this.onFire(request.name, generation), Math.max(0, request.afterMs));
    this.pending.set(request.name, { handle, generation });
  }

  /**
   * True when a firing with this generation is still the current arming of `name`; consumes it,
   * so a one-shot timer fires once.
   */
  takeIfCurrent(name: string, generation: number): boolean {
    const current = this.pending.get(name);
    if (!current || current.generation !== generation) return false;
    this.pending.delete(name);
    return true;
  }

  /** Cancel every timer. */
  clear(): void {
    for (const { handle } of this.pending.values()) clearTimeout(handle);
    this.pending.clear();
  }
}
