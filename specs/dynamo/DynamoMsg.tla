------------------------------ MODULE DynamoMsg ------------------------------
(***************************************************************************)
(* Dynamo's quorum replication of one key at the granularity of single    *)
(* message deliveries, as packages/dynamo's node takes them: the spec     *)
(* trace validation holds the implementation to (Dynamo.tla, beside it,   *)
(* steps whole round trips and also models sloppy quorums, hinted handoff *)
(* and permanent failures; this one is strict quorums with Dynamo's       *)
(* asynchronous read repair, crashes and Merkle anti-entropy).            *)
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
    R, W,        \* read and write quorums
    CountTwice,  \* the broken coordinator
    MaxPuts,     \* bounds of the model: client writes,
    MaxGets      \*   client reads

VARIABLES
    store,  \* store[s]: the siblings s holds (durable)
    msgs,   \* every message sent
    reqs,   \* reqs[q]: request q as its coordinator runs it
    ever    \* ever[s]: the dot of every sibling s ever held (history, for SiblingsNeverDropped)

vars == <<store, msgs, reqs, ever>>

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

\* Every message has every field (req 0: no reply wanted; sibs and answer where they mean nothing: {} and FALSE).
Msg(type, from, to, req, sibs, answer) == [type |-> type, from |-> from, to |-> to, req |-> req, sibs |-> sibs, answer |-> answer]

\* How many replicas a set of answers counts for (the broken coordinator counts itself twice).
Count(c, S) == Cardinality(S) + (IF CountTwice /\ c \in S THEN 1 ELSE 0)

Puts == {q \in DOMAIN reqs : reqs[q].kind = "put"}
Gets == {q \in DOMAIN reqs : reqs[q].kind = "get"}

\* The writes acknowledged to their clients.
Acked == {reqs[q].dot : q \in {p \in Puts : reqs[p].done}}

\* The contexts clients can write with: none (a blind write), or one a finished read returned.
Contexts == {Zero} \cup {CtxOf(reqs[q].result) : q \in {p \in Gets : reqs[p].done}}

\* s's store becomes st (ever remembers every dot it held).
SetStore(s, st) ==
    /\ store' = [store EXCEPT ![s] = st]
    /\ ever' = [ever EXCEPT ![s] = @ \cup {Dot(x) : x \in st}]

Init ==
    /\ store = [s \in Server |-> {}]
    /\ msgs = {}
    /\ reqs = <<>>
    /\ ever = [s \in Server |-> {}]

---------------------------------------------------------------------------
(* Writes *)

\* Coordinator c takes a client's write over context ctx: it stores the new sibling (its dot one
\* past the highest counter of c it or the context knows), then sends its whole state of the key
\* to the other owners; with W = 1 the client is answered at once.
Put(c, ctx) ==
    /\ c \in Owners
    /\ Cardinality(Puts) < MaxPuts
    /\ ctx \in Contexts
    /\ LET new == [node |-> c, counter |-> Max({CtxOf(store[c])[c], ctx[c]}) + 1, ctx |-> ctx]
           st == Sync(store[c], {new})
           q == Len(reqs) + 1
       IN /\ SetStore(c, st)
          /\ reqs' = Append(reqs, [coord |-> c, kind |-> "put", dot |-> Dot(new), acks |-> {c}, replies |-> {},
                                   result |-> {}, done |-> Count(c, {c}) >= W, live |-> TRUE, seen |-> {}])
          /\ msgs' = msgs \cup {Msg("Replicate", c, t, q, st, FALSE) : t \in Owners \ {c}}

\* A replica merges what it is sent (a write's state, or a read's repair) and acknowledges a write.
HandleReplicate(m) ==
    /\ m \in msgs
    /\ m.type = "Replicate"
    /\ SetStore(m.to, Sync(store[m.to], m.sibs))
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
    /\ UNCHANGED <<store, msgs, ever>>

---------------------------------------------------------------------------
(* Reads *)

