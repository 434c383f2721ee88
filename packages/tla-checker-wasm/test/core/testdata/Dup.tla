---- MODULE Dup ----
EXTENDS Naturals
VARIABLES x, y
vars == <<x, y>>
Init == x \in {0, 1} /\ y = 0
Inc == x' = (x + 1) % 3 /\ UNCHANGED y
Same(i) == x' = x /\ y' = i
Next == \/ Inc
        \/ Inc
        \/ \E i \in {1, 2} : Same(i) \/ Same(i)
        \/ x' \in {0, 1, 1 + 1} /\ y' = y
        \/ IF x = 0 THEN x' = 2 /\ y' = y ELSE UNCHANGED vars
        \/ CASE x = 1 -> x' = 0 /\ UNCHANGED y [] OTHER -> FALSE
====
