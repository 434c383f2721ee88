----------------------------- MODULE MCRaftProd -----------------------------
(***************************************************************************)
(* Bounded models of RaftProd.tla; the bounds are a state CONSTRAINT as in *)
(* MCRaft.tla. Trace validation loads RaftProd.tla itself (unbounded).     *)
(***************************************************************************)
EXTENDS RaftProd, TLC

CONSTANTS MaxTerm, MaxLogLen, MaxMessages, MaxCopies

StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm /\ LastIndex(i) <= MaxLogLen
    /\ Cardinality(DOMAIN messages) <= MaxMessages
    /\ \A m \in DOMAIN messages : messages[m] <= MaxCopies

\* The CI model turns crashes, message loss and duplication off (the cfg
\* replaces Restart, DropMessage and DuplicateMessage by these, which are
\* never enabled); trace validation checks restarts, loss and duplication
\* on the production node.
NoNetworkFault(m) == FALSE
NoRestart(i) == FALSE

ServerSymmetry == Permutations(Server)
=============================================================================