\* Read request rq (number q of the sequence base) after a reply: once the replies count R it
\* finishes with their merge; the coordinator repairs its own replica at once and sends the merge
\* to every other replica that answered with something else (read repair). `out` is msgs with
\* what the step sent.
ReadStep(base, q, rq, out) ==
    IF ~rq.done /\ Count(rq.coord, {x.from : x \in rq.replies}) >= R
    THEN LET res == Sync(UNION {x.sibs : x \in rq.replies}, {})
             stale == {x.from : x \in {y \in rq.replies : y.sibs # res}}
         IN /\ reqs' = [base EXCEPT ![q] = [rq EXCEPT !.result = res, !.done = TRUE]]
            /\ msgs' = out \cup {Msg("Replicate", rq.coord, t, 0, res, FALSE) : t \in stale \ {rq.coord}}
            /\ IF rq.coord \in stale THEN SetStore(rq.coord, Sync(store[rq.coord], res)) ELSE UNCHANGED <<store, ever>>
    ELSE /\ reqs' = [base EXCEPT ![q] = rq]
         /\ msgs' = out
         /\ UNCHANGED <<store, ever>>

\* Coordinator c starts a read: its own state is its first reply; it asks the other owners.
\* `seen` (history) is every write acknowledged before the read began.
Get(c) ==
    /\ c \in Owners
    /\ Cardinality(Gets) < MaxGets
    /\ LET q == Len(reqs) + 1
           rq == [coord |-> c, kind |-> "get", dot |-> NoDot, acks |-> {}, replies |-> {[from |-> c, sibs |-> store[c]]},
                  result |-> {}, done |-> FALSE, live |-> TRUE, seen |-> Acked]
       IN ReadStep(Append(reqs, rq), q, rq, msgs \cup {Msg("Read", c, t, q, {}, FALSE) : t \in Owners \ {c}})

\* A replica answers a read with what it holds.
HandleRead(m) ==
    /\ m \in msgs
    /\ m.type = "Read"
    /\ msgs' = msgs \cup {Msg("ReadReply", m.to, m.from, m.req, store[m.to], FALSE)}
    /\ UNCHANGED <<store, reqs, ever>>

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
               /\ msgs' = IF Sync(m.sibs, rq.result) = m.sibs THEN msgs ELSE msgs \cup {Msg("Replicate", rq.coord, m.from, 0, rq.result, FALSE)}
               /\ UNCHANGED <<store, ever>>
          ELSE ReadStep(reqs, m.req, rq, msgs)

---------------------------------------------------------------------------
(* Anti-entropy: the Merkle descent decides only whether to send; what is sent is the store. *)

\* s, whose tree differs from t's, sends t its entries and asks for t's back.
AeSend(s, t) ==
    /\ s # t
    /\ s \in Owners /\ t \in Owners
    /\ msgs' = msgs \cup {Msg("AE", s, t, 0, store[s], TRUE)}
    /\ UNCHANGED <<store, reqs, ever>>

\* A replica merges the entries it is sent and, when asked, sends its merged entries back.
HandleAE(m) ==
    /\ m \in msgs
    /\ m.type = "AE"
    /\ LET st == Sync(store[m.to], m.sibs)
       IN /\ SetStore(m.to, st)
          /\ msgs' = IF m.answer THEN msgs \cup {Msg("AE", m.to, m.from, 0, st, FALSE)} ELSE msgs
    /\ UNCHANGED reqs

---------------------------------------------------------------------------
(* Request timeouts and restarts *)

\* A coordinator gives up on request q (its client, if not answered, hears "unavailable").
Timeout(q) ==
    /\ reqs[q].live
    /\ reqs' = [reqs EXCEPT ![q].live = FALSE]
    /\ UNCHANGED <<store, msgs, ever>>

\* s restarts after a crash: its store is durable, its requests are forgotten.
Restart(s) ==
    /\ reqs' = [q \in DOMAIN reqs |-> IF reqs[q].coord = s THEN [reqs[q] EXCEPT !.live = FALSE] ELSE reqs[q]]
    /\ UNCHANGED <<store, msgs, ever>>

---------------------------------------------------------------------------
Next ==
    \/ \E c \in Server, ctx \in Contexts : Put(c, ctx)
    \/ \E m \in msgs : HandleReplicate(m)
    \/ \E m \in msgs : HandleAck(m)
    \/ \E c \in Server : Get(c)
    \/ \E m \in msgs : HandleRead(m)
    \/ \E m \in msgs : HandleReadReply(m)
    \/ \E s, t \in Server : AeSend(s, t)
    \/ \E m \in msgs : HandleAE(m)
    \/ \E q \in DOMAIN reqs : Timeout(q)
    \/ \E s \in Server : Restart(s)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

Sibling == [node : Server, counter : Nat, ctx : [Server -> Nat]]

TypeOK ==
    /\ \A s \in Server : store[s] \subseteq Sibling
    /\ \A q \in DOMAIN reqs : reqs[q].kind \in {"put", "get"} /\ reqs[q].acks \subseteq Server
    /\ \A m \in msgs : m.type \in {"Replicate", "Ack", "Read", "ReadReply", "AE"} /\ m.from \in Server /\ m.to \in Server

\* With strict quorums and R + W > N, every read quorum meets every write quorum, so a read
\* returns a version at least as new as every write acknowledged before it began.
ReadSeesAckedWrites ==
    \A q \in Gets : reqs[q].done => \A d \in reqs[q].seen : Reflects(reqs[q].result, d)

\* An acknowledged write is reflected by at least W replicas: the coordinator counted W
\* acknowledgements, each sent after the replica merged the write, and merges never forget.
AckedOnWReplicas == \A d \in Acked : Cardinality({s \in Server : Reflects(store[s], d)}) >= W

\* Siblings are never silently dropped: every write a replica ever held is still a sibling there
\* or in the context of one (a replica drops a write only for a later write that had seen it).
SiblingsNeverDropped == \A s \in Server : \A d \in ever[s] : Reflects(store[s], d)
=============================================================================
