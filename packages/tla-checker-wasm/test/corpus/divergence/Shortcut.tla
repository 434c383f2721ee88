------------------------------ MODULE Shortcut ------------------------------
(* A property every behaviour satisfies, which TLC 2.20 reports as violated. *)
(* Next is always enabled, so <>[](ENABLED Next) holds on every behaviour    *)
(* and with it the disjunction Prop. TLC's liveness checker stops at the    *)
(* first state where the tableau of the negation's <>(x = 0 /\ <>(x # 0))   *)
(* part is accepting, without checking the negation's []<>~ENABLED Next     *)
(* part (TLC's later sources require an empty error model for that          *)
(* shortcut). We answer that Prop holds.                                    *)
EXTENDS Naturals

VARIABLE x

Init == x = 0
Next == x' = (x + 1) % 3
Spec == Init /\ [][Next]_x

Prop == <>[](ENABLED Next) \/ [](x = 0 => [](x = 0))
\* The same tableau part alone is violated for real (x leaves 0): a finite trace there is right.
Stays == [](x = 0 => [](x = 0))

\* With Next weakly fair x cycles, so Cycles holds; the finite trace (x = 0, x = 1) TLC 2.20
\* reports is violated only by its stuttering extension, which is not fair.
SpecWF == Spec /\ WF_x(Next)
Cycles == [](x = 0 => [](x = 0)) \/ []<>(x = 2)
=============================================================================
