-------------------------------- MODULE MCVote ---------------------------------
(* Vote through an INSTANCE; the cfg's `Seq <- BoundedSeq` replaces the Seq that
   Vote reads (the definition is the one of Sequences, shared), so that Init can
   enumerate ballots of length up to 3. *)
EXTENDS Naturals

CONSTANT Choices

VARIABLES ballot, counted

BoundedSeq(S) == UNION {[1..n -> S] : n \in 0..3}

INSTANCE Vote
================================================================================
