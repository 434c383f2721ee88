------------------------------ MODULE Counter ------------------------------
(* A mod-K counter with a step count. Without a VIEW every step count makes *)
(* a new state, bounded only by the constraint; with VIEW the step count is *)
(* ignored when states are compared, so only K states are distinct.         *)
EXTENDS Naturals

CONSTANTS K, MaxSteps

VARIABLES c, steps

Init == c = 0 /\ steps = 0

Next ==
  /\ \/ c' = (c + 1) % K
     \/ c' = (c + 2) % K
  /\ steps' = steps + 1

StepsBound == steps <= MaxSteps

CView == c
CViewRec == [count |-> c]

InRange == c < K
=============================================================================
