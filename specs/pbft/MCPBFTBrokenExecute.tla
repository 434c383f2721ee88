---------------------------- MODULE MCPBFTBrokenExecute ----------------------------
(* Broken variant of PBFT.tla: a replica executes as soon as it is prepared, before the commit quorum.                                      *)
EXTENDS MCPBFT

BrokenCommitQuorum == 0
=============================================================================
