------------------------------ MODULE Bakery ------------------------------
(* A bounded version of Lamport's bakery algorithm: tickets are capped at   *)
(* MaxTicket and a process that would exceed it waits. Each step reads or   *)
(* writes one shared register, as in the original.                          *)
EXTENDS Naturals

CONSTANTS N, MaxTicket

VARIABLES num, choosing, pc, max, unread
vars == <<num, choosing, pc, max, unread>>

Procs == 1..N

\* Ticket order: by number, ties broken by process id.
Before(i, j) == \/ num[i] < num[j]
                \/ num[i] = num[j] /\ i < j

Init ==
  /\ num = [p \in Procs |-> 0]
  /\ choosing = [p \in Procs |-> FALSE]
  /\ pc = [p \in Procs |-> "ncs"]
  /\ max = [p \in Procs |-> 0]
  /\ unread = [p \in Procs |-> {}]

Start(p) ==
  /\ pc[p] = "ncs"
  /\ choosing' = [choosing EXCEPT ![p] = TRUE]
  /\ max' = [max EXCEPT ![p] = 0]
  /\ unread' = [unread EXCEPT ![p] = Procs \ {p}]
  /\ pc' = [pc EXCEPT ![p] = "scan"]
  /\ UNCHANGED num

Scan(p) ==
  /\ pc[p] = "scan"
  /\ IF unread[p] = {}
       THEN IF max[p] < MaxTicket
              THEN /\ num' = [num EXCEPT ![p] = max[p] + 1]
                   /\ pc' = [pc EXCEPT ![p] = "chosen"]
                   /\ UNCHANGED <<max, unread, choosing>>
              ELSE \* out of tickets: give up and try again later
                   /\ choosing' = [choosing EXCEPT ![p] = FALSE]
                   /\ pc' = [pc EXCEPT ![p] = "ncs"]
                   /\ UNCHANGED <<num, max, unread>>
       ELSE \E q \in unread[p] :
              /\ max' = [max EXCEPT ![p] = IF num[q] > @ THEN num[q] ELSE @]
              /\ unread' = [unread EXCEPT ![p] = @ \ {q}]
              /\ UNCHANGED <<num, pc, choosing>>

Chosen(p) ==
  /\ pc[p] = "chosen"
  /\ choosing' = [choosing EXCEPT ![p] = FALSE]
  /\ unread' = [unread EXCEPT ![p] = Procs \ {p}]
  /\ pc' = [pc EXCEPT ![p] = "wait"]
  /\ UNCHANGED <<num, max>>

Wait(p) ==
  /\ pc[p] = "wait"
  /\ IF unread[p] = {}
       THEN /\ pc' = [pc EXCEPT ![p] = "cs"]
            /\ UNCHANGED unread
       ELSE \E q \in unread[p] :
              /\ ~choosing[q]
              /\ num[q] = 0 \/ Before(p, q)
              /\ unread' = [unread EXCEPT ![p] = @ \ {q}]
              /\ UNCHANGED pc
  /\ UNCHANGED <<num, choosing, max>>

Exit(p) ==
  /\ pc[p] = "cs"
  /\ num' = [num EXCEPT ![p] = 0]
  /\ pc' = [pc EXCEPT ![p] = "ncs"]
  /\ UNCHANGED <<choosing, max, unread>>

Next == \E p \in Procs :
          Start(p) \/ Scan(p) \/ Chosen(p) \/ Wait(p) \/ Exit(p)

Spec == Init /\ [][Next]_vars

TypeOK ==
  /\ num \in [Procs -> 0..MaxTicket]
  /\ choosing \in [Procs -> BOOLEAN]
  /\ pc \in [Procs -> {"ncs", "scan", "chosen", "wait", "cs"}]
  /\ max \in [Procs -> 0..MaxTicket]
  /\ unread \in [Procs -> SUBSET Procs]

MutualExclusion == \A p, q \in Procs : p # q => ~(pc[p] = "cs" /\ pc[q] = "cs")
=============================================================================
