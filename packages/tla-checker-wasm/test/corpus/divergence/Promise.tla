---- MODULE Promise ----
\* A promise kept pending by some tableau nodes of a component and absent from others, never met:
\* TLC 2.20 takes that component as fulfilling and prints a lasso on which P1 holds (see Promise-tlc.txt).
EXTENDS Naturals
VARIABLES a, b, c
vars == <<a, b, c>>

Init == a = FALSE /\ b = 0 /\ c \in {0, 1}

A1 ==
  /\ TRUE
  /\ UNCHANGED a
  /\ UNCHANGED b
  /\ UNCHANGED c

A2 ==
  /\ b = 2
  /\ a' = FALSE
  /\ b' \in {0, b}
  /\ c' = (c + 1) % 3

A3 ==
  /\ c = 1 /\ b # c
  /\ a' = FALSE
  /\ b' = (b + 1) % 3
  /\ UNCHANGED c

Inc(k) == b = k /\ b' = (k + 1) % 3 /\ UNCHANGED <<a, c>>

Next == A1 \/ A2 \/ A3 \/ \E k \in 0..2 : Inc(k)

Spec == Init /\ [][Next]_vars /\ SF_vars(A1) /\ WF_vars(A3) /\ \A k \in 0..2 : SF_vars(Inc(k)) /\ WF_vars(Next)

P0 == ((c = 1) ~> (b = 2))
P1 == <>((b = 1) /\ [](c = 0))
====
