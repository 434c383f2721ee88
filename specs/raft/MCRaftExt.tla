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

\* The CI model turns message loss and duplication off (the cfg replaces the
\* two actions by NoNetworkFault); MCRaft.cfg covers them for the core
\* protocol and MCRaftExtFull.cfg for this one.
NoNetworkFault(m) == FALSE

\* Sound only when InitConfig = Server: then no server is distinguished.
ServerSymmetry == Permutations(Server)
=============================================================================
