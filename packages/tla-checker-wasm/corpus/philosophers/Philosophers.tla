---------------------------- MODULE Philosophers ----------------------------
(* Dining philosophers where everyone picks up the left fork first: the    *)
(* classic deadlock, found by TLC's deadlock check.                         *)
EXTENDS Naturals

CONSTANT N
ASSUME N >= 2

P == 0..(N - 1)
Left(p) == p
Right(p) == (p + 1) % N

VARIABLES holder, state
vars == <<holder, state>>

\* holder[f] is the philosopher holding fork f, or N when it lies on the table.
Init ==
  /\ holder = [f \in P |-> N]
  /\ state = [p \in P |-> "thinking"]

TakeLeft(p) ==
  /\ state[p] = "thinking"
  /\ holder[Left(p)] = N
  /\ holder' = [holder EXCEPT ![Left(p)] = p]
  /\ state' = [state EXCEPT ![p] = "hungry"]

TakeRight(p) ==
  /\ state[p] = "hungry"
  /\ holder[Right(p)] = N
  /\ holder' = [holder EXCEPT ![Right(p)] = p]
  /\ state' = [state EXCEPT ![p] = "eating"]

Release(p) ==
  /\ state[p] = "eating"
  /\ holder' = [f \in P |-> IF holder[f] = p THEN N ELSE holder[f]]
  /\ state' = [state EXCEPT ![p] = "thinking"]

Next == \E p \in P : TakeLeft(p) \/ TakeRight(p) \/ Release(p)

\* Neighbours never eat at the same time.
Exclusion == \A p \in P : ~(state[p] = "eating" /\ state[Right(p)] = "eating")
=============================================================================
