------------------------------- MODULE Order -------------------------------
(* The order in which TLC enumerates bound variables, subsets and sets of  *)
(* model values decides how many states it has generated when it stops at *)
(* a violation, so a checker that agrees with TLC must use the same order. *)
(* Each model below stops at the first violating successor.               *)
EXTENDS Naturals, FiniteSets

CONSTANTS Procs

VARIABLES x

Init == x = <<0, 0>>

\* \E a, b \in S: TLC varies the first bound variable fastest.
PairsFlat == \E a, b \in 1..3 : x' = <<a, b>>
\* Nested \E: the outer one varies slowest.
PairsNested == \E a \in 1..3 : \E b \in 1..3 : x' = <<a, b>>
\* \E over a cross product and over a tuple pattern.
PairsProduct == \E p \in (1..3) \X (1..3) : x' = p
PairsPattern == \E <<a, b>> \in (1..3) \X (1..3) : x' = <<a, b>>
\* Subsets of a set of model values.
Subsets == \E S \in SUBSET Procs : x' = <<Cardinality(S), IF S = {} THEN 0 ELSE 1>>
           /\ x = <<0, 0>>
\* Functions from a set to a set.
Functions == \E f \in [1..2 -> 1..3] : x' = <<f[1], f[2]>>

NotTwoOne == x # <<2, 1>>
NotThreeTwo == x # <<3, 2>>
=============================================================================
