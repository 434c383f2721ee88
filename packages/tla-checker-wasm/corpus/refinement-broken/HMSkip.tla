---------------------------- MODULE HMSkip ----------------------------
(* A clock that skips hour 6: its step from 5 to 7 is not an HCnxt step. *)
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>

Init == h \in 1..12 /\ m = 0
Tick == IF m < 2 THEN m' = m + 1 /\ UNCHANGED h
        ELSE m' = 0 /\ h' = CASE h = 5 -> 7
                              [] h = 12 -> 1
                              [] OTHER -> h + 1
Spec == Init /\ [][Tick]_vars /\ WF_vars(Tick)

HClock == INSTANCE HourClock WITH hr <- h
HCSpec == HClock!Spec
\* The same refinement written out with a bulleted conjunction.
HCSteps ==
  /\ HClock!HCini
  /\ [][HClock!HCnxt]_h
========================================================================
