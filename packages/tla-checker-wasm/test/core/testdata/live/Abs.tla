---- MODULE Abs ----
EXTENDS Naturals
VARIABLE y
Flip == y' = 1 - y
Spec == y = 0 /\ [][Flip]_y /\ WF_y(Flip)
Fair == WF_y(Flip)
Live == []<>(y = 1)
Lt(a) == (y = a) ~> (y = 1 - a)
====
