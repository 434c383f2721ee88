------------------------------ MODULE DynamoMsg ------------------------------
(***************************************************************************)
(* Dynamo's quorum replication of one key at the granularity of single    *)
(* message deliveries, as packages/dynamo's node takes them: the spec     *)
(* trace validation holds the implementation to (Dynamo.tla, beside it,   *)
(* steps whole round trips and also models permanent failures; this one   *)
(* has strict or sloppy quorums, hinted handoff, Dynamo's asynchronous    *)
(* read repair, crashes and Merkle anti-entropy).                         *)
(*                                                                         *)
(* Sloppy quorums (Sloppy = TRUE). A coordinator that suspects owners     *)
(* sends a request to the first healthy nodes of the key's ring walk      *)
(* instead: a stand-in outside the preference list takes the place of an  *)
(* away owner, and the writes it is sent carry a hint naming that owner.  *)
(* It keeps them apart from its own replica (hints[s][o]), answers reads  *)
(* with them, hands them to the owner (Handoff) whenever it thinks the    *)
(* owner is back, and drops them once the owner acknowledges exactly what *)
(* it holds. A request whose targets stay silent is retargeted, once: its *)
(* silent targets, in ring order (Walk), are replaced by nodes outside the *)
(* targets, in ring order, each standing in for the owner the silent one  *)
(* was asked for. Suspicion is not modelled: which targets a request     *)
(* picks and which nodes a retarget picks are free choices, as some       *)
(* pattern of suspicion produces each of them.                            *)
(*                                                                         *)
(* Versions are the implementation's dotted version vectors: a sibling is *)
(* [node, counter, ctx] -- its dot (coordinator, that coordinator's       *)
(* counter) and the context its client read (a version vector, a function *)
(* Server -> Nat). A sibling supersedes exactly the siblings whose dots   *)
(* its context covers (Sync).                                              *)
(*                                                                         *)
(* Messages are a set, as in Lamport's Paxos: a message sent stays sent,  *)
(* so it may be delivered late, more than once, or never; its payload was *)
(* fixed when it was sent. A request's state lives at its coordinator    *)
(* (reqs[q], live until its timeout or its coordinator's restart); a     *)
(* crashed node simply takes no steps, and Restart forgets its requests. *)
(* Stores are durable.                                                    *)
(*                                                                         *)
(* CountTwice = TRUE is the broken coordinator that counts its own        *)
(* replica twice in every quorum (the implementation's countReplicaTwice).*)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANTS
    Server,      \* the nodes
    Owners,      \* the key's preference list (its N replicas), a subset of Server
    Walk,        \* the key's ring walk: a sequence of every server, the owners first
    Sloppy,      \* sloppy quorums with hinted handoff (else strict: only owners are asked)
    R, W,        \* read and write quorums
    CountTwice,  \* the broken coordinator
    MaxPuts,     \* bounds of the model: client writes,
    MaxGets      \*   client reads

VARIABLES
    store,  \* store[s]: the siblings s holds (durable)
    msgs,   \* every message sent
    reqs,   \* reqs[q]: request q as its coordinator runs it
    hints,  \* hints[s][o]: the siblings s keeps for away owner o (durable; {}: none)
    ever    \* ever[s]: the dot of every sibling s ever held (history, for SiblingsNeverDropped)

vars == <<store, msgs, reqs, hints, ever>>

---------------------------------------------------------------------------
(* Dotted version vectors *)

Max(S) == CHOOSE x \in S : \A y \in S : y <= x

Dot(x) == [node |-> x.node, counter |-> x.counter]
NoDot == [node |-> "none", counter |-> 0]

\* vv covers dot d: whoever holds vv had seen that write.
Covers(vv, d) == vv[d.node] >= d.counter

\* Merge two sibling sets: keep every sibling no sibling's context covers. (A sibling's own
\* context never covers its own dot: its counter is one past what its coordinator had seen.)
Sync(A, B) == LET U == A \cup B IN {x \in U : ~\E y \in U : Covers(y.ctx, x)}

\* The context a reader of S gets: every dot and every context in S, joined.
CtxOf(S) == [s \in Server |-> Max({0} \cup {x.ctx[s] : x \in S} \cup {x.counter : x \in {y \in S : y.node = s}})]

\* S reflects write d: d is a sibling of S or in the past of one.
Reflects(S, d) == Covers(CtxOf(S), d)

Zero == [s \in Server |-> 0]

---------------------------------------------------------------------------
(* Messages and requests *)

NoHint == "none"

\* s's store becomes st (ever remembers every dot it held).
SetStore(s, st) ==
    /\ store' = [store EXCEPT ![s] = st]
    /\ ever' = [ever EXCEPT ![s] = @ \cup {Dot(x) : x \in st}]

\* Every message has every field (req 0: no reply wanted; sibs, answer and hint where they mean
\* nothing: {}, FALSE and NoHint). A Replicate's hint names the owner its target stands in for.
HMsg(type, from, to, req, sibs, answer, hint) == [type |-> type, from |-> from, to |-> to, req |-> req, sibs |-> sibs, answer |-> answer, hint |-> hint]
Msg(type, from, to, req, sibs, answer) == HMsg(type, from, to, req, sibs, answer, NoHint)

\* What s answers a read with: its replica and every hint it keeps, merged.
Readable(s) == Sync(store[s], UNION {hints[s][o] : o \in Owners})

\* The owner target t of request rq stands in for (NoHint: t is asked for itself).
HintOf(rq, t) == IF \E p \in rq.stand : p.node = t THEN (CHOOSE p \in rq.stand : p.node = t).owner ELSE NoHint

\* s merges sibs into its replica, or into its hint for owner h.
MergeAt(s, h, sibs) ==
    IF h \in {NoHint, s}
    THEN /\ SetStore(s, Sync(store[s], sibs))
         /\ UNCHANGED hints
    ELSE /\ hints' = [hints EXCEPT ![s][h] = Sync(@, sibs)]
         /\ UNCHANGED <<store, ever>>

\* The target sets a request may pick (with stand-ins only when sloppy; its coordinator among them).
Placements == IF Sloppy THEN {T \in SUBSET Server : Cardinality(T) <= Cardinality(Owners)} ELSE {Owners}

\* Ring order: Pos(s) is s's place in the key's walk, Nth(S, i) the i-th of S in that order.
Pos(s) == CHOOSE i \in 1..Len(Walk) : Walk[i] = s
Nth(S, i) == CHOOSE x \in S : Cardinality({y \in S : Pos(y) < Pos(x)}) = i - 1

\* Which stand-in replaces which away owner: the stand-ins in ring order take the away owners in ring order.
Stand(T) == {[node |-> Nth(T \ Owners, i), owner |-> Nth(Owners \ T, i)] : i \in 1..Cardinality(T \ Owners)}

\* Targets that answered anything (the coordinator counts as heard).
Heard(rq) == IF rq.kind = "put" THEN rq.acks \cup {rq.coord} ELSE {x.from : x \in rq.replies} \cup {rq.coord}

\* How many replicas a set of answers counts for (the broken coordinator counts itself twice).
Count(c, S) == Cardinality(S) + (IF CountTwice /\ c \in S THEN 1 ELSE 0)

Puts == {q \in DOMAIN reqs : reqs[q].kind = "put"}
Gets == {q \in DOMAIN reqs : reqs[q].kind = "get"}

\* The writes acknowledged to their clients.
Acked == {reqs[q].dot : q \in {p \in Puts : reqs[p].done}}

\* The contexts clients can write with: none (a blind write), or one a finished read returned.
Contexts == {Zero} \cup {CtxOf(reqs[q].result) : q \in {p \in Gets : reqs[p].done}}

Init ==
    /\ store = [s \in Server |-> {}]
    /\ msgs = {}
    /\ reqs = <<>>
    /\ hints = [s \in Server |-> [o \in Owners |-> {}]]
    /\ ever = [s \in Server |-> {}]

---------------------------------------------------------------------------
(* Writes *)

\* Coordinator c takes a client's write over context ctx, sending it to targets T: it stores the
\* new sibling (its dot one past the highest counter of c it or the context knows) in its replica,
\* or in its hint when it stands in for an owner, then sends all it holds of the key to the other
\* targets (each with its hint); with W = 1 the client is answered at once.
Put(c, ctx, T) ==
    /\ c \in T
    /\ Cardinality(Puts) < MaxPuts
    /\ ctx \in Contexts
    /\ LET new == [node |-> c, counter |-> Max({CtxOf(Readable(c))[c], ctx[c]}) + 1, ctx |-> ctx]
           st == Sync(Readable(c), {new})
           q == Len(reqs) + 1
           rq == [coord |-> c, kind |-> "put", targets |-> T, stand |-> Stand(T), retargeted |-> FALSE, dot |-> Dot(new), write |-> {new}, acks |-> {c}, replies |-> {},
                  result |-> {}, done |-> Count(c, {c}) >= W, live |-> TRUE, seen |-> {}]
       IN /\ MergeAt(c, HintOf(rq, c), st)
          /\ reqs' = Append(reqs, rq)
          /\ msgs' = msgs \cup {HMsg("Replicate", c, t, q, st, FALSE, HintOf(rq, t)) : t \in T \ {c}}

\* A replica merges what it is sent (a write's state, or a read's repair) and acknowledges a write.
HandleReplicate(m) ==
    /\ m \in msgs
    /\ m.type = "Replicate"
    /\ m.hint \in {NoHint, m.to}
    /\ MergeAt(m.to, NoHint, m.sibs)
    /\ msgs' = IF m.req = 0 THEN msgs ELSE msgs \cup {Msg("Ack", m.to, m.from, m.req, {}, FALSE)}
    /\ UNCHANGED reqs

\* A stand-in merges what it is sent into its hint for the owner the message names, and
\* acknowledges a write as a replica would.
ReplicateAsHint(m) ==
    /\ m \in msgs
    /\ m.type = "Replicate"
    /\ m.hint \notin {NoHint, m.to}
    /\ MergeAt(m.to, m.hint, m.sibs)
    /\ msgs' = IF m.req = 0 THEN msgs ELSE msgs \cup {Msg("Ack", m.to, m.from, m.req, {}, FALSE)}
    /\ UNCHANGED reqs

\* The coordinator of a write it still runs counts an acknowledgement; the client is answered at W.
HandleAck(m) ==
    /\ m \in msgs
    /\ m.type = "Ack"
    /\ reqs[m.req].live
    /\ reqs[m.req].kind = "put"
    /\ LET acks == reqs[m.req].acks \cup {m.from}
       IN reqs' = [reqs EXCEPT ![m.req].acks = acks, ![m.req].done = @ \/ Count(reqs[m.req].coord, acks) >= W]
    /\ UNCHANGED <<store, msgs, hints, ever>>

---------------------------------------------------------------------------
(* Reads *)

\* Read request rq (number q of the sequence base) after a reply: once the replies count R it
\* finishes with their merge; the coordinator repairs its own replica (or hint) at once and sends
\* the merge to every other target that answered with something else (read repair, with the
\* target's hint). `out` is msgs with what the step sent.
ReadStep(base, q, rq, out) ==
    IF ~rq.done /\ Count(rq.coord, {x.from : x \in rq.replies}) >= R
    THEN LET res == Sync(UNION {x.sibs : x \in rq.replies}, {})
             stale == {x.from : x \in {y \in rq.replies : y.sibs # res}}
         IN /\ reqs' = [base EXCEPT ![q] = [rq EXCEPT !.result = res, !.done = TRUE]]
            /\ msgs' = out \cup {HMsg("Replicate", rq.coord, t, 0, res, FALSE, HintOf(rq, t)) : t \in stale \ {rq.coord}}
            /\ IF rq.coord \in stale THEN MergeAt(rq.coord, HintOf(rq, rq.coord), res) ELSE UNCHANGED <<store, hints, ever>>
    ELSE /\ reqs' = [base EXCEPT ![q] = rq]
         /\ msgs' = out
         /\ UNCHANGED <<store, hints, ever>>

\* Coordinator c starts a read of targets T: what it holds is its first reply; it asks the other
\* targets. `seen` (history) is every write acknowledged before the read began.
Get(c, T) ==
    /\ c \in T
    /\ Cardinality(Gets) < MaxGets
    /\ LET q == Len(reqs) + 1
           rq == [coord |-> c, kind |-> "get", targets |-> T, stand |-> Stand(T), retargeted |-> FALSE, dot |-> NoDot, write |-> {}, acks |-> {}, replies |-> {[from |-> c, sibs |-> Readable(c)]},
                  result |-> {}, done |-> FALSE, live |-> TRUE, seen |-> Acked]
       IN ReadStep(Append(reqs, rq), q, rq, msgs \cup {Msg("Read", c, t, q, {}, FALSE) : t \in T \ {c}})

\* A node answers a read with what it holds: its replica and its hints.
HandleRead(m) ==
    /\ m \in msgs
    /\ m.type = "Read"
    /\ msgs' = msgs \cup {Msg("ReadReply", m.to, m.from, m.req, Readable(m.to), FALSE)}
    /\ UNCHANGED <<store, reqs, hints, ever>>

\* The coordinator of a read it still runs takes a replica's first reply. A reply after the read
\* finished is repaired too, unless it already reflects the result.
HandleReadReply(m) ==
    /\ m \in msgs
    /\ m.type = "ReadReply"
    /\ reqs[m.req].live
    /\ reqs[m.req].kind = "get"
    /\ m.from \notin {x.from : x \in reqs[m.req].replies}
    /\ LET rq == [reqs[m.req] EXCEPT !.replies = @ \cup {[from |-> m.from, sibs |-> m.sibs]}]
       IN IF reqs[m.req].done
          THEN /\ reqs' = [reqs EXCEPT ![m.req] = rq]
               /\ msgs' = IF Sync(m.sibs, rq.result) = m.sibs THEN msgs ELSE msgs \cup {HMsg("Replicate", rq.coord, m.from, 0, rq.result, FALSE, HintOf(rq, m.from))}
               /\ UNCHANGED <<store, hints, ever>>
          ELSE ReadStep(reqs, m.req, rq, msgs)

---------------------------------------------------------------------------
(* Anti-entropy: the Merkle descent decides only whether to send; what is sent is the store. *)

\* s, whose tree differs from t's, sends t its entries and asks for t's back.
AeSend(s, t) ==
    /\ s # t
    /\ s \in Owners /\ t \in Owners
    /\ msgs' = msgs \cup {Msg("AE", s, t, 0, store[s], TRUE)}
    /\ UNCHANGED <<store, reqs, hints, ever>>

\* A replica merges the entries it is sent and, when asked, sends its merged entries back.
HandleAE(m) ==
    /\ m \in msgs
    /\ m.type = "AE"
    /\ LET st == Sync(store[m.to], m.sibs)
       IN /\ SetStore(m.to, st)
          /\ msgs' = IF m.answer THEN msgs \cup {Msg("AE", m.to, m.from, 0, st, FALSE)} ELSE msgs
    /\ UNCHANGED <<reqs, hints>>

---------------------------------------------------------------------------
(* Sloppy quorums: retargeting and hinted handoff *)

\* The coordinator of request q, still running and not yet answered if a write, gives up on its
\* silent targets once: the nodes A outside the targets it thinks are up (at most one for each
\* silent target) replace the first silent targets, in ring order, each standing in for the owner
\* the target it replaces was asked for. A write sends each all the coordinator holds and the write
\* itself (the coordinator may have handed its own copy off since); a read asks each.
Retarget(q, A) ==
    /\ Sloppy
    /\ reqs[q].live
    /\ ~reqs[q].retargeted
    /\ ~(reqs[q].kind = "put" /\ reqs[q].done)
    /\ A # {}
    /\ A \cap reqs[q].targets = {}
    /\ LET rq == reqs[q]
           silent == rq.targets \ Heard(rq)
           Owner(s) == IF HintOf(rq, s) # NoHint THEN HintOf(rq, s) ELSE s
           new == {[node |-> Nth(A, i), owner |-> Owner(Nth(silent, i))] : i \in 1..Cardinality(A)}
       IN /\ Cardinality(A) <= Cardinality(silent)
          /\ reqs' = [reqs EXCEPT ![q].targets = @ \cup A, ![q].stand = @ \cup new, ![q].retargeted = TRUE]
          /\ msgs' = msgs \cup {IF rq.kind = "put" THEN HMsg("Replicate", rq.coord, p.node, q, Sync(Readable(rq.coord), rq.write), FALSE, p.owner)
                                                  ELSE Msg("Read", rq.coord, p.node, q, {}, FALSE) : p \in new}
    /\ UNCHANGED <<store, hints, ever>>

\* s, which thinks owner o is back, sends o what it keeps for it.
Handoff(s, o) ==
    /\ hints[s][o] # {}
    /\ msgs' = msgs \cup {Msg("Handoff", s, o, 0, hints[s][o], FALSE)}
    /\ UNCHANGED <<store, reqs, hints, ever>>

\* An owner merges a handed-off hint into its replica and acknowledges exactly what it merged.
HandleHandoff(m) ==
    /\ m \in msgs
    /\ m.type = "Handoff"
    /\ SetStore(m.to, Sync(store[m.to], m.sibs))
    /\ msgs' = msgs \cup {Msg("HandoffAck", m.to, m.from, 0, m.sibs, FALSE)}
    /\ UNCHANGED <<reqs, hints>>

\* The stand-in drops its hint once the owner acknowledged what it still holds (a hint that grew
\* since it was sent is kept, and handed off again).
HandleHandoffAck(m) ==
    /\ m \in msgs
    /\ m.type = "HandoffAck"
    /\ hints[m.to][m.from] # {}
    /\ hints[m.to][m.from] = m.sibs
    /\ hints' = [hints EXCEPT ![m.to][m.from] = {}]
    /\ UNCHANGED <<store, msgs, reqs, ever>>

---------------------------------------------------------------------------
(* Request timeouts and restarts *)

\* A coordinator gives up on request q (its client, if not answered, hears "unavailable").
Timeout(q) ==
    /\ reqs[q].live
    /\ reqs' = [reqs EXCEPT ![q].live = FALSE]
    /\ UNCHANGED <<store, msgs, hints, ever>>

\* s restarts after a crash: its store and hints are durable, its requests are forgotten.
Restart(s) ==
    /\ reqs' = [q \in DOMAIN reqs |-> IF reqs[q].coord = s THEN [reqs[q] EXCEPT !.live = FALSE] ELSE reqs[q]]
    /\ UNCHANGED <<store, msgs, hints, ever>>

---------------------------------------------------------------------------
Next ==
    \/ \E c \in Server, T \in Placements, ctx \in Contexts : Put(c, ctx, T)
    \/ \E m \in msgs : HandleReplicate(m)
    \/ \E m \in msgs : ReplicateAsHint(m)
    \/ \E m \in msgs : HandleAck(m)
    \/ \E c \in Server, T \in Placements : Get(c, T)
    \/ \E m \in msgs : HandleRead(m)
    \/ \E m \in msgs : HandleReadReply(m)
    \/ \E s, t \in Server : AeSend(s, t)
    \/ \E m \in msgs : HandleAE(m)
    \/ \E q \in DOMAIN reqs, A \in SUBSET Server : Retarget(q, A)
    \/ \E s \in Server, o \in Owners : Handoff(s, o)
    \/ \E m \in msgs : HandleHandoff(m)
    \/ \E m \in msgs : HandleHandoffAck(m)
    \/ \E q \in DOMAIN reqs : Timeout(q)
    \/ \E s \in Server : Restart(s)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

Sibling == [node : Server, counter : Nat, ctx : [Server -> Nat]]

TypeOK ==
    /\ \A s \in Server : store[s] \subseteq Sibling /\ \A o \in Owners : hints[s][o] \subseteq Sibling
    /\ \A q \in DOMAIN reqs : reqs[q].kind \in {"put", "get"} /\ reqs[q].acks \subseteq reqs[q].targets /\ reqs[q].targets \subseteq Server
    /\ \A m \in msgs : /\ m.type \in {"Replicate", "Ack", "Read", "ReadReply", "AE", "Handoff", "HandoffAck"}
                       /\ m.from \in Server /\ m.to \in Server /\ m.hint \in Owners \cup {NoHint}

\* With strict quorums and R + W > N, every read quorum meets every write quorum, so a read
\* returns a version at least as new as every write acknowledged before it began.
ReadSeesAckedWrites ==
    \A q \in Gets : reqs[q].done => \A d \in reqs[q].seen : Reflects(reqs[q].result, d)

\* An acknowledged write is reflected by at least W nodes (replicas, or stand-ins' hints): the
\* coordinator counted W acknowledgements, each sent after the node merged the write, merges never
\* forget, and a hint is dropped only once its owner merged all of it.
AckedOnWReplicas == \A d \in Acked : Cardinality({s \in Server : Reflects(Readable(s), d)}) >= W

\* With sloppy quorums AckedOnWReplicas fails (MCDynamoMsgSloppyHandoff.cfg): a retarget can make an
\* owner the stand-in for another owner, so one node may hold a write twice, in its hint for the
\* away owner and, once the first stand-in hands its hint over, in its replica; the copies then sit
\* on fewer than W nodes until that hint too is handed off. What does hold is the count of places a
\* write is kept in -- a replica, or one hint for one owner -- each place acknowledged or filled by
\* a handoff that kept a copy where it was acknowledged.
AckedInWPlaces ==
    \A d \in Acked : Cardinality({<<s, s>> : s \in {x \in Server : Reflects(store[x], d)}}
                                \cup {p \in Server \X Owners : Reflects(hints[p[1]][p[2]], d)}) >= W

\* Siblings are never silently dropped: every write a replica ever held is still a sibling there
\* or in the context of one (a replica drops a write only for a later write that had seen it).
SiblingsNeverDropped == \A s \in Server : \A d \in ever[s] : Reflects(store[s], d)
=============================================================================
