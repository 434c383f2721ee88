-------------------------------- MODULE Workers --------------------------------
(* Implementation: each worker has a busy bit, and the stage of the announcer
   counts up to 2. Flag's busy set is mapped to an expression over the bits
   (`busy <- {w \in 1..N : busy[w]}`), its done flag to one over the stage:
   checking Flag's fairness needs ENABLED of Flag's actions, where both are
   instance variables mapped to expressions (UNCHANGED busy, done' = TRUE). *)
EXTENDS Naturals

CONSTANT N

VARIABLES busy, stage

vars == <<busy, stage>>

Init == busy \in [1..N -> BOOLEAN] /\ stage = 0

\* Worker w finishes.
Finish(w) == busy[w] /\ busy' = [busy EXCEPT ![w] = FALSE] /\ UNCHANGED stage

\* The announcer advances once no worker is busy.
Advance == (\A w \in 1..N : ~busy[w]) /\ stage < 2 /\ stage' = stage + 1 /\ UNCHANGED busy

Next == (\E w \in 1..N : Finish(w)) \/ Advance

Spec == Init /\ [][Next]_vars /\ WF_vars(Advance) /\ \A w \in 1..N : WF_vars(Finish(w))

F == INSTANCE Flag WITH W <- 1..N, busy <- {w \in 1..N : busy[w]}, done <- stage > 0

FSpec == F!Spec

FLive == F!Live
================================================================================
