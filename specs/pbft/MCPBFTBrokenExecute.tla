------------------------ MODULE MCPBFTBrokenExecute -------------------------
\* Broken PBFT: a replica executes as soon as it is prepared, without waiting for 2F+1 commits.
\* Being prepared does not survive a view change (F+1 correct replicas need not be prepared), so
\* the new view may assign the sequence number to another request.
EXTENDS MCPBFT

BrokenCommitQuorum == 0
=============================================================================
