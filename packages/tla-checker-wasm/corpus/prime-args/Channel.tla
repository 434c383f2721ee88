-------------------------------- MODULE Channel --------------------------------
(* A channel whose send operation is a constant operator: Send(v, old, new) is
   the relation between the channel's value before and after v is sent. The
   caller passes the channel and its primed value (`Send(v, chan, chan')`), so
   the operator substituted for Send assigns chan' through its parameter. *)
EXTENDS Naturals

CONSTANTS Values, Send(_, _, _)

VARIABLES chan, sent

Init == chan = 0 /\ sent = 0

\* A value is put on the channel.
Put(v) ==
  /\ sent < 3
  /\ Send(v, chan, chan')
  /\ sent' = sent + 1

Next == \E v \in Values : Put(v)

TypeOK == sent \in 0..3
================================================================================
