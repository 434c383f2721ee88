------------------------------ MODULE SpinLock ------------------------------
(* A test-and-set spin lock for N processes, with no fairness at all: a     *)
(* process may spin forever. Safety only.                                   *)
EXTENDS Naturals, FiniteSets

CONSTANT N
ASSUME N \in Nat \ {0}

VARIABLES lock, pc, entries
vars == <<lock, pc, entries>>

Procs == 1..N

Init ==
  /\ lock = FALSE
  /\ pc = [p \in Procs |-> "try"]
  /\ entries = 0

TestAndSet(p) ==
  /\ pc[p] = "try"
  /\ IF lock
       THEN UNCHANGED <<lock, pc>>
       ELSE /\ lock' = TRUE
            /\ pc' = [pc EXCEPT ![p] = "cs"]
  /\ UNCHANGED entries

Leave(p) ==
  /\ pc[p] = "cs"
  /\ lock' = FALSE
  /\ pc' = [pc EXCEPT ![p] = "try"]
  /\ entries' = (entries + 1) % 3

Next == \E p \in Procs : TestAndSet(p) \/ Leave(p)

Spec == Init /\ [][Next]_vars

InCS == {p \in Procs : pc[p] = "cs"}
MutualExclusion == Cardinality(InCS) <= 1
LockHeld == lock <=> InCS # {}
=============================================================================
