---------------------------- MODULE HMReset ----------------------------
(* A clock whose minute hand may be set back from the last minute        *)
(* without the hour advancing. Every step is an hour-clock step or a     *)
(* stutter, so the safety part of HourClock holds; but weak fairness on  *)
(* Next allows resetting forever, so the hour never advances and         *)
(* HourClock's WF_hr(HCnxt) is violated. Strong fairness on the hour     *)
(* changing tick repairs it; weak fairness does not, because the reset   *)
(* keeps disabling that tick.                                            *)
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>

Init == h \in 1..12 /\ m = 0
Tick == IF m < 2 THEN m' = m + 1 /\ UNCHANGED h
        ELSE m' = 0 /\ h' = IF h # 12 THEN h + 1 ELSE 1
Reset == m = 2 /\ m' = 0 /\ UNCHANGED h
Next == Tick \/ Reset
Spec == Init /\ [][Next]_vars /\ WF_vars(Next)
WeakSpec == Spec /\ WF_h(Tick)
StrongSpec == Spec /\ SF_h(Tick)

HClock == INSTANCE HourClock WITH hr <- h
HCSpec == HClock!Spec
HCSafe == HClock!SafeSpec
=========================================================================
