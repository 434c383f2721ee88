------------------------------ MODULE Pipeline ------------------------------
(* A producer feeds a relay through channel `in`; the relay doubles each    *)
(* value and forwards it on `out`; a consumer sums what arrives. `In` is a  *)
(* plain instance, `Ch(c)` a parameterised one used for `out`.             *)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Items, Cap

VARIABLES in, out, next, sum

In == INSTANCE Channel WITH chan <- in, Data <- Items, Capacity <- Cap
Ch(c) == INSTANCE Channel WITH chan <- c, Data <- {2 * i : i \in Items}, Capacity <- 1

vars == <<in, out, next, sum>>

Init ==
  /\ in = <<>>
  /\ out = <<>>
  /\ next = 1
  /\ sum = 0

Produce ==
  /\ next \in Items
  /\ In!Send(next)
  /\ next' = next + 1
  /\ UNCHANGED <<out, sum>>

Relay ==
  \E d \in Items :
    /\ In!Receive(d)
    /\ Ch(out)!Send(2 * d)
    /\ UNCHANGED <<next, sum>>

Consume ==
  \E d \in {2 * i : i \in Items} :
    /\ Ch(out)!Receive(d)
    /\ sum' = sum + d
    /\ UNCHANGED <<in, next>>

Next == Produce \/ Relay \/ Consume

Spec == Init /\ [][Next]_vars

TypeOK == In!TypeOK /\ Ch(out)!TypeOK /\ next \in 1..(Cardinality(Items) + 1)

\* Everything produced and not yet in flight has been summed.
Inflight == LET s[q \in Seq(Nat)] == IF q = <<>> THEN 0 ELSE Head(q) + s[Tail(q)]
            IN 2 * s[in] + s[out]
SumCorrect == sum + Inflight = (next - 1) * next
=============================================================================
