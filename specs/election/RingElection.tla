---------------------------- MODULE RingElection ----------------------------
(***************************************************************************)
(* The Chang-Roberts ring election as packages/election's RingNode runs    *)
(* it: ChangRoberts.tla's algorithm plus what a node needs to survive      *)
(* crashes.                                                                *)
(*                                                                         *)
(* Every ring message is acknowledged (Ack names the message it            *)
(* acknowledges). A node whose successor does not acknowledge in time      *)
(* suspects it and sends everything unacknowledged to the next successor   *)
(* it does not suspect, so the ring closes over dead nodes. Hearing from a *)
(* node, or a ring message carrying its id, clears the suspicion of it,    *)
(* and news of a leader (Elected) clears every suspicion: a node that came *)
(* back is heard of by the nodes behind it on the ring only through        *)
(* others, and without this its Election circles them, or the news of the  *)
(* leader passes it by, for good. A node that suspects every other node is *)
(* alone as far as it knows and leads itself.                              *)
(*                                                                         *)
(* The leader's heartbeat (Alive, to every other node) lets the others     *)
(* notice its crash: a node that is not the leader and misses it starts a  *)
(* new election (Watch); a node that hears a lower node's heartbeat starts *)
(* one too, so a higher node that comes back takes over. A node that       *)
(* restarts has forgotten everything and waits for a heartbeat or its      *)
(* watch.                                                                  *)
(*                                                                         *)
(* There is no synchrony: every timeout may fire at any time and any       *)
(* message may be lost, duplicated (a set) or reordered. This is the model *)
(* conformance holds RingNode to, action by action; the ring's promises    *)
(* (one leader, the highest) are ChangRoberts.tla's, checked on the crash- *)
(* free algorithm. The ring is the nodes in rank order (1, 2, ..., N and   *)
(* round again), RingNode's default.                                       *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANT N   \* nodes 1..N, ranked by number, on the ring in that order

Node == 1 .. N
Nil == 0

VARIABLES
    up,           \* up[i]: i runs
    participant,  \* participant[i]: i takes part in the election under way
    leader,       \* leader[i]: the leader i knows of (Nil: none)
    suspected,    \* suspected[i]: the nodes i believes crashed (it skips them)
    unacked,      \* unacked[i]: ring messages i sent and no Ack came for: [to, type, val]
    hb,           \* hb[i]: i's heartbeat timer is armed
    msgs          \* messages in flight: [type, val, from, to]

vars == <<up, participant, leader, suspected, unacked, hb, msgs>>

\* The k-th successor of i on the ring (k in 1..N-1).
Succ(i, k) == ((i - 1 + k) % N) + 1

\* The first successor of i not in sus (Nil: i suspects every other node).
FirstLive(i, sus) ==
    IF \A k \in 1 .. N - 1 : Succ(i, k) \in sus THEN Nil
    ELSE Succ(i, CHOOSE k \in 1 .. N - 1 : Succ(i, k) \notin sus /\ \A l \in 1 .. k - 1 : Succ(i, l) \in sus)

Msg(t, v, f, d) == [type |-> t, val |-> v, from |-> f, to |-> d]
Payload(t, v) == [type |-> t, val |-> v]

\* A node's state while it takes a step, with the messages it sends (`out`).
Local(i) == [part |-> participant[i], lead |-> leader[i], unacked |-> unacked[i], hb |-> hb[i], out |-> {}]

\* i forwards payload p from local state s: to its first successor not in sus, remembering it
\* until acknowledged; alone, its own candidacy comes round at once (anyone's Election becomes
\* its own, which it wins) and news of another leader has nobody to go to.
Fwd(i, sus, p, s) ==
    LET to == FirstLive(i, sus) IN
    IF to # Nil
      THEN [s EXCEPT !.unacked = @ \cup {[to |-> to, type |-> p.type, val |-> p.val]},
                     !.out = @ \cup {Msg(p.type, p.val, i, to)}]
    ELSE IF p.type = "Election" \/ p.val = i
      THEN [s EXCEPT !.part = FALSE, !.lead = i, !.hb = TRUE]
    ELSE s

\* i handles ring message p (Chang-Roberts), from local state s.
RingMsg(i, sus, p, s) ==
    IF p.type = "Elected"
      THEN IF p.val = i THEN [s EXCEPT !.part = FALSE, !.lead = i, !.hb = TRUE]
           ELSE Fwd(i, sus, p, [s EXCEPT !.part = FALSE, !.lead = p.val])
    ELSE IF p.val > i THEN Fwd(i, sus, p, [s EXCEPT !.part = TRUE])
    ELSE IF p.val < i
      THEN IF s.part THEN s ELSE Fwd(i, sus, Payload("Election", i), [s EXCEPT !.part = TRUE])
    ELSE Fwd(i, sus, Payload("Elected", i), [s EXCEPT !.part = FALSE, !.lead = i])

\* i's new state is s, with suspicions sus, having consumed the messages `gone`.
Commit(i, s, sus, gone) ==
    /\ participant' = [participant EXCEPT ![i] = s.part]
    /\ leader' = [leader EXCEPT ![i] = s.lead]
    /\ unacked' = [unacked EXCEPT ![i] = s.unacked]
    /\ hb' = [hb EXCEPT ![i] = s.hb]
    /\ suspected' = [suspected EXCEPT ![i] = sus]
    /\ msgs' = (msgs \ gone) \cup s.out

Init ==
    /\ up = [i \in Node |-> TRUE]
    /\ participant = [i \in Node |-> FALSE]
    /\ leader = [i \in Node |-> Nil]
    /\ suspected = [i \in Node |-> {}]
    /\ unacked = [i \in Node |-> {}]
    /\ hb = [i \in Node |-> FALSE]
    /\ msgs = {}

---------------------------------------------------------------------------

\* i starts an election (its heartbeat stops), with suspicions sus.
StartElection(i, sus) ==
    Fwd(i, sus, Payload("Election", i), [Local(i) EXCEPT !.part = TRUE, !.lead = Nil, !.hb = FALSE])

\* i's watch fires (no heartbeat from a leader): unless it leads, it starts an election.
Watch(i) ==
    /\ up[i] /\ leader[i] # i
    /\ Commit(i, StartElection(i, suspected[i]), suspected[i], {})
    /\ UNCHANGED up

\* i receives ring message (t, v) from j: it acknowledges it, stops suspecting j and v (alive
\* when it sent the message) or, for news of a leader, anyone, and handles it.
HandleRing(i, j, t, v) ==
    LET m == Msg(t, v, j, i)
        sus == IF t = "Elected" THEN {} ELSE suspected[i] \ {j, v}
        s == [Local(i) EXCEPT !.out = {Msg(IF t = "Election" THEN "AckElection" ELSE "AckElected", v, i, j)}]
    IN /\ up[i] /\ m \in msgs
       /\ Commit(i, RingMsg(i, sus, Payload(t, v), s), sus, {m})
       /\ UNCHANGED up

\* i receives j's acknowledgement of ring message (t, v): it no longer waits for it.
HandleAck(i, j, t, v) ==
    LET m == Msg(IF t = "Election" THEN "AckElection" ELSE "AckElected", v, j, i) IN
    /\ up[i] /\ m \in msgs
    /\ unacked' = [unacked EXCEPT ![i] = @ \ {[to |-> j, type |-> t, val |-> v]}]
    /\ suspected' = [suspected EXCEPT ![i] = @ \ {j}]
    /\ msgs' = msgs \ {m}
    /\ UNCHANGED <<up, participant, leader, hb>>

\* i's acknowledgement timeout: it suspects every successor that owes an Ack and sends what they
\* owe to its first successor left (or, alone, handles it as Fwd says).
AckTimeout(i) ==
    /\ up[i] /\ unacked[i] # {}
    /\ LET sus == suspected[i] \cup {u.to : u \in unacked[i]}
           to == FirstLive(i, sus)
           s == [Local(i) EXCEPT !.unacked = {}]
       IN Commit(i,
                 IF to # Nil
                   THEN [s EXCEPT !.unacked = {[to |-> to, type |-> u.type, val |-> u.val] : u \in unacked[i]},
                                  !.out = {Msg(u.type, u.val, i, to) : u \in unacked[i]}]
                 ELSE IF \E u \in unacked[i] : u.type = "Election" \/ u.val = i
                   THEN [s EXCEPT !.part = FALSE, !.lead = i, !.hb = TRUE]
                 ELSE s,
                 sus, {})
    /\ UNCHANGED up

\* i's heartbeat timer fires: a leader sends Alive to every other node and re-arms it; a node
\* that no longer leads lets it lapse.
Heartbeat(i) ==
    /\ up[i] /\ hb[i]
    /\ IF leader[i] = i
         THEN /\ msgs' = msgs \cup {Msg("Alive", Nil, i, k) : k \in Node \ {i}}
              /\ UNCHANGED hb
         ELSE /\ hb' = [hb EXCEPT ![i] = FALSE]
              /\ UNCHANGED msgs
    /\ UNCHANGED <<up, participant, leader, suspected, unacked>>

\* i hears j's heartbeat and stops suspecting j. A lower j claims to lead while i lives: unless i
\* leads or takes part in an election already, it starts one (a higher node that came back takes
\* over). Otherwise i follows j, unless it knows a higher leader or takes part in an election j
\* is not the leader of.
HandleAlive(i, j) ==
    LET m == Msg("Alive", Nil, j, i)
        sus == suspected[i] \ {j}
    IN /\ up[i] /\ m \in msgs
       /\ IF j < i /\ ~participant[i] /\ leader[i] # i
            THEN Commit(i, StartElection(i, sus), sus, {m})
            ELSE /\ suspected' = [suspected EXCEPT ![i] = sus]
                 /\ msgs' = msgs \ {m}
                 /\ leader' = IF (leader[i] # Nil /\ j < leader[i]) \/ (participant[i] /\ leader[i] # j)
                                THEN leader ELSE [leader EXCEPT ![i] = j]
                 /\ UNCHANGED <<participant, unacked, hb>>
       /\ UNCHANGED up

\* i crashes: it forgets everything, and the messages to it are lost.
Crash(i) ==
    /\ up[i]
    /\ up' = [up EXCEPT ![i] = FALSE]
    /\ participant' = [participant EXCEPT ![i] = FALSE]
    /\ leader' = [leader EXCEPT ![i] = Nil]
    /\ suspected' = [suspected EXCEPT ![i] = {}]
    /\ unacked' = [unacked EXCEPT ![i] = {}]
    /\ hb' = [hb EXCEPT ![i] = FALSE]
    /\ msgs' = {m \in msgs : m.to # i}

\* i comes back, knowing nothing, and waits for a heartbeat or its watch.
Recover(i) ==
    /\ ~up[i]
    /\ up' = [up EXCEPT ![i] = TRUE]
    /\ UNCHANGED <<participant, leader, suspected, unacked, hb, msgs>>

\* A message is lost.
LoseMessage(m) ==
    /\ m \in msgs
    /\ msgs' = msgs \ {m}
    /\ UNCHANGED <<up, participant, leader, suspected, unacked, hb>>

Next ==
    \/ \E i \in Node : Watch(i) \/ AckTimeout(i) \/ Heartbeat(i) \/ Crash(i) \/ Recover(i)
    \/ \E i, j \in Node, t \in {"Election", "Elected"}, v \in Node : HandleRing(i, j, t, v) \/ HandleAck(i, j, t, v)
    \/ \E i, j \in Node : HandleAlive(i, j)
    \/ \E m \in msgs : LoseMessage(m)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

RingMsgs == [type : {"Election", "Elected", "AckElection", "AckElected"}, val : Node, from : Node, to : Node]
AliveMsgs == [type : {"Alive"}, val : {Nil}, from : Node, to : Node]

TypeOK ==
    /\ up \in [Node -> BOOLEAN]
    /\ participant \in [Node -> BOOLEAN]
    /\ leader \in [Node -> Node \cup {Nil}]
    /\ suspected \in [Node -> SUBSET Node]
    /\ unacked \in [Node -> SUBSET [to : Node, type : {"Election", "Elected"}, val : Node]]
    /\ hb \in [Node -> BOOLEAN]
    /\ msgs \subseteq RingMsgs \cup AliveMsgs

\* A node never sends to, suspects or waits on itself.
NeverItself ==
    \A i \in Node : /\ i \notin suspected[i]
                    /\ \A u \in unacked[i] : u.to # i
                    /\ \A m \in msgs : m.from # m.to

\* A node waits for an Ack only from a node it does not suspect (a suspected successor's debts
\* have gone to the next one).
WaitsOnlyOnTrusted ==
    \A i \in Node : \A u \in unacked[i] : u.to \notin suspected[i]
=============================================================================
