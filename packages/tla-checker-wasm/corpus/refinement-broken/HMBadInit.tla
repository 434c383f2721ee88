---------------------------- MODULE HMBadInit ----------------------------
(* A clock that may start at hour 0, which HourClock does not allow.     *)
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>

Init == h \in 0..12 /\ m = 0
Tick == IF m < 2 THEN m' = m + 1 /\ UNCHANGED h
        ELSE m' = 0 /\ h' = IF h # 12 THEN h + 1 ELSE 1
Spec == Init /\ [][Tick]_vars /\ WF_vars(Tick)

HClock == INSTANCE HourClock WITH hr <- h
HCSpec == HClock!Spec
HCSafe == HClock!SafeSpec
===========================================================================
