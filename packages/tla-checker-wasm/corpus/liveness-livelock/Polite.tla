------------------------------- MODULE Polite -------------------------------
(* Two over-polite processes: each raises its flag, and backs off (lowers  *)
(* it and starts again) when it sees the other's flag raised. Both can     *)
(* raise, both see the other and both back off, forever: a livelock that   *)
(* every fairness condition allows. A process that gets in leaves for good *)
(* ("done"), lowering its flag.                                            *)
EXTENDS Naturals

VARIABLES pc, flag
vars == <<pc, flag>>

Procs == {0, 1}
Other(p) == 1 - p

Init ==
  /\ pc = [p \in Procs |-> "idle"]
  /\ flag = [p \in Procs |-> FALSE]

Raise(p) ==
  /\ pc[p] = "idle"
  /\ flag' = [flag EXCEPT ![p] = TRUE]
  /\ pc' = [pc EXCEPT ![p] = "check"]

Check(p) ==
  /\ pc[p] = "check"
  /\ pc' = [pc EXCEPT ![p] = IF flag[Other(p)] THEN "back" ELSE "cs"]
  /\ UNCHANGED flag

Back(p) ==
  /\ pc[p] = "back"
  /\ flag' = [flag EXCEPT ![p] = FALSE]
  /\ pc' = [pc EXCEPT ![p] = "idle"]

Leave(p) ==
  /\ pc[p] = "cs"
  /\ flag' = [flag EXCEPT ![p] = FALSE]
  /\ pc' = [pc EXCEPT ![p] = "done"]

Proc(p) == Raise(p) \/ Check(p) \/ Back(p) \/ Leave(p)

Next == \E p \in Procs : Proc(p)

\* Weak fairness per process.
Spec == Init /\ [][Next]_vars /\ \A p \in Procs : WF_vars(Proc(p))

\* Strong fairness per process: the livelock survives it too (no action stays disabled).
SpecSF == Init /\ [][Next]_vars /\ \A p \in Procs : SF_vars(Proc(p))

\* Only Check and Leave are fair: a process may stay idle forever.
SpecPartial == Init /\ [][Next]_vars /\ \A p \in Procs : WF_vars(Check(p)) /\ WF_vars(Leave(p))

InCS(p) == pc[p] = "cs"
Done(p) == pc[p] = "done"

\* Somebody eventually gets in: violated by the livelock.
SomeoneEnters == <>(\E p \in Procs : InCS(p))
\* Once done, done forever: nested [] (holds).
StaysDone == \A p \in Procs : [](Done(p) => []Done(p))
\* A raised flag stays raised: nested [] (violated: Back lowers it).
FlagStays == [](flag[0] => []flag[0])
\* If the processes eventually stop backing off forever, someone finishes:
\* <>[] on the left, []<> on the right (no tableau).
Settles == <>[](\A p \in Procs : pc[p] # "back") => []<>(\E p \in Procs : Done(p))
\* The livelock spelt as a temporal negation: it is not the case that both
\* back off infinitely often (violated).
NotBothBack == ~([]<>(pc[0] = "back") /\ []<>(pc[1] = "back"))
\* Eventually some process is done and stays done: <>(P /\ []Q) (violated).
EventuallyFinished == <>(Done(0) /\ [](Done(0) \/ Done(1)))
\* Each process either finishes or keeps trying forever: []<>P \/ <>[]Q per process (holds).
TriesOrDone == \A p \in Procs : []<>(pc[p] = "check") \/ <>[]Done(p)
=============================================================================
