---------------------------- MODULE TicketLock ----------------------------
(* A bakery-style lock for N processes. To enter, a process draws a ticket *)
(* one larger than every ticket it sees, reading the others one at a time  *)
(* (so it can miss a concurrent draw), then waits until, for every other   *)
(* process, that process is not drawing and holds no smaller ticket (ties  *)
(* broken by process number). Tickets are bounded by MaxTicket.            *)
EXTENDS Naturals, FiniteSets

CONSTANTS N, MaxTicket

Procs == 1..N

VARIABLES pc, ticket, drawing, seen, maxSeen

vars == <<pc, ticket, drawing, seen, maxSeen>>

TypeOK ==
  /\ pc \in [Procs -> {"idle", "draw", "wait", "cs"}]
  /\ ticket \in [Procs -> 0..MaxTicket]
  /\ drawing \in [Procs -> BOOLEAN]
  /\ seen \in [Procs -> SUBSET Procs]
  /\ maxSeen \in [Procs -> 0..MaxTicket]

Init ==
  /\ pc = [p \in Procs |-> "idle"]
  /\ ticket = [p \in Procs |-> 0]
  /\ drawing = [p \in Procs |-> FALSE]
  /\ seen = [p \in Procs |-> {}]
  /\ maxSeen = [p \in Procs |-> 0]

StartDraw(p) ==
  /\ pc[p] = "idle"
  /\ pc' = [pc EXCEPT ![p] = "draw"]
  /\ drawing' = [drawing EXCEPT ![p] = TRUE]
  /\ seen' = [seen EXCEPT ![p] = {}]
  /\ maxSeen' = [maxSeen EXCEPT ![p] = 0]
  /\ UNCHANGED ticket

ReadTicket(p, q) ==
  /\ pc[p] = "draw"
  /\ q # p
  /\ q \notin seen[p]
  /\ seen' = [seen EXCEPT ![p] = @ \cup {q}]
  /\ maxSeen' = [maxSeen EXCEPT ![p] = IF ticket[q] > @ THEN ticket[q] ELSE @]
  /\ UNCHANGED <<pc, ticket, drawing>>

TakeTicket(p) ==
  /\ pc[p] = "draw"
  /\ seen[p] = Procs \ {p}
  /\ maxSeen[p] < MaxTicket
  /\ ticket' = [ticket EXCEPT ![p] = maxSeen[p] + 1]
  /\ drawing' = [drawing EXCEPT ![p] = FALSE]
  /\ pc' = [pc EXCEPT ![p] = "wait"]
  /\ UNCHANGED <<seen, maxSeen>>

Before(q, p) == ticket[q] # 0 /\ (ticket[q] < ticket[p] \/ (ticket[q] = ticket[p] /\ q < p))

Enter(p) ==
  /\ pc[p] = "wait"
  /\ \A q \in Procs \ {p} : ~drawing[q] /\ ~Before(q, p)
  /\ pc' = [pc EXCEPT ![p] = "cs"]
  /\ UNCHANGED <<ticket, drawing, seen, maxSeen>>

Exit(p) ==
  /\ pc[p] = "cs"
  /\ pc' = [pc EXCEPT ![p] = "idle"]
  /\ ticket' = [ticket EXCEPT ![p] = 0]
  /\ UNCHANGED <<drawing, seen, maxSeen>>

Next == \E p \in Procs :
          \/ StartDraw(p)
          \/ \E q \in Procs : ReadTicket(p, q)
          \/ TakeTicket(p)
          \/ Enter(p)
          \/ Exit(p)

MutualExclusion == \A p, q \in Procs : p # q => ~(pc[p] = "cs" /\ pc[q] = "cs")
=============================================================================
