---------------------------- MODULE HourClock ----------------------------
(* The abstract spec: a clock that shows only the hour.                   *)
EXTENDS Naturals
VARIABLE hr

HCTypeOK == hr \in 1..12
HCini == hr \in 1..12
HCnxt == hr' = IF hr # 12 THEN hr + 1 ELSE 1
HC == HCini /\ [][HCnxt]_hr

\* The clock keeps ticking.
Spec == HC /\ WF_hr(HCnxt)

\* Safety only, with the type invariant as a conjunct ([]P).
SafeSpec == HC /\ []HCTypeOK
===========================================================================
