------------------------------- MODULE Hanoi -------------------------------
(* Towers of Hanoi with D disks on three pegs. A peg is a sequence of disk  *)
(* sizes, top of the stack first. The invariant "the last peg is not yet    *)
(* full" fails, and TLC's shortest counterexample has 2^D - 1 moves.        *)
EXTENDS Naturals, Sequences

CONSTANT D
ASSUME D \in 1..8

Pegs == 1..3

\* The sequence <<1, 2, ..., n>>, built with a recursive function.
Range[n \in 0..D] == IF n = 0 THEN <<>> ELSE Append(Range[n - 1], n)

VARIABLE pegs

TypeOK == pegs \in [Pegs -> Seq(1..D)]

Init == pegs = [p \in Pegs |-> IF p = 1 THEN Range[D] ELSE <<>>]

CanMove(from, to) ==
  /\ from # to
  /\ pegs[from] # <<>>
  \* Not a disjunction: in an action TLC explores both disjuncts, so Head(<<>>)
  \* would be evaluated.
  /\ IF pegs[to] = <<>> THEN TRUE ELSE Head(pegs[from]) < Head(pegs[to])

Move(from, to) ==
  /\ CanMove(from, to)
  /\ pegs' = [pegs EXCEPT ![from] = Tail(@), ![to] = <<Head(pegs[from])>> \o @]

Next == \E from, to \in Pegs : Move(from, to)

NotSolved == Len(pegs[3]) < D
=============================================================================
