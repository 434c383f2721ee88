------------------------------- MODULE Blink -------------------------------
(* A counter modulo 4 with a lamp that may be toggled and a switch that     *)
(* may halt everything. Tick is weakly fair; Toggle and Halt are not. Each  *)
(* cfg checks one or more temporal formulas of a different shape.            *)
EXTENDS Naturals

VARIABLES x, on, halted
vars == <<x, on, halted>>

Init == x = 0 /\ on = FALSE /\ halted = FALSE

Tick == ~halted /\ x' = (x + 1) % 4 /\ UNCHANGED <<on, halted>>
Toggle == ~halted /\ on' = ~on /\ UNCHANGED <<x, halted>>
Halt == ~halted /\ x # 3 /\ halted' = TRUE /\ UNCHANGED <<x, on>>

\* May halt: once halted nothing moves (a terminal state; the cfgs turn deadlock off).
SpecHalt == Init /\ [][Tick \/ Toggle \/ Halt]_vars /\ WF_vars(Tick)
\* Never halts.
Spec == Init /\ [][Tick \/ Toggle]_vars /\ WF_vars(Tick)
\* Never halts, the lamp is strongly fair too.
SpecLamp == Spec /\ SF_vars(Toggle)

\* Shapes without a tableau ([]<>, <>[] and combinations of them).
ReachesThree == []<>(x = 3)
LampBlinks == []<>on
LampSettles == <>[]~on \/ []<>on
SettlesThenCounts == <>[]~on => []<>(x = 3)
NotForeverOff == ~<>[]~on
NotBlinking == ~[]<>on
TogglesOften == []<><<Toggle>>_vars

\* Shapes that need a tableau.
EventuallyThree == <>(x = 3)
OnThenStaysOn == <>(on /\ []on)
ThreeLeadsToZero == x = 3 ~> x = 0
HaltedForever == [](halted => []halted)
NeverTwoAfterOn == [](on => [](x # 2))
BothEventually == <>(x = 1) /\ <>(x = 2 /\ <>(x = 0))
\* Fairness written as a property.
ToggleFair == WF_vars(Toggle)
TickStrong == SF_vars(Tick)
=============================================================================
