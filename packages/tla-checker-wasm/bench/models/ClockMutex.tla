---------------------------- MODULE ClockMutex ----------------------------
(* Mutual exclusion by logical clocks, after Lamport (1978), written for   *)
(* Synod's bench. Each process keeps a Lamport clock and a local copy of   *)
(* the request queue as a function from process to the timestamp of its   *)
(* pending request (0: none). Messages travel over per-pair FIFO channels. *)
(* A process enters when its own request is the oldest it knows of and it  *)
(* has heard something later from every other process. Clocks are bounded *)
(* by MaxClock through the constraint below.                               *)
EXTENDS Naturals, Sequences

CONSTANTS N, MaxClock

Procs == 1..N

VARIABLES clock, req, ack, chan, crit

vars == <<clock, req, ack, chan, crit>>

Msg == [kind : {"req", "ack", "rel"}, ts : Nat]

Init ==
  /\ clock = [p \in Procs |-> 1]
  /\ req = [p \in Procs |-> [q \in Procs |-> 0]]
  /\ ack = [p \in Procs |-> {}]
  /\ chan = [p \in Procs |-> [q \in Procs |-> <<>>]]
  /\ crit = {}

\* Send m from p to every other process.
Broadcast(p, m) == [q \in Procs |-> IF q = p THEN chan[p][q] ELSE Append(chan[p][q], m)]

\* Requesting is an event: it ticks the clock, and the request carries the new time.
Request(p) ==
  /\ req[p][p] = 0
  /\ clock' = [clock EXCEPT ![p] = @ + 1]
  /\ req' = [req EXCEPT ![p][p] = clock[p] + 1]
  /\ chan' = [chan EXCEPT ![p] = Broadcast(p, [kind |-> "req", ts |-> clock[p] + 1])]
  /\ ack' = [ack EXCEPT ![p] = {}]
  /\ UNCHANGED crit

\* p takes the oldest message q sent it.
Receive(p, q) ==
  /\ chan[q][p] # <<>>
  /\ LET m == Head(chan[q][p])
         c == (IF m.ts > clock[p] THEN m.ts ELSE clock[p]) + 1
     IN /\ clock' = [clock EXCEPT ![p] = c]
        /\ ack' = [ack EXCEPT ![p] = IF req[p][p] # 0 /\ m.ts > req[p][p] THEN @ \cup {q} ELSE @]
        /\ CASE m.kind = "req" ->
                  /\ req' = [req EXCEPT ![p][q] = m.ts]
                  /\ chan' = [chan EXCEPT ![q][p] = Tail(@), ![p][q] = Append(@, [kind |-> "ack", ts |-> c])]
             [] m.kind = "ack" ->
                  /\ req' = req
                  /\ chan' = [chan EXCEPT ![q][p] = Tail(@)]
             [] m.kind = "rel" ->
                  /\ req' = [req EXCEPT ![p][q] = 0]
                  /\ chan' = [chan EXCEPT ![q][p] = Tail(@)]
  /\ UNCHANGED crit

\* (ts, p) is before (ts2, q) in the total order of requests.
Older(ts, p, ts2, q) == ts < ts2 \/ (ts = ts2 /\ p < q)

Enter(p) ==
  /\ req[p][p] # 0
  /\ p \notin crit
  /\ ack[p] = Procs \ {p}
  /\ \A q \in Procs \ {p} : req[p][q] = 0 \/ Older(req[p][p], p, req[p][q], q)
  /\ crit' = crit \cup {p}
  /\ UNCHANGED <<clock, req, ack, chan>>

Exit(p) ==
  /\ p \in crit
  /\ crit' = crit \ {p}
  /\ req' = [req EXCEPT ![p][p] = 0]
  /\ chan' = [chan EXCEPT ![p] = Broadcast(p, [kind |-> "rel", ts |-> clock[p]])]
  /\ UNCHANGED <<clock, ack>>

Next == \E p \in Procs :
          \/ Request(p)
          \/ \E q \in Procs \ {p} : Receive(p, q)
          \/ Enter(p)
          \/ Exit(p)

ClockBound == \A p \in Procs : clock[p] <= MaxClock

MutualExclusion == \A p, q \in crit : p = q
=============================================================================
