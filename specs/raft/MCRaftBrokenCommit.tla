------------------------- MODULE MCRaftBrokenCommit -------------------------
(***************************************************************************)
(* Broken variant: a leader commits any entry that a quorum has replicated *)
(* by counting, including entries of earlier terms (the mistake that       *)
(* Figure 8 of the Raft paper warns against). The cfg replaces Raft's      *)
(* CommitAllowed with BrokenCommitAllowed. With 3 servers the shortest     *)
(* counterexample needs four terms: an entry of term 1 is committed by the *)
(* leader of term 3, then overwritten by the leader of term 4 whose last   *)
(* entry is of term 2. To keep that search small, this model also turns   *)
(* off crashes and message loss/duplication, which the counterexample does *)
(* not need (the cfg replaces those actions with NoRestart/NoNetworkFault). *)
(***************************************************************************)
EXTENDS MCRaft

BrokenCommitAllowed(i, index) == TRUE

NoRestart(i) == FALSE
NoNetworkFault(m) == FALSE
=============================================================================
