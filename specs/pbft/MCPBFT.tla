------------------------------- MODULE MCPBFT -------------------------------
(***************************************************************************)
(* Models of PBFT.tla. Replicas are the model values n1..n4 (n1 is the     *)
(* primary of view 0, n2 of view 1, ...), requests q1, q2, q3. Everything  *)
(* is bounded by MaxView and MaxSeq: no state constraint.                  *)
(***************************************************************************)
EXTENDS PBFT, TLC

CONSTANTS n1, n2, n3, n4, q1, q2, q3

MCReplicaOrder == <<n1, n2, n3, n4>>

\* Requests are interchangeable (the spec compares them only for equality). Replicas are
\* not: the view number picks the primary.
Symmetry == Permutations(Request)

\* In models with views 0 and 1 only, n3 and n4 are never primary and are interchangeable
\* when both are correct (or both Byzantine).
BackupSymmetry == Permutations(Request) \cup Permutations({n3, n4})
=============================================================================
