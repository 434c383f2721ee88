----------------------- MODULE MCPBFTBrokenClientAuth -----------------------
\* Broken PBFT: backups accept a pre-prepare without checking its client's signature, so a
\* Byzantine primary gets a request no client sent executed.
EXTENDS MCPBFT

BrokenClientSigned(r) == TRUE
=============================================================================
