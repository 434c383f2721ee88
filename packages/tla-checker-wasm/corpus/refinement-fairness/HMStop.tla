---------------------------- MODULE HMStop ----------------------------
(* A clock without fairness: it may stop for ever (a stuttering         *)
(* counterexample to HourClock's fairness).                              *)
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>

Init == h \in 1..12 /\ m = 0
Tick == IF m < 2 THEN m' = m + 1 /\ UNCHANGED h
        ELSE m' = 0 /\ h' = IF h # 12 THEN h + 1 ELSE 1
Spec == Init /\ [][Tick]_vars

HClock == INSTANCE HourClock WITH hr <- h
HCSpec == HClock!Spec
========================================================================
