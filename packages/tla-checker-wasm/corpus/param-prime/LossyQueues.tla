---------------------------- MODULE LossyQueues ----------------------------
(* Two queues share one "lose a message" operator that takes the queue as a *)
(* parameter and primes it: Lose(q) with q' = ..., applied as Lose(req) and *)
(* Lose(resp). Priming a parameter primes the variable it stands for.       *)
EXTENDS Naturals, Sequences

CONSTANT Max

VARIABLES req, resp, next

Init == req = <<>> /\ resp = <<>> /\ next = 1

\* Drop the i-th element of q, for some i.
Lose(q) ==
  /\ q # <<>>
  /\ \E i \in 1..Len(q) :
       q' = [j \in 1..(Len(q) - 1) |-> IF j < i THEN q[j] ELSE q[j + 1]]

\* Move the head of `from` to the end of `to`, doubled.
Forward(from, to) ==
  /\ from # <<>>
  /\ from' = Tail(from)
  /\ to' = Append(to, 2 * Head(from))

Send == next <= Max /\ req' = Append(req, next) /\ next' = next + 1 /\ UNCHANGED resp
Serve == Forward(req, resp) /\ UNCHANGED next
Consume == resp # <<>> /\ resp' = Tail(resp) /\ UNCHANGED <<req, next>>
LoseReq == Lose(req) /\ UNCHANGED <<resp, next>>
LoseResp == Lose(resp) /\ UNCHANGED <<req, next>>

Next == Send \/ Serve \/ Consume \/ LoseReq \/ LoseResp

\* Requests stay in order and replies are even.
Ordered == \A i \in 1..(Len(req) - 1) : req[i] < req[i + 1]
Even == \A i \in 1..Len(resp) : resp[i] % 2 = 0
=============================================================================
