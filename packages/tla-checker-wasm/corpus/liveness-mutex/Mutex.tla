------------------------------- MODULE Mutex -------------------------------
(* A test-and-set lock shared by N processes. Each process cycles idle ->   *)
(* wait -> cs -> idle. The lock is free infinitely often, but a waiting     *)
(* process can always lose the race for it: weak fairness on Enter does not *)
(* prevent starvation, strong fairness does. The specifications differ only *)
(* in their fairness conjuncts.                                              *)
EXTENDS Naturals

CONSTANT N
VARIABLES pc, lock
vars == <<pc, lock>>

Procs == 1..N

Init ==
  /\ pc = [p \in Procs |-> "idle"]
  /\ lock = FALSE

Try(p) ==
  /\ pc[p] = "idle"
  /\ pc' = [pc EXCEPT ![p] = "wait"]
  /\ UNCHANGED lock

Enter(p) ==
  /\ pc[p] = "wait"
  /\ ~lock
  /\ lock' = TRUE
  /\ pc' = [pc EXCEPT ![p] = "cs"]

Exit(p) ==
  /\ pc[p] = "cs"
  /\ lock' = FALSE
  /\ pc' = [pc EXCEPT ![p] = "idle"]

Proc(p) == Try(p) \/ Enter(p) \/ Exit(p)

Next == \E p \in Procs : Proc(p)

\* No fairness at all: every liveness property fails by stuttering.
Spec == Init /\ [][Next]_vars

\* Weak fairness on the sub-actions Enter and Exit of every process (not on Try).
SpecWF == Spec /\ \A p \in Procs : WF_vars(Enter(p)) /\ WF_vars(Exit(p))

\* Strong fairness on Enter: a process that is infinitely often able to enter does.
SpecSF == Spec /\ \A p \in Procs : SF_vars(Enter(p)) /\ WF_vars(Exit(p))

\* Process 1 is strongly fair, the others only weakly fair (a whole-process WF).
SpecMixed ==
  /\ Spec
  /\ SF_vars(Enter(1)) /\ WF_vars(Exit(1))
  /\ \A p \in Procs \ {1} : WF_vars(Proc(p))

MutualExclusion == \A p, q \in Procs : p # q => ~(pc[p] = "cs" /\ pc[q] = "cs")

\* Properties (all temporal; some need TLC's tableau, some do not).
Starvation == \A p \in Procs : pc[p] = "wait" ~> pc[p] = "cs"
NoStarve1 == pc[1] = "wait" ~> pc[1] = "cs"
NoStarve2 == pc[2] = "wait" ~> pc[2] = "cs"
\* A []<> on both sides of an implication: no tableau.
EnabledProgress == \A p \in Procs : []<>(ENABLED Enter(p)) => []<>(pc[p] = "cs")
\* A process in its critical section leaves it (holds under WF on Exit).
CsLeft == \A p \in Procs : pc[p] = "cs" ~> pc[p] = "idle"
\* Something enters the critical section infinitely often (violated: Try is not fair,
\* so every process may stay idle).
SomeoneEnters == []<>(\E p \in Procs : pc[p] = "cs")
\* The lock is released infinitely often: violated without fairness (stutters with it held).
LockFreed == []<>(~lock)
=============================================================================
