-------------------------- MODULE MCRaftBrokenVote --------------------------
(***************************************************************************)
(* Broken variant: servers grant votes without the up-to-date check, so a  *)
(* candidate missing committed entries can be elected. The cfg replaces    *)
(* Raft's VoteLogOk with BrokenVoteLogOk.                                  *)
(***************************************************************************)
EXTENDS MCRaft

BrokenVoteLogOk(i, m) == TRUE
=============================================================================
