---------------------------- MODULE LostUpdate ----------------------------
(* Processes increment a shared counter with a separate read and write. The *)
(* invariant claims that once all are done the counter equals the number   *)
(* of processes; interleaving loses updates, and TLC shows how.             *)
EXTENDS Naturals

CONSTANT Procs

VARIABLES counter, tmp, pc

Init ==
  /\ counter = 0
  /\ tmp = [p \in Procs |-> 0]
  /\ pc = [p \in Procs |-> "read"]

Read(p) ==
  /\ pc[p] = "read"
  /\ tmp' = [tmp EXCEPT ![p] = counter]
  /\ pc' = [pc EXCEPT ![p] = "write"]
  /\ UNCHANGED counter

Write(p) ==
  /\ pc[p] = "write"
  /\ counter' = tmp[p] + 1
  /\ pc' = [pc EXCEPT ![p] = "done"]
  /\ UNCHANGED tmp

Next == \E p \in Procs : Read(p) \/ Write(p)

AllDone == \A p \in Procs : pc[p] = "done"

\* Wrong on purpose.
NoLostUpdate == AllDone => counter = 3
=============================================================================
