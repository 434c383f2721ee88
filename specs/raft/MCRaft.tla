------------------------------- MODULE MCRaft -------------------------------
(***************************************************************************)
(* Bounded models of Raft.tla for model checking. The bounds are a state   *)
(* CONSTRAINT, so they cut the search without changing the spec: a state  *)
(* beyond them is generated (and checked against the invariants) but not  *)
(* explored further.                                                       *)
(***************************************************************************)
EXTENDS Raft, TLC

CONSTANTS
    MaxTerm,      \* no server's term exceeds this
    MaxLogLen,    \* no log is longer than this
    MaxMessages,  \* at most this many distinct messages in flight
    MaxCopies     \* at most this many copies of one message in flight

StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm /\ Len(log[i]) <= MaxLogLen
    /\ Cardinality(DOMAIN messages) <= MaxMessages
    /\ \A m \in DOMAIN messages : messages[m] <= MaxCopies

\* Raft.tla treats servers alike (no ids are compared by order and the
\* invariants quantify over all servers), so states that differ only by a
\* renaming of servers are equivalent for safety properties.
ServerSymmetry == Permutations(Server)
=============================================================================
