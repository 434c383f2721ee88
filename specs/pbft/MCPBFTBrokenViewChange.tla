---------------------------- MODULE MCPBFTBrokenViewChange ----------------------------
(* Broken variant of PBFT.tla: prepared certificates in view changes are taken without verifying their signatures.                                      *)
EXTENDS MCPBFT

BrokenVerifiedPrepared(c) == TRUE
=============================================================================
