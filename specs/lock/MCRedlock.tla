------------------------------ MODULE MCRedlock ------------------------------
(***************************************************************************)
(* Models of Redlock.tla; the constants are in the .cfg files:             *)
(*   MCRedlock.cfg             CI: 2 clients, 3 stores, no fencing: a      *)
(*                             paused client breaks WritesInLockOrder      *)
(*                             (Kleppmann's counterexample)                *)
(*   MCRedlockFenced.cfg       CI: the same with a storage that rejects    *)
(*                             stale tokens: every invariant holds         *)
(*   MCRedlockDrift.cfg        CI: a store's clock runs fast beyond the    *)
(*                             clients' allowance: OneValidLease fails     *)
(*   MCRedlockDriftFenced.cfg  CI: the same drift, fenced: the writes stay *)
(*                             in lock order although the lock did not     *)
(*                             exclude                                     *)
(*   MCRedlockFull.cfg         --full: fenced, a lease of 2 ticks, 2 ticks *)
(*                             of time, 3 attempts (a retry after back-off)*)
(* The bounds (MaxTime, MaxAttempts, MaxTokens, MaxWrites) are a           *)
(* CONSTRAINT, not part of the actions.                                    *)
(***************************************************************************)
EXTENDS Redlock, TLC

CONSTANTS MaxTime, MaxTokens, MaxWrites, MaxAttempts

\* Keep the model finite: real time, attempts, tokens issued and accepted writes bounded. (Keys
\* are deleted on release, so without a bound on attempts the clients could take and free the
\* stores any number of times within one tick.)
Bounds ==
    /\ now <= MaxTime
    /\ attempts <= MaxAttempts
    /\ nextToken <= MaxTokens
    /\ Len(writes) <= MaxWrites
=============================================================================
