---------------------------- MODULE MCTwoPhase ----------------------------
(***************************************************************************)
(* Models of TwoPhase.tla; the constants are in the .cfg files:            *)
(*   MCTwoPhase.cfg          CI: 3 RMs, every safety invariant             *)
(*   MCTwoPhaseFull.cfg      --full: 5 RMs                                 *)
(*   MCTwoPhaseBroken.cfg    the TM forgets its decision on restart:       *)
(*                           Atomicity is violated                         *)
(*   MCTwoPhaseLiveness.cfg  TM recovery + fairness: every RM decides      *)
(*   MCTwoPhaseBlocking.cfg  the TM may stay down: EveryRMDecides fails    *)
(***************************************************************************)
EXTENDS TwoPhase, TLC

\* The RMs are interchangeable (used by the full model only: symmetry is unsound for liveness).
RMSymmetry == Permutations(RM)
=============================================================================
