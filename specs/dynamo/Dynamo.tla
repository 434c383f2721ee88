------------------------------- MODULE Dynamo -------------------------------
(***************************************************************************)
(* Dynamo-style quorum replication of one key (DeCandia et al., SOSP       *)
(* 2007): the key's replicas are the first N servers of its walk around   *)
(* the consistent-hash ring (Ring, a sequence of every server); a         *)
(* coordinator writes and reads through its replicas and answers once W   *)
(* (R) of them, itself included, have answered.                           *)
(*                                                                         *)
(* Versions. Every write has a unique id and the context its client read;  *)
(* a sibling is [id, past] where past is the set of writes the writer had *)
(* seen (its causal history: the set a dotted version vector encodes).     *)
(* Replicas merge with Sync, which keeps every sibling no other sibling's  *)
(* past contains: concurrent writes stay siblings, none is dropped unless  *)
(* a later write saw it.                                                   *)
(*                                                                         *)
(* Sloppy quorums (Sloppy = TRUE): a request goes to the first N servers   *)
(* of the walk that are up; a stand-in beyond the first N keeps what it is *)
(* sent as a hint for the owner it replaces and hands it off when that     *)
(* owner is up again (Handoff). Read repair sends a read's merge back to   *)
(* the replicas that answered with less. Anti-entropy (the Merkle-tree     *)
(* exchange) is one step in which two replicas merge their states.        *)
(*                                                                         *)
(* Faults: servers crash and restart (stores and hints are durable, a     *)
(* coordinator's requests are not), and up to MaxFailures servers fail     *)
(* for good, losing their data. Messages are not a variable: a message's  *)
(* delivery is the step that receives it (Replicate, ReadReply,           *)
(* ReadRepair), which may happen late (its payload was fixed when it was  *)
(* sent) or never; a lost acknowledgement is a Replicate the coordinator  *)
(* no longer counts because it forgot the request.                        *)
(*                                                                         *)
(* CountTwice = TRUE is a broken coordinator that counts its own replica  *)
(* twice in every quorum (the implementation's countReplicaTwice).        *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANTS
    Server,       \* every member of the ring
    Ring,         \* the key's walk around the ring: a sequence of every server
    N, R, W,      \* replicas, read quorum, write quorum
    Sloppy,       \* sloppy quorums with hinted handoff (else strict)
    CountTwice,   \* the broken coordinator
    MaxWrites,    \* bounds of the model: client writes,
    MaxReads,     \*   client reads,
    MaxCrashes,   \*   crashes,
    MaxFailures   \*   permanent failures
    
Nil == "nil"

VARIABLES
    store,     \* store[s]: the siblings s holds as a replica (durable)
    hints,     \* hints[s][o]: siblings s keeps for owner o (durable)
    up,        \* up[s]: s is running
    failed,    \* the servers that failed for good
    writes,    \* the client writes: their coordinators' request state
    reads,     \* the client reads: their coordinators' request state
    contexts,  \* the contexts clients have read (a write's context is one of them)
    acked,     \* the writes acknowledged to their clients
    crashes,   \* crashes so far (a model bound)
    ever,      \* ever[s]: every write ever in store[s] (history, for SiblingsNeverDropped)
    staleRead  \* a completed read missed a write acknowledged before it began (history)

vars == <<store, hints, up, failed, writes, reads, contexts, acked, crashes, ever, staleRead>>

WriteId == 1..MaxWrites
Sibling == [id : WriteId, past : SUBSET WriteId]

Pos(s) == CHOOSE i \in 1..Len(Ring) : Ring[i] = s

\* The key's owners: the first N servers of the walk (its preference list).
Owners == {Ring[i] : i \in 1..N}

\* Merge two sibling sets: keep every sibling no sibling's past contains.
Sync(A, B) == LET U == A \cup B IN {x \in U : ~\E y \in U : x.id \in y.past}

\* The context a reader of S gets: every write S reflects.
CtxOf(S) == {x.id : x \in S} \cup UNION {x.past : x \in S}

\* S reflects write w: w is a sibling of S or in the past of one.
Reflects(S, w) == w \in CtxOf(S)

\* What s answers a read with: its replica and every hint it keeps.
Local(s) == store[s] \cup UNION {hints[s][o] : o \in Server}

\* Where a request goes. Strict: the owners. Sloppy: the first N servers of the walk that are up;
\* the k-th stand-in beyond the owners keeps hints for the k-th owner that is down.
UpIdx == {i \in 1..Len(Ring) : up[Ring[i]]}
SloppyTargets == {Ring[i] : i \in {j \in UpIdx : Cardinality({k \in UpIdx : k <= j}) <= N}}
Targets == IF Sloppy THEN SloppyTargets ELSE Owners
Rank(s, S) == Cardinality({x \in S : Pos(x) <= Pos(s)})
HintMap(T) ==
    LET standIns == T \ Owners
        away == Owners \ T
    IN [t \in T |-> IF t \in Owners THEN Nil ELSE CHOOSE o \in away : Rank(o, away) = Rank(t, standIns)]

\* How many replicas a set of answers counts for (the broken coordinator counts itself twice).
Count(c, S) == Cardinality(S) + (IF CountTwice /\ c \in S THEN 1 ELSE 0)

\* Merge siblings into s's replica, or into its hint for owner o.
Store(s, o, sibs) ==
    IF o = Nil
    THEN /\ store' = [store EXCEPT ![s] = Sync(@, sibs)]
         /\ ever' = [ever EXCEPT ![s] = @ \cup {x.id : x \in Sync(store[s], sibs)}]
         /\ UNCHANGED hints
    ELSE /\ hints' = [hints EXCEPT ![s][o] = Sync(@, sibs)]
         /\ UNCHANGED <<store, ever>>

Init ==
    /\ store = [s \in Server |-> {}]
    /\ hints = [s \in Server |-> [o \in Server |-> {}]]
    /\ up = [s \in Server |-> TRUE]
    /\ failed = {}
    /\ writes = <<>>
    /\ reads = <<>>
    /\ contexts = {{}}
    /\ acked = {}
    /\ crashes = 0
    /\ ever = [s \in Server |-> {}]
    /\ staleRead = FALSE

---------------------------------------------------------------------------
(* Writes *)

\* Write w with acknowledgements `acks`: its client is told it succeeded once they count W.
AckIfQuorum(w, c, acks) == acked' = IF Count(c, acks) >= W THEN acked \cup {w} ELSE acked

\* Coordinator c takes a client's write over context ctx (blind: {}): it stores the new sibling
\* first; what it sends every other target is its whole state of the key then (`sibs`).
StartWrite(c, ctx) ==
    /\ Len(writes) < MaxWrites
    /\ up[c]
    /\ LET T == Targets
           h == HintMap(T)
           w == Len(writes) + 1
           new == [id |-> w, past |-> ctx]
           mine == Sync(IF h[c] = Nil THEN store[c] ELSE hints[c][h[c]], {new})
       IN /\ c \in T
          /\ Store(c, h[c], {new})
          /\ writes' = Append(writes, [coord |-> c, targets |-> T, hint |-> h, sibs |-> mine, acks |-> {c}, alive |-> TRUE])
          /\ AckIfQuorum(w, c, {c})
    /\ UNCHANGED <<up, failed, reads, contexts, crashes, staleRead>>

\* Target t receives write w's state and merges it (as a hint when it stands in); the coordinator
\* counts t's acknowledgement if it still runs the request, and answers its client at W. The
\* message may also never arrive (this step is never taken), or arrive after the coordinator
\* forgot the request (the acknowledgement is lost).
Replicate(w, t) ==
    /\ t \in writes[w].targets \ writes[w].acks
    /\ up[t]
    /\ Store(t, writes[w].hint[t], writes[w].sibs)
    /\ IF writes[w].alive
       THEN /\ writes' = [writes EXCEPT ![w].acks = @ \cup {t}]
            /\ AckIfQuorum(w, writes[w].coord, writes[w].acks \cup {t})
       ELSE UNCHANGED <<writes, acked>>
    /\ UNCHANGED <<up, failed, reads, contexts, crashes, staleRead>>

---------------------------------------------------------------------------
(* Reads *)

\* A read whose replies count R is finished: its result is their merge. (A record with the IF
\* inside, not an IF of records: Synod's checker then keeps the parameters of the actions that
\* call it in its step labels, which conformance replay reads.)
Finished(rd) ==
    LET fin == Count(rd.coord, {x.from : x \in rd.replies}) >= R
    IN [coord |-> rd.coord, targets |-> rd.targets, hint |-> rd.hint, replies |-> rd.replies, seen |-> rd.seen,
        result |-> IF fin THEN Sync(UNION {x.sibs : x \in rd.replies}, {}) ELSE rd.result,
        done |-> rd.done \/ fin, alive |-> rd.alive]

\* A read that just finished: its client learns the context, the read was stale if it misses a
\* write acknowledged before it began (`seen`), and the coordinator repairs its own replica with
\* the result at once (the others are repaired by messages: ReadRepair).
Observe(old, new) ==
    IF new.done /\ ~old.done
    THEN /\ contexts' = contexts \cup {CtxOf(new.result)}
         /\ staleRead' = (staleRead \/ \E w \in new.seen : ~Reflects(new.result, w))
         /\ Store(new.coord, new.hint[new.coord], new.result)
    ELSE UNCHANGED <<contexts, staleRead, store, hints, ever>>

\* A read coordinated by c, before any other replica answered.
NewRead(c) == [coord |-> c, targets |-> Targets, hint |-> HintMap(Targets), replies |-> {[from |-> c, sibs |-> Local(c)]}, seen |-> acked, result |-> {}, done |-> FALSE, alive |-> TRUE]

\* Coordinator c starts a read: its own state is its first reply. `seen` is the set of writes
\* acknowledged before the read began, the writes it must reflect.
StartRead(c) ==
    /\ Len(reads) < MaxReads
    /\ up[c]
    /\ c \in Targets
    /\ LET rd == Finished(NewRead(c))
       IN /\ reads' = Append(reads, rd)
          /\ Observe([done |-> FALSE], rd)
    /\ UNCHANGED <<up, failed, writes, acked, crashes>>

\* Target t answers read r with everything it holds of the key; the coordinator answers its client
\* as soon as the replies count R.
ReadReply(r, t) ==
    /\ t \in reads[r].targets \ {x.from : x \in reads[r].replies}
    /\ up[t]
    /\ reads[r].alive
    /\ ~reads[r].done
    /\ LET rd == Finished([reads[r] EXCEPT !.replies = @ \cup {[from |-> t, sibs |-> Local(t)]}])
       IN /\ reads' = [reads EXCEPT ![r] = rd]
          /\ Observe(reads[r], rd)
    /\ UNCHANGED <<up, failed, writes, acked, crashes>>

\* Read repair: a replica that answered read r with less than its result receives the result.
ReadRepair(r, t) ==
    /\ reads[r].done
    /\ \E x \in reads[r].replies : x.from = t /\ x.sibs # reads[r].result
    /\ up[t]
    /\ LET o == reads[r].hint[t]
           cur == IF o = Nil THEN store[t] ELSE hints[t][o]
       IN /\ Sync(cur, reads[r].result) # cur
          /\ Store(t, o, reads[r].result)
    /\ UNCHANGED <<up, failed, writes, reads, contexts, acked, crashes, staleRead>>

---------------------------------------------------------------------------
(* Hinted handoff and anti-entropy *)

\* s hands what it kept for owner o to o, which is up again, and drops the hint.
Handoff(s, o) ==
    /\ up[s] /\ up[o]
    /\ hints[s][o] # {}
    /\ store' = [store EXCEPT ![o] = Sync(@, hints[s][o])]
    /\ ever' = [ever EXCEPT ![o] = @ \cup {x.id : x \in Sync(store[o], hints[s][o])}]
    /\ hints' = [hints EXCEPT ![s][o] = {}]
    /\ UNCHANGED <<up, failed, writes, reads, contexts, acked, crashes, staleRead>>

\* Two owners compare their Merkle trees and exchange what differs: both end with the merge.
AntiEntropy(s, t) ==
    /\ s # t
    /\ s \in Owners /\ t \in Owners
    /\ up[s] /\ up[t]
    /\ store[s] # store[t]
    /\ LET m == Sync(store[s], store[t])
       IN /\ store' = [store EXCEPT ![s] = m, ![t] = m]
          /\ ever' = [ever EXCEPT ![s] = @ \cup {x.id : x \in m}, ![t] = @ \cup {x.id : x \in m}]
    /\ UNCHANGED <<hints, up, failed, writes, reads, contexts, acked, crashes, staleRead>>

---------------------------------------------------------------------------
(* Faults *)

\* s crashes: the requests it coordinates are lost; its store and hints are durable.
Crash(s) ==
    /\ up[s]
    /\ crashes < MaxCrashes
    /\ up' = [up EXCEPT ![s] = FALSE]
    /\ crashes' = crashes + 1
    /\ writes' = [w \in DOMAIN writes |-> IF writes[w].coord = s THEN [writes[w] EXCEPT !.alive = FALSE] ELSE writes[w]]
    /\ reads' = [r \in DOMAIN reads |-> IF reads[r].coord = s THEN [reads[r] EXCEPT !.alive = FALSE] ELSE reads[r]]
    /\ UNCHANGED <<store, hints, failed, contexts, acked, ever, staleRead>>

Restart(s) ==
    /\ ~up[s]
    /\ s \notin failed
    /\ up' = [up EXCEPT ![s] = TRUE]
    /\ UNCHANGED <<store, hints, failed, writes, reads, contexts, acked, crashes, ever, staleRead>>

\* s fails for good: its disk is gone.
Fail(s) ==
    /\ s \notin failed
    /\ Cardinality(failed) < MaxFailures
    /\ failed' = failed \cup {s}
    /\ up' = [up EXCEPT ![s] = FALSE]
    /\ store' = [store EXCEPT ![s] = {}]
    /\ hints' = [hints EXCEPT ![s] = [o \in Server |-> {}]]
    /\ ever' = [ever EXCEPT ![s] = {}]
    /\ writes' = [w \in DOMAIN writes |-> IF writes[w].coord = s THEN [writes[w] EXCEPT !.alive = FALSE] ELSE writes[w]]
    /\ reads' = [r \in DOMAIN reads |-> IF reads[r].coord = s THEN [reads[r] EXCEPT !.alive = FALSE] ELSE reads[r]]
    /\ UNCHANGED <<contexts, acked, crashes, staleRead>>

---------------------------------------------------------------------------
Next ==
    \/ \E c \in Server, ctx \in contexts : StartWrite(c, ctx)
    \/ \E w \in DOMAIN writes, t \in Server : Replicate(w, t)
    \/ \E c \in Server : StartRead(c)
    \/ \E r \in DOMAIN reads, t \in Server : ReadReply(r, t)
    \/ \E r \in DOMAIN reads, t \in Server : ReadRepair(r, t)
    \/ \E s, o \in Server : Handoff(s, o)
    \/ \E s, t \in Server : AntiEntropy(s, t)
    \/ \E s \in Server : Crash(s)
    \/ \E s \in Server : Restart(s)
    \/ \E s \in Server : Fail(s)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

TypeOK ==
    /\ store \in [Server -> SUBSET Sibling]
    /\ hints \in [Server -> [Server -> SUBSET Sibling]]
    /\ up \in [Server -> BOOLEAN]
    /\ failed \subseteq Server
    /\ acked \subseteq WriteId
    /\ staleRead \in BOOLEAN
    /\ crashes \in 0..MaxCrashes

\* With strict quorums and R + W > N, every read quorum meets every write quorum, so a read
\* returns a version at least as new as every write acknowledged before it began.
ReadSeesAckedWrites == ~staleRead

\* No acknowledged write is lost: some server that has not failed still reflects it. It holds
\* while fewer than W servers fail (MaxFailures < W): an acknowledged write is on W disks, and a
\* server drops a sibling only for a later write that saw it.
NoLostWrite == \A w \in acked : \E s \in Server \ failed : Reflects(Local(s), w)

\* Siblings are never silently dropped: every write a replica ever held is still a sibling there
\* or in the past of one (a replica drops a write only for a later write that had seen it).
SiblingsNeverDropped == \A s \in Server : \A w \in ever[s] : Reflects(store[s], w)
=============================================================================
