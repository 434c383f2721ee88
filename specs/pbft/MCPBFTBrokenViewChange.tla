----------------------- MODULE MCPBFTBrokenViewChange -----------------------
\* Broken PBFT: the new primary and the backups take the prepared certificates in view changes
\* on trust. A Byzantine replica claims a certificate it cannot prove (for a request nobody
\* prepared, or for a request no client sent) and the new view re-proposes it over a committed one.
EXTENDS MCPBFT

BrokenVerifiedPrepared(c) == TRUE
=============================================================================
