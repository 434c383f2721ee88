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
(* Keys are not deleted on release: they expire (a client that lets its    *)
(* keys run out, as the implementation does). A store's grant to a client  *)
(* ends when another client takes the expired key (GrantKey). A SET of an  *)
(* ended attempt may arrive late and take a free key (GrantKey, late).     *)
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
    store,       \* store[s]: [owner |-> client or Nil, expiry |-> the real time its key expires]
    phase,       \* phase[c]: "idle", "acquiring", "fencing", "holding", "writing" or "written"
    granted,     \* granted[c]: the stores whose key c's acquiring attempt holds
    validUntil,  \* validUntil[c]: the end of c's lease as c computes it from its attempt's start
    token,       \* token[c]: the fencing token of c's current holding (0: none)
    nextToken,   \* the linearizable token counter: the tokens issued so far
    maxSeen,     \* the highest token the storage has accepted
    writes,      \* the tokens of the writes the storage accepted, in order (a history variable)
    retired      \* the clients that have ended an attempt (whose old SETs may still be in the network)

vars == <<now, store, phase, granted, validUntil, token, nextToken, maxSeen, writes, retired>>

Majority == {Q \in SUBSET Store : 2 * Cardinality(Q) > Cardinality(Store)}

\* Whether store s's key is free: no owner, or expired by the store's own clock, which may run up
\* to Drift ticks fast.
Free(s) == store[s].owner = Nil \/ store[s].expiry <= now + Drift

\* Whether c's key at s is unexpired in real time.
LiveAt(s, c) == store[s].owner = c /\ now < store[s].expiry

Init ==
    /\ now = 0
    /\ store = [s \in Store |-> [owner |-> Nil, expiry |-> 0]]
    /\ phase = [c \in Client |-> "idle"]
    /\ granted = [c \in Client |-> {}]
    /\ validUntil = [c \in Client |-> 0]
    /\ token = [c \in Client |-> 0]
    /\ nextToken = 0
    /\ maxSeen = 0
    /\ writes = <<>>
    /\ retired = {}

---------------------------------------------------------------------------
(* Time *)

\* Real time passes. Whatever a client is doing may be paused across any number of Ticks.
Tick ==
    /\ now' = now + 1
    /\ UNCHANGED <<store, phase, granted, validUntil, token, nextToken, maxSeen, writes, retired>>

---------------------------------------------------------------------------
(* Acquiring *)

\* Client c starts an attempt: it notes the time, from which its lease will run (Redlock:
\* validity = TTL - elapsed - drift allowance), then asks every store for the key.
StartAcquire(c) ==
    /\ phase[c] = "idle"
    /\ phase' = [phase EXCEPT ![c] = "acquiring"]
    /\ validUntil' = [validUntil EXCEPT ![c] = now + TTL - DriftAllowance]
    /\ UNCHANGED <<now, store, granted, token, nextToken, maxSeen, writes, retired>>

\* Store s grants a SET NX of client c: the key is free (or expired) on s's clock; it expires TTL
\* ticks later, and whoever held it has lost it. The SET is of c's attempt still acquiring
\* (late = FALSE), or (late = TRUE) a copy delayed in the network of an attempt that has ended or
\* is past acquiring: the store cannot tell, and the key then serves no acquisition.
GrantKey(c, s, late) ==
    /\ Free(s)
    /\ IF late
         THEN /\ c \in retired \/ phase[c] \notin {"idle", "acquiring"}
              /\ granted' = [x \in Client |-> granted[x] \ {s}]
         ELSE /\ phase[c] = "acquiring"
              /\ s \notin granted[c]
              /\ granted' = [x \in Client |-> IF x = c THEN granted[x] \cup {s} ELSE granted[x] \ {s}]
    /\ store' = [store EXCEPT ![s] = [owner |-> c, expiry |-> now + TTL]]
    /\ UNCHANGED <<now, phase, validUntil, token, nextToken, maxSeen, writes, retired>>

\* c has keys on a majority and time is left on its lease: it asks the counter for a token. Its
\* grants have served their purpose (granted is the acquiring attempt's tally).
Acquire(c) ==
    /\ phase[c] = "acquiring"
    /\ granted[c] \in Majority
    /\ now < validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = "fencing"]
    /\ granted' = [granted EXCEPT ![c] = {}]
    /\ UNCHANGED <<now, store, validUntil, token, nextToken, maxSeen, writes, retired>>

\* The counter issues c the next fencing token: c holds the lock.
IssueToken(c) ==
    /\ phase[c] = "fencing"
    /\ phase' = [phase EXCEPT ![c] = "holding"]
    /\ nextToken' = nextToken + 1
    /\ token' = [token EXCEPT ![c] = nextToken + 1]
    /\ UNCHANGED <<now, store, granted, validUntil, maxSeen, writes, retired>>

\* c gives up the attempt (no majority in time); its keys expire.
GiveUp(c) ==
    /\ phase[c] = "acquiring"
    /\ phase' = [phase EXCEPT ![c] = "idle"]
    /\ granted' = [granted EXCEPT ![c] = {}]
    /\ validUntil' = [validUntil EXCEPT ![c] = 0]
    /\ retired' = retired \cup {c}
    /\ UNCHANGED <<now, store, token, nextToken, maxSeen, writes>>

---------------------------------------------------------------------------
(* Using the lock *)

\* c checks that its lease is still valid and starts its protected write. From here until
\* StorageWrite it may pause for any time (and its write may be slow on the wire).
SendWrite(c) ==
    /\ phase[c] = "holding"
    /\ now < validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = "writing"]
    /\ UNCHANGED <<now, store, granted, validUntil, token, nextToken, maxSeen, writes, retired>>

\* c's write reaches the storage, however late. With fencing the storage rejects a token below
\* the highest it has accepted.
StorageWrite(c) ==
    /\ phase[c] = "writing"
    /\ phase' = [phase EXCEPT ![c] = "written"]
    /\ IF ~Fencing \/ token[c] >= maxSeen
         THEN /\ writes' = Append(writes, token[c])
              /\ maxSeen' = IF token[c] > maxSeen THEN token[c] ELSE maxSeen
         ELSE UNCHANGED <<writes, maxSeen>>
    /\ UNCHANGED <<now, store, granted, validUntil, token, nextToken, retired>>

\* c is done: its write was answered, or its lease ran out before it could write. Its keys expire.
Release(c) ==
    /\ \/ phase[c] = "written"
       \/ phase[c] = "holding" /\ now >= validUntil[c]
    /\ phase' = [phase EXCEPT ![c] = "idle"]
    /\ granted' = [granted EXCEPT ![c] = {}]
    /\ token' = [token EXCEPT ![c] = 0]
    /\ validUntil' = [validUntil EXCEPT ![c] = 0]
    /\ retired' = retired \cup {c}
    /\ UNCHANGED <<now, store, nextToken, maxSeen, writes>>

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
        \/ \E s \in Store, late \in BOOLEAN : GrantKey(c, s, late)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

\* The variables hold what they should.
TypeOK ==
    /\ now \in Nat
    /\ store \in [Store -> [owner : Client \cup {Nil}, expiry : Nat]]
    /\ phase \in [Client -> {"idle", "acquiring", "fencing", "holding", "writing", "written"}]
    /\ granted \in [Client -> SUBSET Store]
    /\ validUntil \in [Client -> Nat]
    /\ token \in [Client -> 0..nextToken]
    /\ nextToken \in Nat
    /\ maxSeen \in 0..nextToken
    /\ writes \in Seq(1..nextToken)
    /\ retired \subseteq Client

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
