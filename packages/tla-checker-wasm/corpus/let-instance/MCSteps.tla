-------------------------------- MODULE MCSteps --------------------------------
(* The cfg replaces Grow by MCGrow, which reaches the original Grow through an
   instance of Steps made in a LET (the root's override does not reach into it,
   as in TLC), and adds a step of three. *)
EXTENDS Steps

MCGrow == LET S == INSTANCE Steps IN S!Grow \/ x' = x + 3
================================================================================
