---------------------------- MODULE Ring ----------------------------
\* A token travels around a ring of N nodes; a node may also pass it back.
\* Definitions here are referred to by position from Subexpr.tla.
EXTENDS Naturals
CONSTANT N
VARIABLES token, hops

Pass == /\ token' = (token + 1) % N
        /\ hops' = hops + 1
Back == /\ token > 0
        /\ token' = token - 1
        /\ hops' = hops + 1
Next == Pass \/ Back

TypeOK(bound) == /\ token \in 0..(N - 1)
                 /\ hops \in 0..bound
                 /\ \/ token < N
                    \/ hops = 0
=============================================================================
