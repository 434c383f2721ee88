------------------------------- MODULE Cycle -------------------------------
(* A counter b that Inc(k) advances 0 -> 1 -> 2 and Copy resets to c, which  *)
(* Shrink may lower to 0. The property claims b cannot keep changing forever *)
(* (the negation of "every value of b is left again"); the counterexample    *)
(* cycles 0 -> 1 -> 2 -> 0. TLC prints it oddly: its last state equals an   *)
(* earlier one (the cycle's first state) and TLC then writes                 *)
(* "State m: Stuttering" with m <= the trace's length, meaning the behaviour *)
(* goes on with state m, not that it stutters. (Found by the random          *)
(* liveness differential test.)                                              *)
EXTENDS Naturals

VARIABLES a, b, c
vars == <<a, b, c>>

Init == a = FALSE /\ b = 0 /\ c = 2

Copy ==
  /\ a' = TRUE
  /\ b' = c
  /\ UNCHANGED c

Flip ==
  /\ ~a /\ c = 2
  /\ a' = ~a
  /\ b' \in {0, b}
  /\ UNCHANGED c

Shrink ==
  /\ UNCHANGED <<a, b>>
  /\ c' \in {0, c}

Inc(k) == b = k /\ b' = (k + 1) % 3 /\ UNCHANGED <<a, c>>

Next == Copy \/ Flip \/ Shrink \/ \E k \in 0..2 : Inc(k)

Spec == Init /\ [][Next]_vars /\ WF_vars(Copy) /\ WF_vars(Flip) /\ \A k \in 0..2 : SF_vars(Inc(k))

NeverSettles == \A k \in 0..2 : b = k ~> b # k
Settles == ~NeverSettles
=============================================================================
