---------------------------- MODULE Dial ----------------------------
(* The abstract spec of one dial: it turns 0 -> 1 -> 2 -> 0 -> ...    *)
EXTENDS Naturals
VARIABLE d
Init == d = 0
Turn == d' = (d + 1) % 3
Spec == Init /\ [][Turn]_d
=====================================================================
