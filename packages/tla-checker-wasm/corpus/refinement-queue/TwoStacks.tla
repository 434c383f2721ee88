---------------------------- MODULE TwoStacks ----------------------------
(* A queue kept as two stacks: items are pushed onto `back`; when `front` *)
(* is empty, `back` is flipped onto it. The queue is front \o the reverse *)
(* of back, which is the refinement mapping to Queue. A flip is a         *)
(* stuttering step of the abstract queue.                                 *)
EXTENDS Naturals, Sequences
CONSTANTS Msgs, N
VARIABLES front, back
vars == <<front, back>>

Reverse(s) == [i \in 1..Len(s) |-> s[Len(s) - i + 1]]
Init == front = <<>> /\ back = <<>>
Enq(m) == Len(front) + Len(back) < N /\ back' = <<m>> \o back /\ UNCHANGED front
Deq == front # <<>> /\ front' = Tail(front) /\ UNCHANGED back
Flip == front = <<>> /\ back # <<>> /\ front' = Reverse(back) /\ back' = <<>>
\* A wrong flip that forgets to reverse.
BadFlip == front = <<>> /\ back # <<>> /\ front' = back /\ back' = <<>>
Next == (\E m \in Msgs : Enq(m)) \/ Deq \/ Flip
Spec == Init /\ [][Next]_vars /\ WF_vars(Deq) /\ WF_vars(Flip)
\* Without fairness on Flip, items can stay on the back stack for ever.
LazySpec == Init /\ [][Next]_vars /\ WF_vars(Deq)
BadSpec == Init /\ [][(\E m \in Msgs : Enq(m)) \/ Deq \/ BadFlip]_vars /\ WF_vars(Deq) /\ WF_vars(BadFlip)

AQ == INSTANCE Queue WITH q <- front \o Reverse(back)
QueueSpec == AQ!Spec
==========================================================================
