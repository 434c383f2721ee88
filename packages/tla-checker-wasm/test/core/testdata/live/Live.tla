---- MODULE Live ----
\* Properties whose normal form (solutions, checks, tableau) is compared with TLC's; see record.sh.
EXTENDS Naturals
CONSTANT Procs
VARIABLES x, pc
vars == <<x, pc>>
Init == x = 0 /\ pc = [p \in Procs |-> 0]
A == x < 2 /\ x' = x + 1 /\ UNCHANGED pc
B == x = 2 /\ x' = 0 /\ UNCHANGED pc
Step(p) == pc[p] < 2 /\ pc' = [pc EXCEPT ![p] = @ + 1] /\ UNCHANGED x
Next == A \/ B \/ \E p \in Procs : Step(p)
Spec == Init /\ [][Next]_vars /\ WF_vars(A) /\ SF_vars(B)
SpecProcs == Init /\ [][Next]_vars /\ \A p \in Procs : WF_vars(Step(p))
SpecMixed == Init /\ [][Next]_vars /\ WF_vars(A) /\ \A p \in Procs : SF_vars(Step(p))
Unfair == Init /\ [][Next]_vars

LeadsTo == (x = 1) ~> (x = 2)
InfOften == []<>(x = 0)
EvAlways == <>[](x = 0)
Ev == <>(x = 2)
EvAlways1 == <>[](x = 1)
InfSteps == []<><<A>>_vars
Implication == <>[](x = 0) => []<>(x = 1)
NestedBox == [](x = 1 => [](x > 0))
EvAndAlways == <>(x = 1 /\ [](x > 0))
DisjTemporal == []<>(x = 0) \/ <>[](x = 1)
NotTemporal == ~[]<>(x = 0)
NotLeadsTo == ~((x = 1) ~> (x = 2))
Procs1 == \A p \in Procs : (pc[p] = 0) ~> (pc[p] = 2)
Procs2 == \A p \in Procs : <>(pc[p] = 2)
FairProp == WF_vars(A)
StrongProp == SF_vars(B)
EnabledProp == []<>(ENABLED A)
IfTemporal == IF x = 0 THEN <>(x = 1) ELSE <>(x = 0)
NestedEv == [](x = 0 => <>[](x = 1))
EvTrue == <>TRUE
LeadsToEv == (x = 1) ~> <>(x = 2)
Chain == <>(x = 1 /\ <>(x = 2 /\ <>(x = 0)))
Trivial == <>[]TRUE => TRUE
TrivialFalse == <>[]TRUE => FALSE
ActionBox == [](x = 0 => [][A]_vars)
ActionEv == <><<A>>_vars
====
