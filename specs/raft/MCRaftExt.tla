------------------------------ MODULE MCRaftExt ------------------------------
(***************************************************************************)
(* Bounded models of RaftExt.tla; the bounds are a state CONSTRAINT as in  *)
(* MCRaft.tla.                                                             *)
(***************************************************************************)
EXTENDS RaftExt, TLC

CONSTANTS MaxTerm, MaxLogLen, MaxMessages, MaxCopies

StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm /\ LastIndex(i) <= MaxLogLen
    /\ Cardinality(DOMAIN messages) <= MaxMessages
    /\ \A m \in DOMAIN messages : messages[m] <= MaxCopies

\* The CI model turns crashes, message loss and duplication off (the cfg
\* replaces Restart, DropMessage and DuplicateMessage by NoRestart and
\* NoNetworkFault, which are never enabled); MCRaft.cfg covers them for the
\* core protocol. Larger models (two terms, crashes, loss) did not finish in
\* the time available; see README.md.
NoNetworkFault(m) == FALSE
NoRestart(i) == FALSE

\* Servers that start in the same role are interchangeable: the initial
\* members among themselves (servers outside InitConfig stay fixed).
ConfigSymmetry == Permutations(InitConfig)
=============================================================================
