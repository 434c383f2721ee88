-------------------------------- MODULE ABP --------------------------------
(* The alternating bit protocol over two lossy FIFO channels. The sender    *)
(* transmits <<bit, data>> until it sees an ack with that bit; the receiver  *)
(* delivers each new message once and acks the bit it last accepted.        *)
(* Channels can lose messages; a CONSTRAINT bounds their length.            *)
EXTENDS Naturals, Sequences

CONSTANTS Data, MaxLen

VARIABLES all, input, sBit, rBit, msgQ, ackQ, output
vars == <<all, input, sBit, rBit, msgQ, ackQ, output>>

Init ==
  /\ all \in [1..2 -> Data]
  /\ input = all
  /\ sBit = 0
  /\ rBit = 0
  /\ msgQ = <<>>
  /\ ackQ = <<>>
  /\ output = <<>>

\* s without its i-th element.
Remove(s, i) == [j \in 1..(Len(s) - 1) |-> IF j < i THEN s[j] ELSE s[j + 1]]

SendMsg ==
  /\ input # <<>>
  /\ msgQ' = Append(msgQ, <<sBit, Head(input)>>)
  /\ UNCHANGED <<all, input, sBit, rBit, ackQ, output>>

RcvAck ==
  /\ ackQ # <<>>
  /\ ackQ' = Tail(ackQ)
  /\ IF Head(ackQ) = sBit /\ input # <<>>
       THEN /\ sBit' = 1 - sBit
            /\ input' = Tail(input)
       ELSE UNCHANGED <<sBit, input>>
  /\ UNCHANGED <<all, rBit, msgQ, output>>

RcvMsg ==
  /\ msgQ # <<>>
  /\ msgQ' = Tail(msgQ)
  /\ LET m == Head(msgQ) IN
       IF m[1] = rBit
         THEN /\ output' = output \o <<m[2]>>
              /\ rBit' = 1 - rBit
              /\ ackQ' = Append(ackQ, m[1])
         ELSE /\ ackQ' = Append(ackQ, 1 - rBit)
              /\ UNCHANGED <<output, rBit>>
  /\ UNCHANGED <<all, input, sBit>>

LoseMsg ==
  /\ \E i \in 1..Len(msgQ) : msgQ' = Remove(msgQ, i)
  /\ UNCHANGED <<all, input, sBit, rBit, ackQ, output>>

LoseAck ==
  /\ \E i \in 1..Len(ackQ) : ackQ' = Remove(ackQ, i)
  /\ UNCHANGED <<all, input, sBit, rBit, msgQ, output>>

Next == SendMsg \/ RcvAck \/ RcvMsg \/ LoseMsg \/ LoseAck

Spec == Init /\ [][Next]_vars

Bounded == Len(msgQ) <= MaxLen /\ Len(ackQ) <= MaxLen

\* What was delivered is a prefix of what was to be sent, and the receiver
\* is never more than one message ahead of the sender.
Prefix == output = SubSeq(all, 1, Len(output))
InStep == Len(output) - (Len(all) - Len(input)) \in {0, 1}

\* Acks in flight acknowledge messages in order: with two messages the ack
\* queue is some 0s followed by some 1s, so its bit changes at most once.
Changes(q) == Len(SelectSeq([i \in 1..(Len(q) - 1) |-> q[i] # q[i + 1]], LAMBDA c : c))
AcksInOrder == Changes(ackQ) <= 1

TypeOK ==
  /\ input \in Seq(Data)
  /\ sBit \in {0, 1} /\ rBit \in {0, 1}
  /\ msgQ \in Seq({0, 1} \X Data)
  /\ ackQ \in Seq({0, 1})
  /\ output \in Seq(Data)
=============================================================================
