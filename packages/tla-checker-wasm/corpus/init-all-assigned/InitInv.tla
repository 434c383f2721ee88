---------------------------- MODULE InitInv ----------------------------
(***************************************************************************)
(* An inductive invariant used as the initial predicate, as in the Bakery  *)
(* proof model (ISpec == Inv /\ [][Next]_vars): TypeOK enumerates every    *)
(* state and Inv, whose disjuncts overlap, only filters them. TLC stops    *)
(* enumerating once every variable has a value, so each state is generated *)
(* once, not once per true disjunct.                                       *)
(***************************************************************************)
EXTENDS Naturals

VARIABLES x, y

vars == <<x, y>>

TypeOK == x \in 0..3 /\ y \in 0..3

\* Overlapping disjuncts: both hold when x <= y and x + y > 2.
Inv == \/ x <= y
       \/ x + y > 2
       \/ \E d \in 0..1 : x = y + d

Init == TypeOK /\ Inv

Next == /\ x < 3
        /\ x' = x + 1
        /\ y' \in {y, 3}

\* The same initial predicate as two conjuncts of a specification.
Spec == TypeOK /\ Inv /\ [][Next]_vars
=============================================================================
