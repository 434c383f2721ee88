--------------------------------- MODULE Steps ---------------------------------
(* Steps of several sizes, each through an instance of Counter made inside the
   operator, with the operator's parameter substituted for the step
   (`LET C == INSTANCE Counter WITH Step <- k, c <- x`). *)
EXTENDS Naturals

VARIABLE x

Init == x = 0

\* A step of size k.
By(k) == LET C == INSTANCE Counter WITH Step <- k, c <- x IN C!Inc

\* The counter grows by one.
Grow == x' = x + 1

Next == x < 6 /\ (By(2) \/ Grow)

Capped == x <= 6
================================================================================
