--------------------------------- MODULE Vote ----------------------------------
(* Ballots are sequences of choices; Init picks any ballot of Seq(Choices),
   which the model bounds by substituting Seq itself. *)
EXTENDS Naturals, Sequences

CONSTANT Choices

VARIABLES ballot, counted

Init == ballot \in Seq(Choices) /\ counted = 0

\* Count the next choice of the ballot.
Count == counted < Len(ballot) /\ counted' = counted + 1 /\ UNCHANGED ballot

Next == Count

TypeOK == ballot \in Seq(Choices) /\ counted \in 0..Len(ballot)
================================================================================
