------------------------------- MODULE ZkLock --------------------------------
(***************************************************************************)
(* The ZooKeeper lock recipe with fencing tokens. Each client, in a       *)
(* session, creates an ephemeral sequential node under the lock's          *)
(* directory; the client whose node has the lowest sequence number holds   *)
(* the lock, and every other client watches only the node just below its  *)
(* own (no herd effect: a deletion wakes at most one waiter). The node's   *)
(* sequence number is the holding's fencing token.                         *)
(*                                                                         *)
(* A session expires when its client is silent too long (a pause, a      *)
(* partition): SessionExpire may happen at any moment to a session, and    *)
(* the server then deletes its ephemeral node. The client learns of it     *)
(* only later (SessionLost) or not before its write: a client paused while *)
(* holding still believes it holds, and writes with its old token. Only    *)
(* the storage's token check (Fencing) keeps that write out.               *)
(*                                                                         *)
(* The coordination tree is one linearizable service (ZooKeeper, or        *)
(* Synod's coordination tree), so its operations are atomic steps here.    *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Client,   \* the clients competing for the lock
    Fencing   \* whether the storage rejects stale fencing tokens

VARIABLES
    znodes,   \* the ephemeral sequential nodes: a set of [seq |-> n, owner |-> c]
    nextSeq,  \* the tree's sequence counter (the last number handed out)
    alive,    \* alive[c]: whether c's session is open at the server
    phase,    \* phase[c]: "idle", "listing", "waiting", "holding", "writing" or "written"
    mine,     \* mine[c]: the sequence number of c's node in its current attempt (0: none)
    watch,    \* watch[c]: the sequence number of the node c watches (0: none)
    maxSeen,  \* the highest token the storage has accepted
    writes    \* the tokens of the writes the storage accepted, in order (a history variable)

vars == <<znodes, nextSeq, alive, phase, mine, watch, maxSeen, writes>>

Seqs == {z.seq : z \in znodes}

Init ==
    /\ znodes = {}
    /\ nextSeq = 0
    /\ alive = [c \in Client |-> FALSE]
    /\ phase = [c \in Client |-> "idle"]
    /\ mine = [c \in Client |-> 0]
    /\ watch = [c \in Client |-> 0]
    /\ maxSeen = 0
    /\ writes = <<>>

---------------------------------------------------------------------------
(* Sessions *)

\* An idle client without a session opens one.
OpenSession(c) ==
    /\ phase[c] = "idle"
    /\ ~alive[c]
    /\ alive' = [alive EXCEPT ![c] = TRUE]
    /\ UNCHANGED <<znodes, nextSeq, phase, mine, watch, maxSeen, writes>>

\* The server expires c's session (c was silent past the ttl: paused, or cut off) and deletes
\* its ephemeral node. c does not know yet.
SessionExpire(c) ==
    /\ alive[c]
    /\ alive' = [alive EXCEPT ![c] = FALSE]
    /\ znodes' = {z \in znodes : z.owner /= c}
    /\ UNCHANGED <<nextSeq, phase, mine, watch, maxSeen, writes>>

\* c hears that its session is gone (a heartbeat refused) before it writes: it abandons the attempt.
SessionLost(c) ==
    /\ ~alive[c]
    /\ phase[c] \in {"listing", "waiting", "holding"}
    /\ phase' = [phase EXCEPT ![c] = "idle"]
    /\ mine' = [mine EXCEPT ![c] = 0]
    /\ watch' = [watch EXCEPT ![c] = 0]
    /\ UNCHANGED <<znodes, nextSeq, alive, maxSeen, writes>>

---------------------------------------------------------------------------
(* The recipe *)

\* c creates its ephemeral sequential node: the tree gives it the next sequence number.
Create(c) ==
    /\ phase[c] = "idle"
    /\ alive[c]
    /\ nextSeq' = nextSeq + 1
    /\ znodes' = znodes \cup {[seq |-> nextSeq + 1, owner |-> c]}
    /\ mine' = [mine EXCEPT ![c] = nextSeq + 1]
    /\ phase' = [phase EXCEPT ![c] = "listing"]
    /\ UNCHANGED <<alive, watch, maxSeen, writes>>

\* c lists the directory. Its node gone: the session expired, the attempt is over. Its node the
\* lowest: c holds the lock. Otherwise c watches the node just below its own.
List(c) ==
    /\ phase[c] = "listing"
    /\ IF mine[c] \notin Seqs
         THEN /\ phase' = [phase EXCEPT ![c] = "idle"]
              /\ mine' = [mine EXCEPT ![c] = 0]
              /\ UNCHANGED watch
         ELSE LET below == {s \in Seqs : s < mine[c]}
              IN IF below = {}
                   THEN /\ phase' = [phase EXCEPT ![c] = "holding"]
                        /\ UNCHANGED <<mine, watch>>
                   ELSE /\ phase' = [phase EXCEPT ![c] = "waiting"]
                        /\ watch' = [watch EXCEPT ![c] = CHOOSE s \in below : \A t \in below : t <= s]
                        /\ UNCHANGED mine
    /\ UNCHANGED <<znodes, nextSeq, alive, maxSeen, writes>>

\* The node c watches is gone: the watch fires, and c lists again.
WatchFires(c) ==
    /\ phase[c] = "waiting"
    /\ watch[c] \notin Seqs
    /\ phase' = [phase EXCEPT ![c] = "listing"]
    /\ watch' = [watch EXCEPT ![c] = 0]
    /\ UNCHANGED <<znodes, nextSeq, alive, mine, maxSeen, writes>>

\* The holder starts its protected write (it may be paused from here on, for any time).
SendWrite(c) ==
    /\ phase[c] = "holding"
    /\ phase' = [phase EXCEPT ![c] = "writing"]
    /\ UNCHANGED <<znodes, nextSeq, alive, mine, watch, maxSeen, writes>>

\* c's write reaches the storage, however late, with its node's sequence number as the token.
StorageWrite(c) ==
    /\ phase[c] = "writing"
    /\ phase' = [phase EXCEPT ![c] = "written"]
    /\ IF ~Fencing \/ mine[c] >= maxSeen
         THEN /\ writes' = Append(writes, mine[c])
              /\ maxSeen' = IF mine[c] > maxSeen THEN mine[c] ELSE maxSeen
         ELSE UNCHANGED <<writes, maxSeen>>
    /\ UNCHANGED <<znodes, nextSeq, alive, mine, watch>>

\* c is done: it deletes its node (if its session has not already taken it).
Release(c) ==
    /\ phase[c] = "written"
    /\ znodes' = {z \in znodes : z.seq /= mine[c]}
    /\ phase' = [phase EXCEPT ![c] = "idle"]
    /\ mine' = [mine EXCEPT ![c] = 0]
    /\ UNCHANGED <<nextSeq, alive, watch, maxSeen, writes>>

---------------------------------------------------------------------------
Next ==
    \E c \in Client :
        \/ OpenSession(c)
        \/ SessionExpire(c)
        \/ SessionLost(c)
        \/ Create(c)
        \/ List(c)
        \/ WatchFires(c)
        \/ SendWrite(c)
        \/ StorageWrite(c)
        \/ Release(c)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

\* The variables hold what they should.
TypeOK ==
    /\ znodes \subseteq [seq : 1..nextSeq, owner : Client]
    /\ nextSeq \in Nat
    /\ alive \in [Client -> BOOLEAN]
    /\ phase \in [Client -> {"idle", "listing", "waiting", "holding", "writing", "written"}]
    /\ mine \in [Client -> 0..nextSeq]
    /\ watch \in [Client -> 0..nextSeq]
    /\ maxSeen \in 0..nextSeq
    /\ writes \in Seq(1..nextSeq)

\* Sequence numbers name one node each, and a client has at most one node.
OneNodePerSeq == \A z1, z2 \in znodes : z1.seq = z2.seq => z1 = z2

\* What the recipe promises: two clients that both hold (or write under) the lock never both still
\* have their nodes. A holder whose session expired may still believe it holds; its node is gone.
OneHolderWithANode ==
    \A c1, c2 \in Client :
        (c1 /= c2 /\ phase[c1] \in {"holding", "writing"} /\ phase[c2] \in {"holding", "writing"})
            => ~(mine[c1] \in Seqs /\ mine[c2] \in Seqs)

\* No herd effect: no two waiters whose nodes still exist watch the same node, so a deletion wakes
\* at most one live contender. (A waiter whose session expired unknown to it may watch the same node
\* as the one that replaced it; woken, it finds its own node gone and gives up.)
NoHerd ==
    \A c1, c2 \in Client :
        (c1 /= c2 /\ phase[c1] = "waiting" /\ phase[c2] = "waiting" /\ mine[c1] \in Seqs /\ mine[c2] \in Seqs)
            => watch[c1] /= watch[c2]

\* MUTUAL EXCLUSION of the protected resource: once the storage has accepted a write of a later
\* holder (a higher sequence number), it accepts no write of an earlier one. Without fencing, a
\* holder paused past its session breaks it; with a storage that checks tokens it holds.
WritesInLockOrder ==
    \A i, j \in 1..Len(writes) : i < j => writes[i] <= writes[j]
=============================================================================
