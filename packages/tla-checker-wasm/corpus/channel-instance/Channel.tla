------------------------------ MODULE Channel ------------------------------
(* A bounded FIFO channel of Data, as an operator library over one variable. *)
EXTENDS Naturals, Sequences

CONSTANTS Data, Capacity
VARIABLE chan

TypeOK == chan \in Seq(Data) /\ Len(chan) <= Capacity

Empty == chan = <<>>

Send(d) ==
  /\ Len(chan) < Capacity
  /\ chan' = Append(chan, d)

Receive(d) ==
  /\ chan # <<>>
  /\ d = Head(chan)
  /\ chan' = Tail(chan)
=============================================================================
