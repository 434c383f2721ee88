----------------------------- MODULE MCElection -----------------------------
EXTENDS Election

CONSTANTS p1, p2, p3, p4

MCProcs == {p1, p2, p3, p4}
MCRank(p) == CASE p = p1 -> 3 [] p = p2 -> 1 [] p = p3 -> 4 [] p = p4 -> 2
MCRounds == 2 + 1
=============================================================================
