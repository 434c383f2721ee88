------------------------------ MODULE Peterson ------------------------------
(* Peterson's two-process mutual exclusion, one atomic step per line of the  *)
(* usual pseudo-code. Weak fairness on each process: the fair variant.       *)
EXTENDS Naturals

VARIABLES pc, flag, turn
vars == <<pc, flag, turn>>

Procs == {0, 1}
Other(p) == 1 - p

Init ==
  /\ pc = [p \in Procs |-> "idle"]
  /\ flag = [p \in Procs |-> FALSE]
  /\ turn = 0

SetFlag(p) ==
  /\ pc[p] = "idle"
  /\ flag' = [flag EXCEPT ![p] = TRUE]
  /\ pc' = [pc EXCEPT ![p] = "turn"]
  /\ UNCHANGED turn

GiveTurn(p) ==
  /\ pc[p] = "turn"
  /\ turn' = Other(p)
  /\ pc' = [pc EXCEPT ![p] = "wait"]
  /\ UNCHANGED flag

Wait(p) ==
  /\ pc[p] = "wait"
  /\ ~flag[Other(p)] \/ turn = p
  /\ pc' = [pc EXCEPT ![p] = "cs"]
  /\ UNCHANGED <<flag, turn>>

Exit(p) ==
  /\ pc[p] = "cs"
  /\ flag' = [flag EXCEPT ![p] = FALSE]
  /\ pc' = [pc EXCEPT ![p] = "idle"]
  /\ UNCHANGED turn

Proc(p) == SetFlag(p) \/ GiveTurn(p) \/ Wait(p) \/ Exit(p)

Next == \E p \in Procs : Proc(p)

Spec == Init /\ [][Next]_vars /\ \A p \in Procs : WF_vars(Proc(p))

TypeOK ==
  /\ pc \in [Procs -> {"idle", "turn", "wait", "cs"}]
  /\ flag \in [Procs -> BOOLEAN]
  /\ turn \in Procs

MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")

\* Liveness, checked by the second model: each process that wants in gets in.
Progress == \A p \in Procs : pc[p] = "turn" ~> pc[p] = "cs"
=============================================================================
