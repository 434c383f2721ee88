-------------------------------- MODULE Counter --------------------------------
(* A counter that moves by a constant step. *)
EXTENDS Naturals

CONSTANT Step

VARIABLE c

\* Move by one step.
Inc == c' = c + Step
================================================================================
