------------------------ MODULE MCPBFTBrokenPrepare -------------------------
\* Broken PBFT: a replica counts itself prepared with 2F-1 prepares besides the pre-prepare
\* (a certificate of 2F replicas). Two such certificates for different requests in one view need
\* not share a correct replica, so a Byzantine primary gets two requests prepared at one sequence
\* number; a view change then re-proposes the one that was not committed.
EXTENDS MCPBFT

BrokenPrepareQuorum == 2 * F - 1
=============================================================================
