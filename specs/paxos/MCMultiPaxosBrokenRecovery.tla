--------------------- MODULE MCMultiPaxosBrokenRecovery ---------------------
(***************************************************************************)
(* Broken variant: a new leader ignores the votes reported in Phase 1b and *)
(* keeps only what it accepted itself, so it may propose a new value in a  *)
(* slot where another value was already chosen. The cfg replaces           *)
(* MultiPaxos's Merge with BrokenMerge.                                    *)
(***************************************************************************)
EXTENDS MCMultiPaxos

BrokenMerge(old, reported) == old
=============================================================================
