---------------------------- MODULE HMClock ----------------------------
(* An hour clock with a minute hand (three minutes to the hour, to keep *)
(* the model small). Hiding the minutes, it implements HourClock: the   *)
(* minute ticks are stuttering steps of the hour clock.                 *)
EXTENDS Naturals
VARIABLES h, m
vars == <<h, m>>

Init == h \in 1..12 /\ m = 0
Tick == IF m < 2 THEN m' = m + 1 /\ UNCHANGED h
        ELSE m' = 0 /\ h' = IF h # 12 THEN h + 1 ELSE 1
Spec == Init /\ [][Tick]_vars /\ WF_vars(Tick)

HClock == INSTANCE HourClock WITH hr <- h
\* TLC's cfg names definitions of the spec, so the refinement gets a name here.
HCSpec == HClock!Spec
HCSafe == HClock!SafeSpec
HCInit == HClock!HCini
=========================================================================
