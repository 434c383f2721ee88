------------------------------ MODULE Queue ------------------------------
(* The abstract spec: a bounded FIFO queue whose items are eventually     *)
(* dequeued.                                                              *)
EXTENDS Naturals, Sequences
CONSTANTS Msgs, N
VARIABLE q

TypeOK == q \in Seq(Msgs) /\ Len(q) <= N
Init == q = <<>>
Enq(m) == Len(q) < N /\ q' = Append(q, m)
Deq == q # <<>> /\ q' = Tail(q)
Next == (\E m \in Msgs : Enq(m)) \/ Deq
Spec == Init /\ [][Next]_q /\ []TypeOK /\ WF_q(Deq)
==========================================================================
