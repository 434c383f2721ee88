------------------------------ MODULE Quorums ------------------------------
(* A quorum system must have pairwise-intersecting quorums. The ASSUME says *)
(* so; one model satisfies it, the other (two disjoint quorums) does not,   *)
(* and TLC stops before exploring any state.                                *)
EXTENDS FiniteSets

CONSTANTS Nodes, Quorums

ASSUME QuorumsOK == /\ Quorums \subseteq SUBSET Nodes
                    /\ \A q1, q2 \in Quorums : q1 \cap q2 # {}

VARIABLE accepted

Init == accepted = {}

Accept(n) == n \notin accepted /\ accepted' = accepted \cup {n}

Next == \E n \in Nodes : Accept(n)

Decided == \E q \in Quorums : q \subseteq accepted

\* Once decided, every quorum overlaps the acceptors.
Overlap == Decided => \A q \in Quorums : q \cap accepted # {}
=============================================================================
