------------------------------- MODULE MCPaxos -------------------------------
(***************************************************************************)
(* Models of Paxos.tla. The ballot set is finite by construction          *)
(* (rounds 1..MaxRound), and so is everything else: no state constraint    *)
(* is needed. Proposers are the model values p1, p2, p3, declared here so  *)
(* that the ballot tie-break MCRank can name them.                         *)
(***************************************************************************)
EXTENDS Paxos, TLC

CONSTANTS p1, p2, p3

\* Ballot tie-break within a round: p1 < p2 < p3.
MCRank == [p \in Proposer |-> CASE p = p1 -> 1 [] p = p2 -> 2 [] p = p3 -> 3]

\* Acceptors are interchangeable, and so are values and learners (the spec
\* compares them only for equality). Proposers are not: ballots order them.
Symmetry == Permutations(Acceptor) \cup Permutations(Value) \cup Permutations(Learner)
=============================================================================
