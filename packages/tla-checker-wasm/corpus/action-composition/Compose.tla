--------------------------- MODULE Compose ---------------------------
\* Action composition A \cdot B: a step of B taken from a state A reaches. TLC counts the states
\* A reaches as generated too (TLC needs -Dtlc2.tool.impl.Tool.cdot=true to accept \cdot).
EXTENDS Naturals, TLC
VARIABLES x, y

ASSUME TLCGet("-Dtlc2.tool.impl.Tool.cdot") = "true"

Init == x = 0 /\ y = 0

\* Two ways to grow x; a normalisation that folds x above 3 into y.
Inc  == \/ x' = x + 1 /\ y' = y
        \/ x' = x + 2 /\ y' = y
Norm == IF x > 3 THEN x' = x - 3 /\ y' = (y + 1) % 5 ELSE UNCHANGED <<x, y>>
Bump == \E d \in {0, 1} : x' = x /\ y' = (y + d) % 5

Next == (Inc \cdot Norm) \/ (Bump \cdot Inc)

Bound == x < 12
\* Violated: Bump \cdot Inc reaches x = 5 from x = 3 before Norm folds it.
Small == x <= 4
=============================================================================
