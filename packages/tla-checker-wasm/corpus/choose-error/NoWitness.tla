----------------------------- MODULE NoWitness -----------------------------
(* A scheduler picks the job with the earliest deadline among the waiting    *)
(* ones, with CHOOSE. When the queue runs dry there is no witness: the spec  *)
(* forgot to guard for it, and TLC reports an evaluation error.              *)
EXTENDS Naturals

CONSTANT Jobs

VARIABLES waiting, done

Deadline(j) == j * 2

Init == waiting = Jobs /\ done = {}

Run ==
  LET j == CHOOSE j \in waiting : \A k \in waiting : Deadline(j) <= Deadline(k)
  IN  /\ waiting' = waiting \ {j}
      /\ done' = done \cup {j}

Next == Run
=============================================================================
