------------------------------- MODULE Mixed -------------------------------
(* A counter that reads its increment from a message field. One message     *)
(* carries a string, and adding it to a number is an evaluation error.       *)
EXTENDS Naturals

VARIABLES total, inbox

Len(s) == CHOOSE n \in 0..10 : DOMAIN s = 1..n

Init == total = 0 /\ inbox = <<[amount |-> 1], [amount |-> 2], [amount |-> "a"]>>

Take(i) ==
  /\ i \in DOMAIN inbox
  /\ total' = total + inbox[i].amount
  /\ inbox' = [j \in 1..(Len(inbox) - 1) |-> IF j < i THEN inbox[j] ELSE inbox[j + 1]]

Next == Take(1)
=============================================================================
