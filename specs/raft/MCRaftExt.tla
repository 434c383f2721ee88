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
\* protocol. (The same model with loss and duplication had more than 130,000
\* distinct states and a growing queue after 25 minutes of TLC on a loaded
\* 2-core machine; it has no recorded figures yet.)
NoNetworkFault(m) == FALSE

\* Servers that start in the same role are interchangeable: the initial
\* members among themselves (servers outside InitConfig stay fixed).
ConfigSymmetry == Permutations(InitConfig)
=============================================================================
