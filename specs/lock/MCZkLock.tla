------------------------------ MODULE MCZkLock -------------------------------
(***************************************************************************)
(* Models of ZkLock.tla; the constants are in the .cfg files:              *)
(*   MCZkLock.cfg        CI: 3 clients, no fencing: a holder paused past   *)
(*                       its session breaks WritesInLockOrder              *)
(*   MCZkLockFenced.cfg  CI: the same with a storage that rejects stale    *)
(*                       tokens: every invariant holds                     *)
(*   MCZkLockFull.cfg    --full: fenced, more sequence numbers and writes  *)
(***************************************************************************)
EXTENDS ZkLock, TLC

CONSTANTS MaxSeq, MaxWrites

\* Keep the model finite: sequence numbers and accepted writes bounded.
Bounds ==
    /\ nextSeq <= MaxSeq
    /\ Len(writes) <= MaxWrites
=============================================================================
