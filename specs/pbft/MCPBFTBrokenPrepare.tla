---------------------------- MODULE MCPBFTBrokenPrepare ----------------------------
(* Broken variant of PBFT.tla: a prepared certificate of 2F replicas (the pre-prepare and 2F-1 prepares) instead of 2F+1.                                      *)
EXTENDS MCPBFT

BrokenPrepareQuorum == 2 * F - 1
=============================================================================
