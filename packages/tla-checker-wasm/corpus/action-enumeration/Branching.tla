----------------------------- MODULE Branching -----------------------------
(* How TLC turns an action into successor states, which decides the        *)
(* "states generated" figure. While some primed variable is still unknown, *)
(* TLC splits on every \/ and \E it meets, also inside the definitions an   *)
(* action uses, so a disjunction whose two sides both hold yields the same  *)
(* successor twice. Once every variable has its primed value, what is left  *)
(* is evaluated as an ordinary boolean. IF/CASE conditions never split.    *)
EXTENDS Naturals

VARIABLES x, y

Init == x = 0 /\ y = 0

\* A state predicate with two true disjuncts, used through a definition.
Both == x >= 0 \/ y >= 0
Either(v) == v >= 0 \/ v < 10

Guarded == x < 3 /\ Both /\ x' = x + 1 /\ y' = y
WithArg == x < 3 /\ Either(x) /\ x' = x + 1 /\ y' = y
Inline == x < 3 /\ (x >= 0 \/ y >= 0) /\ x' = x + 1 /\ y' = y
Late == x < 3 /\ x' = x + 1 /\ y' = y /\ (x >= 0 \/ y >= 0)
HalfLate == x < 3 /\ x' = x + 1 /\ (x >= 0 \/ y >= 0) /\ y' = y
ExistsLate == x < 3 /\ x' = x + 1 /\ y' = y /\ \E i \in {1, 2} : i > 0
ExistsEarly == x < 3 /\ (\E i \in {1, 2} : i > 0) /\ x' = x + 1 /\ y' = y
InIf == x < 3 /\ IF x >= 0 \/ y >= 0 THEN x' = x + 1 /\ y' = y ELSE FALSE
InLet == x < 3 /\ LET b == x >= 0 \/ y >= 0 IN b /\ x' = x + 1 /\ y' = y

\* A => B: when A holds, B is enumerated like an action (its \E splits);
\* when A is false there is one branch; the antecedent never splits.
Implies == x < 3 /\ ((x >= 0) => \E i \in {1, 2} : i > 0) /\ x' = x + 1 /\ y' = y
ImpliesFalse == x < 3 /\ ((x > 9) => \E i \in {1, 2} : i > 0) /\ x' = x + 1 /\ y' = y
Antecedent == x < 3 /\ ((\E i \in {1, 2} : i > 0) => x >= 0) /\ x' = x + 1 /\ y' = y
\* \A in an action: every binding is walked as an action, so each one splits.
ForallSplit == x < 3 /\ (\A i \in {1, 2} : i > 0 \/ x >= 0) /\ x' = x + 1 /\ y' = y

\* All of them in one Next, as actions of a bigger spec would be.
Mixed == Guarded \/ Late \/ ExistsEarly \/ (y < 2 /\ y' = y + 1 /\ x' = x)

Bounded == x <= 3
=============================================================================
