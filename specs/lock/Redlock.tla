------------------------------- MODULE Redlock -------------------------------
(***************************************************************************)
(* Redlock: a lock held on a majority of N independent key-value stores,   *)
(* each of which grants a key with an expiry (Redis SET key NX PX ttl),    *)
(* and the lock's use: the holder writes to a storage service the lock is *)
(* meant to protect. This is the setting of Kleppmann's "How to do         *)
(* distributed locking" (2016):                                            *)
(*                                                                         *)
(*   A client acquires the lock, checks that its lease is still valid,    *)
(*   and then pauses (a GC pause, a page fault) before its write reaches   *)
(*   the storage. The lease expires, another client acquires the lock and *)
(*   writes. The first client's write arrives after it: two holders'       *)
(*   writes interleave, although the stores never granted the lock to two *)
(*   clients at once.                                                      *)
(*                                                                         *)
(* Time is one real-time clock, now, advanced by Tick. A store's clock may *)
(* run fast by up to Drift ticks, so it may free a key up to Drift ticks   *)
(* early; the client takes DriftAllowance ticks off its lease (Redlock's   *)
(* clock drift factor). A client's pause is not a step of its own: a write *)
(* in flight (phase "writing") may reach the storage any number of Ticks   *)
(* later.                                                                  *)
(*                                                                         *)
(* The whole algorithm, as Redis's "Distributed locks with Redis" page     *)
(* prescribes it. An attempt sends one SET to every store; a store that   *)
(* holds the key for another attempt refuses (Refuse). With a majority in  *)
(* time the client holds; it gives up as soon as a majority can no longer *)
(* be had (a majority refused) or its validity time is spent (GiveUp). At  *)
(* the end of every attempt, done or failed, it deletes its keys: DEL if   *)
(* the value is still the attempt's own (DeleteKey, one store at a time,   *)
(* any time later: a DEL may be slow or lost, and then the key expires).   *)
(* A failed attempt is retried after a random delay (backoff): the spec    *)
(* only says that at least one tick passes (the delay is nondeterministic; *)
(* that it is random, which is what breaks a livelock, no model can show). *)
(* A store's key remembers whether it belongs to an attempt still in       *)
(* progress (cur): a DEL of an ended attempt never removes the key of one  *)
(* in progress, since its value (the attempt's random id) differs. A SET   *)
(* of an ended attempt may arrive late and take a free key (GrantKey,      *)
(* late); only its expiry or a DEL of that attempt removes it.             *)
(*                                                                         *)
(* Fencing tokens. A client holding keys on a majority asks a linearizable *)
(* counter for the next token (IssueToken; the ZooKeeper recipe's sequence *)
(* number plays this part). Redlock itself has no such counter: that is    *)
(* Kleppmann's point. With Fencing = TRUE the storage rejects a write whose *)
(* token is below the highest it has accepted; with Fencing = FALSE it     *)
(* accepts every write. Tokens are issued in order, so a token also names  *)
(* its holder's place in the order of holders.                             *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Client,          \* the clients competing for the lock
    Store,           \* the independent lock stores (Redis masters)
    Nil,             \* no owner
    TTL,             \* the lease: a granted key expires TTL ticks after the grant
    Drift,           \* how many ticks early a store's fast clock may expire a key
    DriftAllowance,  \* how many ticks the client takes off its lease for drift (< TTL)
    Fencing          \* whether the storage rejects stale fencing tokens

VARIABLES
    now,         \* real time
    store,       \* store[s]: [owner |-> client or Nil, expiry |-> the real time its key expires,
                 \*            cur |-> whether the key is of its owner's attempt in progress]
    phase,       \* phase[c]: "idle", "acquiring", "fencing", "holding", "writing", "written" or "backoff"
    granted,     \* granted[c]: the stores whose key c's acquiring attempt holds
    refused,     \* refused[c]: the stores that refused c's acquiring attempt
    retryAfter,  \* retryAfter[c]: in backoff, the earliest time c may try again
    validUntil,  \* validUntil[c]: the end of c's lease as c computes it from its attempt's start
    token,       \* token[c]: the fencing token of c's current holding (0: none)
    nextToken,   \* the linearizable token counter: the tokens issued so far
    maxSeen,     \* the highest token the storage has accepted
    writes,      \* the tokens of the writes the storage accepted, in order (a history variable)
    retired,     \* the clients that have ended an attempt (whose old SETs may still be in the network)
    attempts     \* the attempts started so far, by all clients (a history variable: models bound it)

vars == <<now, store, phase, granted, refused, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

Majority == {Q \in SUBSET Store : 2 * Cardinality(Q) > Cardinality(Store)}

\* Whether store s's key is free: no owner, or expired by the store's own clock, which may run up
\* to Drift ticks fast.
Free(s) == store[s].owner = Nil \/ store[s].expiry <= now + Drift

\* Whether c's key at s is unexpired in real time.
LiveAt(s, c) == store[s].owner = c /\ now < store[s].expiry

\* Whether c's acquiring attempt can no longer win: the stores that have not refused it are no
\* majority. Redlock gives up then rather than wait out its validity time. (A store that refused a
\* copy of the attempt's SET and granted a later copy counts as refusing: the client cannot know
\* which answer is the store's last word.)
CannotWin(c) == 2 * Cardinality(refused[c]) >= Cardinality(Store)

\* c's attempt ends: each of its keys is now of an ended attempt, which that attempt's DEL (value
\* match) may remove.
EndAttempt(c) ==
    store' = [s \in Store |-> IF store[s].owner = c THEN [store[s] EXCEPT !.cur = FALSE] ELSE store[s]]

Init ==
    /\ now = 0
    /\ store = [s \in Store |-> [owner |-> Nil, expiry |-> 0, cur |-> FALSE]]
    /\ phase = [c \in Client |-> "idle"]
    /\ granted = [c \in Client |-> {}]
    /\ refused = [c \in Client |-> {}]
    /\ retryAfter = [c \in Client |-> 0]
    /\ validUntil = [c \in Client |-> 0]
    /\ token = [c \in Client |-> 0]
    /\ nextToken = 0
    /\ maxSeen = 0
    /\ writes = <<>>
    /\ retired = {}
    /\ attempts = 0

---------------------------------------------------------------------------
(* Time *)

\* Real time passes. Whatever a client is doing may be paused across any number of Ticks.
Tick ==
    /\ now' = now + 1
    /\ UNCHANGED <<store, phase, granted, refused, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

---------------------------------------------------------------------------
(* Acquiring *)

\* Client c starts an attempt: a new one, or the retry of a failed one once its back-off is over.
\* It notes the time, from which its lease will run (Redlock: validity = TTL - elapsed - drift
\* allowance), then sends one SET to every store.
StartAcquire(c) ==
    /\ \/ phase[c] = "idle"
       \/ phase[c] = "backoff" /\ now >= retryAfter[c]
    /\ phase' = [phase EXCEPT ![c] = "acquiring"]
    /\ validUntil' = [validUntil EXCEPT ![c] = now + TTL - DriftAllowance]
    /\ retryAfter' = [retryAfter EXCEPT ![c] = 0]
    /\ attempts' = attempts + 1
    /\ UNCHANGED <<now, store, granted, refused, token, nextToken, maxSeen, writes, retired>>

\* Store s grants a SET NX of client c: the key is free (or expired) on s's clock; it expires TTL
\* ticks later, and whoever held it has lost it. The SET is of c's attempt in progress
\* (late = FALSE): while acquiring it counts towards the majority (a store that refused an earlier
\* copy of it stays counted as refusing too), past acquiring it serves nothing but is the
\* attempt's key. Or (late = TRUE) it is a copy delayed in the network of an attempt that has
\* ended: the store cannot tell, and the key serves no acquisition.
GrantKey(c, s, late) ==
    /\ Free(s)
    /\ IF late
         THEN /\ c \in retired
              /\ granted' = [x \in Client |-> granted[x] \ {s}]
         ELSE /\ phase[c] \notin {"idle", "backoff"}
              /\ phase[c] = "acquiring" => s \notin granted[c]
              /\ granted' = [x \in Client |-> IF x = c /\ phase[c] = "acquiring" THEN granted[x] \cup {s} ELSE granted[x] \ {s}]
    /\ store' = [store EXCEPT ![s] = [owner |-> c, expiry |-> now + TTL, cur |-> ~late]]
    /\ UNCHANGED <<now, phase, refused, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

\* Store s refuses a SET of client c: its key is held, on its own clock, by another attempt. The
\* SET is of c's acquiring attempt (late = FALSE), which counts the refusal; or (late = TRUE) a
\* copy of one of c's ended attempts, or of its attempt in progress past acquiring: nobody counts
\* that refusal, but the store cannot tell and answers all the same.
Refuse(c, s, late) ==
    /\ ~Free(s)
    /\ IF late
         THEN /\ c \in retired \/ phase[c] \notin {"idle", "backoff", "acquiring"}
              /\ UNCHANGED refused
         ELSE /\ phase[c] = "acquiring"
              /\ s \notin granted[c]
              /\ refused' = [refused EXCEPT ![c] = @ \cup {s}]
    /\ UNCHANGED <<now, store, phase, granted, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

\* c has keys on a majority and time is left on its lease: it asks the counter for a token. Its
\* grants have served their purpose (granted and refused are the acquiring attempt's tallies).
Acquire(c) ==
    /\ phase[c] = "acquiring"
    /\ granted[c] \in Majority
    /\ now < validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = "fencing"]
    /\ granted' = [granted EXCEPT ![c] = {}]
    /\ refused' = [refused EXCEPT ![c] = {}]
    /\ UNCHANGED <<now, store, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

\* The counter issues c the next fencing token: c holds the lock.
IssueToken(c) ==
    /\ phase[c] = "fencing"
    /\ phase' = [phase EXCEPT ![c] = "holding"]
    /\ nextToken' = nextToken + 1
    /\ token' = [token EXCEPT ![c] = nextToken + 1]
    /\ UNCHANGED <<now, store, granted, refused, retryAfter, validUntil, maxSeen, writes, retired, attempts>>

\* c gives up the attempt as soon as a majority can no longer be had, or its validity time is
\* spent. It sends a DEL to every store and backs off: it tries again at least a tick later.
GiveUp(c) ==
    /\ phase[c] = "acquiring"
    /\ CannotWin(c) \/ now >= validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = "backoff"]
    /\ retryAfter' = [retryAfter EXCEPT ![c] = now + 1]
    /\ granted' = [granted EXCEPT ![c] = {}]
    /\ refused' = [refused EXCEPT ![c] = {}]
    /\ validUntil' = [validUntil EXCEPT ![c] = 0]
    /\ EndAttempt(c)
    /\ retired' = retired \cup {c}
    /\ UNCHANGED <<now, token, nextToken, maxSeen, writes, attempts>>

---------------------------------------------------------------------------
(* Using the lock *)

\* c checks that its lease is still valid and starts its protected write. From here until
\* StorageWrite it may pause for any time (and its write may be slow on the wire).
SendWrite(c) ==
    /\ phase[c] = "holding"
    /\ now < validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = "writing"]
    /\ UNCHANGED <<now, store, granted, refused, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

\* c's write reaches the storage, however late. With fencing the storage rejects a token below
\* the highest it has accepted.
StorageWrite(c) ==
    /\ phase[c] = "writing"
    /\ phase' = [phase EXCEPT ![c] = "written"]
    /\ IF ~Fencing \/ token[c] >= maxSeen
         THEN /\ writes' = Append(writes, token[c])
              /\ maxSeen' = IF token[c] > maxSeen THEN token[c] ELSE maxSeen
         ELSE UNCHANGED <<writes, maxSeen>>
    /\ UNCHANGED <<now, store, granted, refused, retryAfter, validUntil, token, nextToken, retired, attempts>>

\* c is done with the attempt and releases the lock: it sends a DEL to every store. Its write was
\* answered (it goes idle), or its lease ran out before it could write (a failed attempt: it backs
\* off and tries again).
Release(c) ==
    /\ \/ phase[c] = "written"
       \/ phase[c] = "holding" /\ now >= validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = IF phase[c] = "written" THEN "idle" ELSE "backoff"]
    /\ retryAfter' = [retryAfter EXCEPT ![c] = IF phase[c] = "written" THEN 0 ELSE now + 1]
    /\ token' = [token EXCEPT ![c] = 0]
    /\ validUntil' = [validUntil EXCEPT ![c] = 0]
    /\ EndAttempt(c)
    /\ retired' = retired \cup {c}
    /\ UNCHANGED <<now, granted, refused, nextToken, maxSeen, writes, attempts>>

\* A DEL of an ended attempt of c reaches store s and the key still holds that attempt's value,
\* unexpired on the store's clock (an expired key is gone already): the store deletes it. The DEL of every ended attempt went to every store and may arrive at any
\* time (or never: then the key expires), so any key of an ended attempt may go.
DeleteKey(c, s) ==
    /\ store[s].owner = c
    /\ ~store[s].cur
    /\ ~Free(s)
    /\ store' = [store EXCEPT ![s] = [owner |-> Nil, expiry |-> 0, cur |-> FALSE]]
    /\ UNCHANGED <<now, phase, granted, refused, retryAfter, validUntil, token, nextToken, maxSeen, writes, retired, attempts>>

---------------------------------------------------------------------------
Next ==
    \/ Tick
    \/ \E c \in Client :
        \/ StartAcquire(c)
        \/ Acquire(c)
        \/ IssueToken(c)
        \/ GiveUp(c)
        \/ SendWrite(c)
        \/ StorageWrite(c)
        \/ Release(c)
        \/ \E s \in Store :
            \/ DeleteKey(c, s)
            \/ \E late \in BOOLEAN : GrantKey(c, s, late) \/ Refuse(c, s, late)

Spec == Init /\ [][Next]_vars

\* Liveness is not checked, for two reasons. Time is unbounded in this spec (leases are real time),
\* and the models bound it by a CONSTRAINT: every behaviour ends at MaxTime and stutters there, so
\* "some client eventually holds" fails trivially at the bound. And what makes Redlock live is that
\* the back-off delay is random, which breaks the symmetry of clients that keep splitting the
\* stores between them; under nondeterminism the scheduler picks the delays that collide, so the
\* property is false without a probabilistic model. The implementation's progress is checked on
\* its histories instead (conformance's final commands: a burst of contending work after healing).

---------------------------------------------------------------------------
(* Invariants *)

\* The variables hold what they should.
TypeOK ==
    /\ now \in Nat
    /\ store \in [Store -> [owner : Client \cup {Nil}, expiry : Nat, cur : BOOLEAN]]
    /\ phase \in [Client -> {"idle", "acquiring", "fencing", "holding", "writing", "written", "backoff"}]
    /\ granted \in [Client -> SUBSET Store]
    /\ refused \in [Client -> SUBSET Store]
    /\ retryAfter \in [Client -> Nat]
    /\ validUntil \in [Client -> Nat]
    /\ token \in [Client -> 0..nextToken]
    /\ nextToken \in Nat
    /\ maxSeen \in 0..nextToken
    /\ writes \in Seq(1..nextToken)
    /\ retired \subseteq Client
    /\ attempts \in Nat

\* A key marked as of an attempt in progress is one: its owner is acquiring or holding. So a DEL,
\* which only removes keys of ended attempts, never takes a key from an attempt in progress.
CurrentKeysLive ==
    \A s \in Store : store[s].cur => store[s].owner /= Nil /\ phase[store[s].owner] \notin {"idle", "backoff"}

\* What the stores promise: at no real time do two clients each hold unexpired keys on a majority.
\* It holds when the drift allowance covers the stores' drift, with or without fencing.
StoresExclusive ==
    \A c1, c2 \in Client :
        (c1 /= c2 /\ {s \in Store : LiveAt(s, c1)} \in Majority)
            => {s \in Store : LiveAt(s, c2)} \notin Majority

\* What the clients believe: at no real time do two clients both hold the lock on a lease they
\* compute as valid. It holds when the allowance covers the drift: a client's lease ends no
\* later than any of its keys.
OneValidLease ==
    \A c1, c2 \in Client :
        (c1 /= c2 /\ phase[c1] = "holding" /\ now < validUntil[c1])
            => ~(phase[c2] = "holding" /\ now < validUntil[c2])

\* MUTUAL EXCLUSION of the protected resource, what the lock is for: the holders' writes do not
\* interleave. Tokens are issued in the order of holders, so this says: once the storage has
\* accepted a write of a later holder, it accepts no write of an earlier one. Without fencing a
\* paused client breaks it (Kleppmann's counterexample); a storage that rejects stale tokens keeps it.
WritesInLockOrder ==
    \A i, j \in 1..Len(writes) : i < j => writes[i] <= writes[j]
=============================================================================
