---------------------------- MODULE MCMultiPaxos ----------------------------
(***************************************************************************)
(* Bounded models of MultiPaxos.tla for model checking. The bounds are a  *)
(* state CONSTRAINT, so they cut the search without changing the spec: a   *)
(* state beyond them is generated (and checked against the invariants) but *)
(* not explored further.                                                   *)
(*                                                                         *)
(* Servers are the model values s1, s2, s3 (declared here so that the     *)
(* ballot tie-break MCRank can name them); a cfg lists them all and sets   *)
(* Server to the ones a model uses. No symmetry reduction: ballots order   *)
(* servers by rank, so servers are not interchangeable.                    *)
(***************************************************************************)
EXTENDS MultiPaxos, TLC

CONSTANTS s1, s2, s3

CONSTANTS
    MaxRound,     \* no ballot has a higher round
    MaxSlot,      \* no leader's log is longer than this
    MaxClock,     \* no clock reads more than this
    MaxMessages,  \* at most this many distinct messages in flight
    MaxCopies     \* at most this many copies of one message in flight

\* Ballot tie-break: s1 < s2 < s3 within a round (the implementation's order
\* of node ids).
MCRank == [i \in Server |-> CASE i = s1 -> 1 [] i = s2 -> 2 [] i = s3 -> 3]

StateConstraint ==
    /\ \A i \in Server : /\ promised[i].rnd <= MaxRound
                         /\ Len(proposals[i]) <= MaxSlot
                         /\ clock[i] <= MaxClock
    /\ Cardinality(DOMAIN messages) <= MaxMessages
    /\ \A m \in DOMAIN messages : messages[m] <= MaxCopies

\* A further bound for the lease models: only s1 and s2 ever run Phase 1
\* (s3 is a passive acceptor and learner), which is enough for two
\* leaders to contend for a lease.
TwoProposers == \A i \in Server \ {s1, s2} : role[i] = Follower

\* Never enabled: a cfg that replaces DropMessage and DuplicateMessage
\* (or Restart) by these turns those faults off in a model that checks
\* something else (MCMultiPaxos.cfg keeps them all).
NoNetworkFault(m) == FALSE
NoRestart(i) == FALSE
=============================================================================
