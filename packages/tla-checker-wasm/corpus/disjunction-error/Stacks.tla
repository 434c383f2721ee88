------------------------------ MODULE Stacks ------------------------------
(* In an action, TLC enumerates BOTH sides of a disjunction to find all      *)
(* successor states, so a disjunction cannot guard its right side the way    *)
(* it does in a state predicate. Here Head(<<>>) is evaluated and TLC stops *)
(* with an error: a checker that agrees with TLC must do the same.          *)
EXTENDS Naturals, Sequences

VARIABLES a, b

Init == a = <<1, 2>> /\ b = <<>>

Move ==
  /\ a # <<>>
  /\ b = <<>> \/ Head(a) < Head(b)
  /\ b' = <<Head(a)>> \o b
  /\ a' = Tail(a)

Back ==
  /\ b # <<>>
  /\ a' = <<Head(b)>> \o a
  /\ b' = Tail(b)

Next == Move \/ Back
=============================================================================
