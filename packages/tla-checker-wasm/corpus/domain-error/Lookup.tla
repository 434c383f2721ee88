------------------------------ MODULE Lookup ------------------------------
(* A client walks down a table of next hops. The table has no entry for the *)
(* last hop, so applying it there is an error (function outside domain).    *)
EXTENDS Naturals

VARIABLE at, hops

Table == [n \in 1..4 |-> n + 1]

Init == at = 1 /\ hops = 0

Next == /\ at' = Table[at]
        /\ hops' = hops + 1

TypeOK == at \in 1..5
=============================================================================
