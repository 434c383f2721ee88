---------------------------- MODULE RandomOps ----------------------------
(***************************************************************************)
(* TLC's standard module Randomization, used so that the state counts do  *)
(* not depend on which elements are chosen: RandomSubset's size, the      *)
(* extreme probabilities of RandomSetOfSubsets (every element, or none),  *)
(* TestRandomSetOfSubsets, and a random initial choice among the nodes    *)
(* (two initial states, whichever two).  Which elements are chosen is not *)
(* TLC's choice: tla-check's pseudo-random numbers are its own.           *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Randomization

CONSTANT Nodes

ASSUME \A k \in 0 .. Cardinality(Nodes) : Cardinality(RandomSubset(k, Nodes)) = k
ASSUME RandomSubset(Cardinality(Nodes), Nodes) = Nodes
ASSUME RandomSubset(2, Nodes) \subseteq Nodes
ASSUME RandomSetOfSubsets(5, 0, Nodes) = {{}}
ASSUME RandomSetOfSubsets(3, Cardinality(Nodes), Nodes) = {Nodes}
ASSUME TestRandomSetOfSubsets(3, 0, Nodes) = <<1, 1, 1, 1, 1>>
ASSUME \A T \in RandomSetOfSubsets(6, 2, Nodes) : T \subseteq Nodes

VARIABLES picked, size

Init == /\ picked \in RandomSubset(2, Nodes)
        /\ size = 0

\* Grow: the size of a random subset of one more element; picked stays.
Grow == /\ size < Cardinality(Nodes)
        /\ size' = Cardinality(RandomSubset(size + 1, Nodes))
        /\ UNCHANGED picked

\* Every subset chosen with probability 1 is Nodes itself.
Full == /\ size = Cardinality(Nodes)
        /\ \E T \in RandomSetOfSubsets(2, Cardinality(Nodes), Nodes) : size' = Cardinality(T) - 1
        /\ UNCHANGED picked

Next == Grow \/ Full

Spec == Init /\ [][Next]_<<picked, size>>

TypeOK == picked \in Nodes /\ size \in 0 .. Cardinality(Nodes)
=============================================================================
