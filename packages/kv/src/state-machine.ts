/**
 * The application a replicated log drives, as etcd/raft hands committed entries to its
 * application: every replica applies the same commands in the same order and must end in the same
 * state, so `apply` is deterministic and the snapshot encoding canonical.
 *
 * @module
 */
import type { Json } from "@synod/protocol";

/** A deterministic state machine over commands `Cmd` with results `Res`. */
export interface StateMachine<Cmd, Res> {
  /** Apply one committed command and return its result. Deterministic; never throws on a valid command. */
  apply(command: Cmd): Res;
  /**
   * Answer a read-only command from the current state without changing it (ReadIndex and lease
   * reads, which bypass the log). Throws if `command` is not read-only.
   */
  query(command: Cmd): Res;
  /** True for commands that never change the state (they may be served outside the log). */
  isReadOnly(command: Cmd): boolean;
  /** A canonical JSON encoding of the state (equal states encode equally), for snapshots. */
  toJson(): Json;
}

/** How to make, restore and validate a {@link StateMachine}: what a protocol needs to host it. */
export interface StateMachineType<Cmd, Res, SM extends StateMachine<Cmd, Res> = StateMachine<Cmd, Res>> {
  /** The service's name, e.g. `"kv"`. */
  readonly name: string;
  /** A fresh, empty state machine. */
  create(): SM;
  /** Rebuild a state machine from {@link StateMachine.toJson}; throws naming the problem on bad input. */
  fromJson(json: Json): SM;
  /** `null` when `command` is a well-formed command of this service, else the problem in words. */
  validate(command: unknown): string | null;
}
