-------------------------------- MODULE Weights --------------------------------
(* A constant-level model, no variables: with weights 1, 3, 9, ... on a two-pan
   balance, every load up to their sum can be weighed. The cfg names no INIT
   or NEXT; TLC evaluates the ASSUMEs and checks no states. *)
EXTENDS Integers, FiniteSets

CONSTANTS N, Max

Weights == {3^i : i \in 0..(N-1)}

\* Each weight on the left pan (-1), off (0) or on the right pan (1).
Placements == [Weights -> {-1, 0, 1}]

Sum(f) == LET S[W \in SUBSET Weights] ==
                IF W = {} THEN 0
                ELSE LET w == CHOOSE x \in W : TRUE IN f[w] * w + S[W \ {w}]
          IN S[Weights]

ASSUME Cardinality(Weights) = N

\* Every load from 1 to Max balances against some placement.
ASSUME Weighable == \A load \in 1..Max : \E f \in Placements : Sum(f) = load
================================================================================
