---------------------------- MODULE MCPBFTBrokenClientAuth ----------------------------
(* Broken variant of PBFT.tla: backups accept a pre-prepare without checking the client's signature.                                      *)
EXTENDS MCPBFT

BrokenClientSigned(r) == TRUE
=============================================================================
