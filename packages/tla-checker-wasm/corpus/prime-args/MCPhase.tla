-------------------------------- MODULE MCPhase --------------------------------
(* Phase and Hold instantiated without WITH: their constants and variables are
   this module's names of the same spelling. *)
EXTENDS Naturals

VARIABLES p, x, waits

XInit(v) == v \in {0, 1}

XAct(i, old, new) == new = old + i

vars == <<p, x>>

INSTANCE Phase

INSTANCE Hold

MCInit == Init /\ waits = 0

MCNext == (Step /\ UNCHANGED waits) \/ Wait

\* Not an invariant: the register reaches 4 (1, plus 0 + 1 + 2).
XSmall == x <= 3
================================================================================
