------------------------- MODULE MCRaftBrokenPersist -------------------------
(***************************************************************************)
(* Broken variant: a server acknowledges its vote before persisting it, so *)
(* a crash at the wrong moment forgets a vote the candidate already        *)
(* counted, and the server may vote again in the same term. The cfg        *)
(* replaces Raft's VoteAfterRestart with BrokenVoteAfterRestart: after a   *)
(* restart the vote is gone.                                               *)
(***************************************************************************)
EXTENDS MCRaft

BrokenVoteAfterRestart(i) == Nil
=============================================================================
