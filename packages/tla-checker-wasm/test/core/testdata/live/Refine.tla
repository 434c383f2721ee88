---- MODULE Refine ----
\* Temporal properties reached through an instance (Abs) and LET; see record.sh.
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = (x + 1) % 4
Spec == Init /\ [][Next]_x /\ WF_x(Next)
A == INSTANCE Abs WITH y <- x % 2
Prop1 == A!Fair
Prop2 == A!Live
Prop3 == \A a \in {0, 1} : A!Lt(a)
Prop4 == LET L == <>(x = 3) IN L /\ []L
====
