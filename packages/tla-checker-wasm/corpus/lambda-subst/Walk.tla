------------------------------- MODULE Walk -------------------------------
(***************************************************************************)
(* A bounded walk whose steps are filtered by an operator constant Keep:   *)
(* the instantiating module substitutes it by a LAMBDA (TLC's TLCMC idiom, *)
(* Constraint <- LAMBDA s, l : TRUE).                                      *)
(***************************************************************************)
EXTENDS Integers

CONSTANTS Keep(_, _), Max

VARIABLE pos

ASSUME \A p \in 0 .. Max : Keep(p, 0) \in BOOLEAN

Init == pos = CHOOSE p \in 0 .. Max : Keep(p, 0)

Step(d) == /\ pos + d \in 0 .. Max
           /\ Keep(pos + d, d)
           /\ pos' = pos + d

Next == Step(1) \/ Step(2) \/ Step(-1)
=============================================================================
