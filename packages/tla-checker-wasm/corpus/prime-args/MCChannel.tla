------------------------------- MODULE MCChannel -------------------------------
(* Channel through an INSTANCE: its Send is this module's Send, which the cfg
   substitutes by MCSend (`Send <- MCSend`); Sum adds a value to a register
   given as old and new value, written only through its parameters. *)
EXTENDS Naturals

CONSTANTS Values, Send(_, _, _)

VARIABLES chan, sent, total

MCSend(v, old, new) == new = (old + v) % 4

\* Adds v to a register given as its value before and after.
Sum(v, old, new) == new = old + v

Ch == INSTANCE Channel

Init == Ch!Init /\ total = 0

\* Every value sent also adds to the total, through Sum's parameters.
Next == \E v \in Values : Ch!Put(v) /\ Sum(v, total, total')

\* The channel holds the total modulo 4.
ChanIsTotal == chan = total % 4

TotalSmall == total < 5
================================================================================
