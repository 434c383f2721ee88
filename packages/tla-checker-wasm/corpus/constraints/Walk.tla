------------------------------- MODULE Walk -------------------------------
(* Two walkers on the integer line, unbounded on purpose. The state          *)
(* CONSTRAINT keeps them within a window and the ACTION_CONSTRAINT forbids   *)
(* steps that take both walkers farther apart than Gap; states outside the   *)
(* model are generated but not explored.                                     *)
EXTENDS Integers

CONSTANTS Bound, Gap

VARIABLES x, y

Init == x = 0 /\ y = 0

Next ==
  \/ x' \in {x - 1, x + 1} /\ UNCHANGED y
  \/ y' \in {y - 1, y + 2} /\ UNCHANGED x
  \/ x' = y /\ y' = x

Window == x \in -Bound..Bound /\ y \in -Bound..Bound

Abs(n) == IF n < 0 THEN -n ELSE n
NotApart == Abs(x' - y') <= Gap \/ Abs(x' - y') < Abs(x - y)

Inside == Abs(x) <= Bound + 1 /\ Abs(y) <= Bound + 2
=============================================================================
