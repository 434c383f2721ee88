----------------------------- MODULE MultiPaxos -----------------------------
(***************************************************************************)
(* Synod's specification of Multi-Paxos: a replicated log of Paxos        *)
(* instances ("slots"), as in Lamport's "Paxos Made Simple" (section 3)   *)
(* and the leader-based systems built on it (Chubby's "Paxos Made Live",  *)
(* Spanner, the "Paxos Made Moderately Complex" replicas).                 *)
(*                                                                         *)
(* Every server is proposer, acceptor and learner. Modelled:               *)
(*  - ballots ordered by round, then by the proposer's rank;               *)
(*  - a leader runs Phase 1 once, for all instances at the same time: a    *)
(*    Promise carries every vote the acceptor has cast;                    *)
(*  - leader change with recovery: per slot the vote of the highest ballot *)
(*    among a quorum of Promises is re-proposed, and a slot with no vote   *)
(*    below the highest recovered one is filled with NoOp;                 *)
(*  - Phase 2 per slot, pipelined (any number of outstanding slots);       *)
(*  - learners: the leader learns a slot from a quorum of Accepted         *)
(*    replies and tells the others (Decide), which also serves catch-up;   *)
(*    what a server applies is the gap-free prefix of what it has learnt;  *)
(*  - leader leases for local reads: acceptors that promise or accept for  *)
(*    a leader will not help any other server for LeaseDuration ticks of   *)
(*    their own clock; the leader counts its lease from the time it sent   *)
(*    the request, on its own clock, minus a margin for clock skew;        *)
(*  - clocks: one discrete clock per server (Tick), any two within         *)
(*    MaxDrift of each other;                                              *)
(*  - faults: message loss, duplication and reordering (the network is a  *)
(*    bag, as in Raft.tla), and crash-restart that keeps only the durable  *)
(*    acceptor state (promised, accepted).                                 *)
(*                                                                         *)
(* Abstracted: client sessions and replies, the state machine itself (the *)
(* applied prefix of the log stands for it), batching (a batch of Accepts  *)
(* is a sequence of SendAccept steps), log compaction, membership change,  *)
(* and when a server starts Phase 1: StartPhase1 is enabled whenever the   *)
(* server does not lead, so the implementation's election timeouts, check- *)
(* quorum and pre-vote (asking peers first, which changes no variable      *)
(* here) only restrict when it is taken; none of them is needed for safety.*)
(*                                                                         *)
(* One operator per action; Next quantifies their parameters, so every     *)
(* step's label names the action and its arguments. Handlers are           *)
(* HandleX(i, j, m): server i receives message m from server j; a handler  *)
(* consumes the message and sends its reply in the same atomic step, so   *)
(* durable state is written before the reply leaves ("persist before you  *)
(* reply").                                                                *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Server,         \* the set of server ids
    Value,          \* the values clients may submit
    NoOp,           \* the value a new leader proposes to fill a gap (not in Value)
    Nil,            \* "nobody"
    Rank,           \* an injective function Server -> positive naturals: ballot tie-break
    LeaseDuration,  \* lease length in clock ticks (0: no leases)
    MaxDrift        \* the clocks of any two servers are at most this far apart

ASSUME /\ NoOp \notin Value
       /\ Rank \in [Server -> Nat \ {0}]
       /\ \A i, j \in Server : Rank[i] = Rank[j] => i = j
       /\ LeaseDuration \in Nat
       /\ MaxDrift \in Nat

\* Roles and message types are strings so that traces read the same as the
\* implementation's events.
Follower  == "Follower"
Candidate == "Candidate"
Leader    == "Leader"

Prepare  == "Prepare"    \* Phase 1a
Promise  == "Promise"    \* Phase 1b
Accept   == "Accept"     \* Phase 2a
Accepted == "Accepted"   \* Phase 2b
Decide   == "Decide"     \* a chosen value, to learners

VARIABLES
    promised,    \* durable: the highest ballot each acceptor has promised (maxBal)
    accepted,    \* durable: per acceptor, slot -> [bal, val] of its latest vote there
    role,        \* volatile: Follower, Candidate or Leader
    prepared,    \* volatile (candidate): servers that promised its ballot
    recovered,   \* volatile (candidate): slot -> highest-ballot vote among the Promises
    proposals,   \* volatile (leader): its log, a sequence of values
    acks,        \* volatile (leader): acks[i][k] = servers that accepted slot k in its ballot
    decided,     \* volatile (learner): slot -> value it knows chosen
    clock,       \* each server's local clock (the machine's: survives a restart)
    leaseGrant,  \* volatile (acceptor): [holder, until]: helps only holder while clock < until
    grants,      \* volatile (leader): acceptor -> latest leader-clock time it echoed
    messages     \* the network: a bag, i.e. a function from message to copy count

acceptorVars == <<promised, accepted>>
leaderVars   == <<role, prepared, recovered, proposals, acks, grants>>
timeVars     == <<clock, leaseGrant>>
vars == <<promised, accepted, role, prepared, recovered, proposals, acks,
          decided, clock, leaseGrant, grants, messages>>

-----------------------------------------------------------------------------
(* Ballots: ordered by round, then by the rank of the proposer that owns   *)
(* them. Round 0 is the zero ballot, below every ballot a proposer uses.   *)

Ballot     == [rnd : Nat, ldr : Server \cup {Nil}]
ZeroBallot == [rnd |-> 0, ldr |-> Nil]

BallotLT(a, b) ==
    \/ a.rnd < b.rnd
    \/ a.rnd = b.rnd /\ a.rnd > 0 /\ Rank[a.ldr] < Rank[b.ldr]

BallotLE(a, b) == a = b \/ BallotLT(a, b)

-----------------------------------------------------------------------------
(* Helpers *)

Max(S) == CHOOSE x \in S : \A y \in S : x >= y

\* S is a quorum: a majority of the servers. Any two quorums intersect.
IsQuorum(S) == 2 * Cardinality(S) > Cardinality(Server)

\* Sparse maps: functions whose domain is the finite set of keys present.
EmptyMap == [k \in {} |-> Nil]
Put(f, k, x) == [y \in DOMAIN f \cup {k} |-> IF y = k THEN x ELSE f[y]]
MaxKey(f) == IF DOMAIN f = {} THEN 0 ELSE Max(DOMAIN f)

\* s is a prefix of t.
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* The network is a bag, as in Raft.tla: delivery consumes one copy, so any
\* order is possible; DuplicateMessage and DropMessage add or remove one.
WithMessage(m, msgs) ==
    [x \in DOMAIN msgs \cup {m} |-> IF x = m
                                    THEN (IF m \in DOMAIN msgs THEN msgs[m] + 1 ELSE 1)
                                    ELSE msgs[x]]

WithoutMessage(m, msgs) ==
    IF msgs[m] = 1
    THEN [x \in DOMAIN msgs \ {m} |-> msgs[x]]
    ELSE [msgs EXCEPT ![m] = @ - 1]

Send(m)    == messages' = WithMessage(m, messages)
Discard(m) == messages' = WithoutMessage(m, messages)
\* Consume a request and send its response in one step.
Reply(response, request) == messages' = WithoutMessage(request, WithMessage(response, messages))

-----------------------------------------------------------------------------
(* Decision points. The broken variants (MCMultiPaxosBroken*.tla) replace  *)
(* exactly one of these through the cfg (`Merge <- BrokenMerge`), so their *)
(* traces carry the same action names as the correct spec.                 *)

\* Phase 1 recovery: a candidate merges the votes reported in a Promise into
\* what it has recovered so far, keeping per slot the vote of the higher
\* ballot. This is the heart of Paxos: the value of the highest-ballot vote
\* among a quorum is the only value that may have been chosen below the
\* candidate's ballot.
Merge(old, reported) ==
    [k \in DOMAIN old \cup DOMAIN reported |->
        IF k \notin DOMAIN reported THEN old[k]
        ELSE IF k \notin DOMAIN old THEN reported[k]
        ELSE IF BallotLT(old[k].bal, reported[k].bal) THEN reported[k] ELSE old[k]]

\* What an acceptor remembers of its promise after a crash. Correct
\* acceptors persist the promise before replying, so a restart keeps it.
PromiseAfterRestart(i) == promised[i]

\* What an acceptor's lease binding is after a crash. It may have granted a
\* lease it no longer remembers (the binding is volatile), so it binds itself
\* to nobody for a whole lease duration from the restart.
LeaseAfterRestart(i) == [holder |-> Nil, until |-> clock[i] + LeaseDuration]

\* How much earlier than its acceptors' promises a leader lets its lease end,
\* on its own clock. An acceptor's grant starts no earlier than MaxDrift
\* before the leader's send time (read on the leader's clock) and, while the
\* leader's clock reads t, the acceptor's reads at most t + MaxDrift: a
\* margin of 2 * MaxDrift makes the leader's lease end before any of its
\* acceptors' promises do.
LeaseMargin == 2 * MaxDrift

-----------------------------------------------------------------------------
(* Leases *)

LeasesOn == LeaseDuration > 0

\* Acceptor i may help server l (promise or accept a ballot of l's that is
\* new to i): i is not bound to another holder, or that binding has expired
\* on i's clock.
LeaseAllows(i, l) == leaseGrant[i].holder = l \/ clock[i] >= leaseGrant[i].until

\* Acceptor i may take ballot b: b is the ballot it has promised already
\* (a duplicate request), or a higher one whose owner its lease allows.
MayTake(i, b) ==
    \/ b = promised[i]
    \/ BallotLT(promised[i], b) /\ LeaseAllows(i, b.ldr)

\* Acceptor i binds itself to l for LeaseDuration ticks of its own clock.
GrantLease(i, l) ==
    leaseGrant' = IF LeasesOn
                  THEN [leaseGrant EXCEPT ![i] = [holder |-> l, until |-> clock[i] + LeaseDuration]]
                  ELSE leaseGrant

\* Leader i records that acceptor j echoed send time t.
RecordGrant(i, j, t) ==
    grants' = IF LeasesOn
              THEN [grants EXCEPT ![i] =
                      Put(@, j, IF j \in DOMAIN @ /\ @[j] > t THEN @[j] ELSE t)]
              ELSE grants

\* Leader i's lease is valid: it leads, and a quorum (i itself, which can
\* only help another server by stepping down, and acceptors whose grants are
\* recent enough on i's clock) is bound to it.
LeaseValid(i) ==
    /\ role[i] = Leader
    /\ IsQuorum({i} \cup {j \in DOMAIN grants[i] :
                             clock[i] < grants[i][j] + LeaseDuration - LeaseMargin})

\* Leader i may answer a read from its own applied state: its lease is valid
\* and it has learnt every slot it proposed, in particular every slot it
\* recovered from earlier leaders.
LeaseReadOK(i) ==
    /\ LeaseValid(i)
    /\ \A k \in 1..Len(proposals[i]) : k \in DOMAIN decided[i]

-----------------------------------------------------------------------------
(* Initial state *)

Init ==
    /\ promised   = [i \in Server |-> ZeroBallot]
    /\ accepted   = [i \in Server |-> EmptyMap]
    /\ role       = [i \in Server |-> Follower]
    /\ prepared   = [i \in Server |-> {}]
    /\ recovered  = [i \in Server |-> EmptyMap]
    /\ proposals  = [i \in Server |-> << >>]
    /\ acks       = [i \in Server |-> << >>]
    /\ decided    = [i \in Server |-> EmptyMap]
    /\ clock      = [i \in Server |-> 0]
    /\ leaseGrant = [i \in Server |-> [holder |-> Nil, until |-> 0]]
    /\ grants     = [i \in Server |-> EmptyMap]
    /\ messages   = [m \in {} |-> 0]

\* i stops being candidate or leader: its proposer state goes back to the
\* initial values (a follower's is always initial, so states that differ
\* only in dead proposer state do not count twice).
StepDown(i) ==
    /\ role'      = [role      EXCEPT ![i] = Follower]
    /\ prepared'  = [prepared  EXCEPT ![i] = {}]
    /\ recovered' = [recovered EXCEPT ![i] = EmptyMap]
    /\ proposals' = [proposals EXCEPT ![i] = << >>]
    /\ acks'      = [acks      EXCEPT ![i] = << >>]
    /\ grants'    = [grants    EXCEPT ![i] = EmptyMap]

\* i takes ballot b as its promise; a higher ballot than its own makes a
\* candidate or leader step down.
TakeBallot(i, b) ==
    /\ promised' = [promised EXCEPT ![i] = b]
    /\ IF BallotLT(promised[i], b) /\ role[i] /= Follower
       THEN StepDown(i)
       ELSE UNCHANGED leaderVars

-----------------------------------------------------------------------------
(* Actions of a server on its own *)

\* Server i crashes and restarts: it keeps its durable acceptor state
\* (promised, accepted); everything else is lost. It may have granted a
\* lease it no longer remembers, so it helps nobody for a lease duration.
Restart(i) ==
    /\ promised'   = [promised EXCEPT ![i] = PromiseAfterRestart(i)]
    /\ StepDown(i)
    /\ decided'    = [decided EXCEPT ![i] = EmptyMap]
    /\ leaseGrant' = IF LeasesOn
                     THEN [leaseGrant EXCEPT ![i] = LeaseAfterRestart(i)]
                     ELSE leaseGrant
    /\ UNCHANGED <<accepted, clock, messages>>

\* i's clock advances by one tick, as long as it stays within MaxDrift of
\* every other clock.
Tick(i) ==
    /\ \A j \in Server : clock[i] + 1 - clock[j] <= MaxDrift
    /\ clock' = [clock EXCEPT ![i] = @ + 1]
    /\ UNCHANGED <<acceptorVars, leaderVars, decided, leaseGrant, messages>>

\* i starts Phase 1 with a ballot of the next round that it owns, and
\* promises it to itself.
StartPhase1(i) ==
    /\ role[i] /= Leader
    /\ LeaseAllows(i, i)
    /\ LET b == [rnd |-> promised[i].rnd + 1, ldr |-> i]
       IN /\ promised'  = [promised  EXCEPT ![i] = b]
          /\ role'      = [role      EXCEPT ![i] = Candidate]
          /\ prepared'  = [prepared  EXCEPT ![i] = {i}]
          /\ recovered' = [recovered EXCEPT ![i] = accepted[i]]
          /\ grants'    = [grants    EXCEPT ![i] = EmptyMap]
    /\ UNCHANGED <<accepted, proposals, acks, decided, timeVars, messages>>

\* Candidate i asks j for a promise (again, if a request or reply was lost).
SendPrepare(i, j) ==
    /\ i /= j
    /\ role[i] = Candidate
    /\ j \notin prepared[i]
    /\ Send([mtype |-> Prepare, mbal |-> promised[i], mtime |-> clock[i],
             msource |-> i, mdest |-> j])
    /\ UNCHANGED <<acceptorVars, leaderVars, decided, timeVars>>

\* Candidate i has promises from a quorum: it leads. Its log is the
\* recovered value of every slot up to the highest recovered one, NoOp in
\* a gap; it votes for all of them in its ballot itself.
BecomeLeader(i) ==
    /\ role[i] = Candidate
    /\ IsQuorum(prepared[i])
    /\ LET n     == MaxKey(recovered[i])
           props == [k \in 1..n |-> IF k \in DOMAIN recovered[i]
                                    THEN recovered[i][k].val ELSE NoOp]
       IN /\ role'      = [role      EXCEPT ![i] = Leader]
          /\ proposals' = [proposals EXCEPT ![i] = props]
          /\ acks'      = [acks      EXCEPT ![i] = [k \in 1..n |-> {i}]]
          /\ accepted'  = [accepted  EXCEPT ![i] =
                              [k \in DOMAIN @ \cup 1..n |->
                                  IF k \in 1..n THEN [bal |-> promised[i], val |-> props[k]]
                                  ELSE @[k]]]
          /\ prepared'  = [prepared  EXCEPT ![i] = {}]
          /\ recovered' = [recovered EXCEPT ![i] = EmptyMap]
    /\ UNCHANGED <<promised, decided, grants, timeVars, messages>>

\* Leader i puts a client's value in the next free slot and votes for it.
Propose(i, v) ==
    /\ role[i] = Leader
    /\ LET k == Len(proposals[i]) + 1
       IN /\ proposals' = [proposals EXCEPT ![i] = Append(@, v)]
          /\ acks'      = [acks      EXCEPT ![i] = Append(@, {i})]
          /\ accepted'  = [accepted  EXCEPT ![i] = Put(@, k, [bal |-> promised[i], val |-> v])]
    /\ UNCHANGED <<promised, role, prepared, recovered, grants, decided, timeVars, messages>>

\* Leader i asks j to accept slot k (again, if a request or reply was lost).
SendAccept(i, j, k) ==
    /\ i /= j
    /\ role[i] = Leader
    /\ k \in 1..Len(proposals[i])
    /\ j \notin acks[i][k]
    /\ Send([mtype |-> Accept, mbal |-> promised[i], mslot |-> k,
             mval |-> proposals[i][k], mtime |-> clock[i],
             msource |-> i, mdest |-> j])
    /\ UNCHANGED <<acceptorVars, leaderVars, decided, timeVars>>

\* i tells j a value it knows chosen: the leader's commit notification,
\* and catch-up for a learner that missed it (any learner may answer).
SendDecide(i, j, k) ==
    /\ i /= j
    /\ k \in DOMAIN decided[i]
    /\ Send([mtype |-> Decide, mslot |-> k, mval |-> decided[i][k],
             msource |-> i, mdest |-> j])
    /\ UNCHANGED <<acceptorVars, leaderVars, decided, timeVars>>

\* Leader i serves a read from its applied state under its lease. Nothing
\* changes; the step exists so that an implementation's local read is an
\* action the spec must enable (see LeaseReadSafety).
LeaseRead(i) ==
    /\ LeaseReadOK(i)
    /\ UNCHANGED vars

-----------------------------------------------------------------------------
(* Message handlers: server i receives message m from server j.            *)

HandlePrepare(i, j, m) ==
    /\ m.mtype = Prepare
    /\ m.mdest = i /\ m.msource = j
    /\ IF MayTake(i, m.mbal)
       THEN /\ TakeBallot(i, m.mbal)
            /\ GrantLease(i, m.mbal.ldr)
            /\ Reply([mtype |-> Promise, mbal |-> m.mbal, maccepted |-> accepted[i],
                      mtime |-> m.mtime, msource |-> i, mdest |-> j], m)
       ELSE /\ Discard(m)
            /\ UNCHANGED <<promised, leaderVars, leaseGrant>>
    /\ UNCHANGED <<accepted, decided, clock>>

HandlePromise(i, j, m) ==
    /\ m.mtype = Promise
    /\ m.mdest = i /\ m.msource = j
    /\ IF role[i] = Candidate /\ m.mbal = promised[i]
       THEN /\ prepared'  = [prepared  EXCEPT ![i] = @ \cup {j}]
            /\ recovered' = [recovered EXCEPT ![i] = Merge(@, m.maccepted)]
            /\ RecordGrant(i, j, m.mtime)
       ELSE UNCHANGED <<prepared, recovered, grants>>
    /\ Discard(m)
    /\ UNCHANGED <<acceptorVars, role, proposals, acks, decided, timeVars>>

HandleAccept(i, j, m) ==
    /\ m.mtype = Accept
    /\ m.mdest = i /\ m.msource = j
    /\ IF MayTake(i, m.mbal)
       THEN /\ TakeBallot(i, m.mbal)
            /\ accepted' = [accepted EXCEPT ![i] =
                              Put(@, m.mslot, [bal |-> m.mbal, val |-> m.mval])]
            /\ GrantLease(i, m.mbal.ldr)
            /\ Reply([mtype |-> Accepted, mbal |-> m.mbal, mslot |-> m.mslot,
                      mtime |-> m.mtime, msource |-> i, mdest |-> j], m)
       ELSE /\ Discard(m)
            /\ UNCHANGED <<acceptorVars, leaderVars, leaseGrant>>
    /\ UNCHANGED <<decided, clock>>

\* A quorum of votes in the leader's ballot chooses the slot's value; the
\* leader learns it in the same step.
HandleAccepted(i, j, m) ==
    /\ m.mtype = Accepted
    /\ m.mdest = i /\ m.msource = j
    /\ IF role[i] = Leader /\ m.mbal = promised[i]
       THEN LET k     == m.mslot
                voters == acks[i][k] \cup {j}
            IN /\ acks' = [acks EXCEPT ![i][k] = voters]
               /\ RecordGrant(i, j, m.mtime)
               /\ decided' = IF IsQuorum(voters) /\ k \notin DOMAIN decided[i]
                             THEN [decided EXCEPT ![i] = Put(@, k, proposals[i][k])]
                             ELSE decided
       ELSE UNCHANGED <<acks, grants, decided>>
    /\ Discard(m)
    /\ UNCHANGED <<acceptorVars, role, prepared, recovered, proposals, timeVars>>

HandleDecide(i, j, m) ==
    /\ m.mtype = Decide
    /\ m.mdest = i /\ m.msource = j
    /\ decided' = [decided EXCEPT ![i] = Put(@, m.mslot, m.mval)]
    /\ Discard(m)
    /\ UNCHANGED <<acceptorVars, leaderVars, timeVars>>

-----------------------------------------------------------------------------
(* The network misbehaving *)

DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<acceptorVars, leaderVars, decided, timeVars>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<acceptorVars, leaderVars, decided, timeVars>>

-----------------------------------------------------------------------------

\* The slots a leader may name in SendAccept, and a learner in SendDecide.
Slots(i) == (1..Len(proposals[i])) \cup DOMAIN decided[i]

Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : Tick(i)
    \/ \E i \in Server : StartPhase1(i)
    \/ \E i, j \in Server : SendPrepare(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : Propose(i, v)
    \/ \E i, j \in Server : \E k \in Slots(i) : SendAccept(i, j, k)
    \/ \E i, j \in Server : \E k \in Slots(i) : SendDecide(i, j, k)
    \/ \E i \in Server : LeaseRead(i)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandlePrepare(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandlePromise(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAccept(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAccepted(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleDecide(i, j, m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. They are explained in words in README.md.                   *)

Slot     == Nat \ {0}
Proposal == Value \cup {NoOp}
Vote     == [bal : Ballot, val : Proposal]

\* f is a sparse map from a finite set of keys in K to values in X.
IsMap(f, K, X) == DOMAIN f \subseteq K /\ \A k \in DOMAIN f : f[k] \in X

IsMessage(m) ==
    /\ m.msource \in Server /\ m.mdest \in Server
    /\ \/ m \in [mtype : {Prepare}, mbal : Ballot, mtime : Nat,
                 msource : Server, mdest : Server]
       \/ /\ m.mtype = Promise
          /\ DOMAIN m = {"mtype", "mbal", "maccepted", "mtime", "msource", "mdest"}
          /\ m.mbal \in Ballot /\ m.mtime \in Nat
          /\ IsMap(m.maccepted, Slot, Vote)
       \/ m \in [mtype : {Accept}, mbal : Ballot, mslot : Slot, mval : Proposal,
                 mtime : Nat, msource : Server, mdest : Server]
       \/ m \in [mtype : {Accepted}, mbal : Ballot, mslot : Slot, mtime : Nat,
                 msource : Server, mdest : Server]
       \/ m \in [mtype : {Decide}, mslot : Slot, mval : Proposal,
                 msource : Server, mdest : Server]

TypeOK ==
    /\ promised \in [Server -> Ballot]
    /\ \A i \in Server : IsMap(accepted[i], Slot, Vote)
    /\ role \in [Server -> {Follower, Candidate, Leader}]
    /\ prepared \in [Server -> SUBSET Server]
    /\ \A i \in Server : IsMap(recovered[i], Slot, Vote)
    /\ proposals \in [Server -> Seq(Proposal)]
    /\ acks \in [Server -> Seq(SUBSET Server)]
    /\ \A i \in Server : Len(acks[i]) = Len(proposals[i])
    /\ \A i \in Server : IsMap(decided[i], Slot, Proposal)
    /\ clock \in [Server -> Nat]
    /\ leaseGrant \in [Server -> [holder : Server \cup {Nil}, until : Nat]]
    /\ \A i \in Server : IsMap(grants[i], Server, Nat)
    /\ \A m \in DOMAIN messages : IsMessage(m) /\ messages[m] \in Nat \ {0}

\* A candidate or leader works in a ballot of its own, the one it promised.
OwnBallot == \A i \in Server : role[i] /= Follower => promised[i].ldr = i

\* An acceptor never votes above its promise.
VoteBelowPromise ==
    \A i \in Server : \A k \in DOMAIN accepted[i] : BallotLE(accepted[i][k].bal, promised[i])

\* Per-instance safety (Paxos's consistency): no two learners learn
\* different values for the same slot.
Agreement ==
    \A i, j \in Server :
        \A k \in DOMAIN decided[i] \cap DOMAIN decided[j] : decided[i][k] = decided[j][k]

\* A learnt value is chosen and stays chosen: a quorum of acceptors holds a
\* vote for it in that slot. (Votes of later ballots in a slot carry the
\* chosen value, so the quorum that chose it keeps voting for it.)
DecidedIsChosen ==
    \A i \in Server : \A k \in DOMAIN decided[i] :
        IsQuorum({a \in Server : k \in DOMAIN accepted[a] /\ accepted[a][k].val = decided[i][k]})

\* What server i has applied: the longest gap-free prefix of what it learnt.
AppliedLen(i) ==
    CHOOSE n \in 0..Cardinality(DOMAIN decided[i]) :
        (\A k \in 1..n : k \in DOMAIN decided[i]) /\ (n + 1) \notin DOMAIN decided[i]
Applied(i) == [k \in 1..AppliedLen(i) |-> decided[i][k]]

\* Learners apply the same sequence of commands: of any two applied
\* prefixes, one extends the other.
AppliedPrefixConsistency ==
    \A i, j \in Server : IsPrefix(Applied(i), Applied(j)) \/ IsPrefix(Applied(j), Applied(i))

\* At most one server holds a valid lease at any moment.
LeaseExclusive == \A i, j \in Server : LeaseValid(i) /\ LeaseValid(j) => i = j

\* A lease read returns the latest state: when i may serve a read under its
\* lease, it has learnt every slot any server has learnt (with the same
\* value), so its applied state includes every completed write.
LeaseReadSafety ==
    \A i \in Server : LeaseReadOK(i) =>
        \A j \in Server : \A k \in DOMAIN decided[j] :
            k \in DOMAIN decided[i] /\ decided[i][k] = decided[j][k]

\* Promises never go backwards (an action property: PROPERTY in the cfg).
PromiseMonotone == [][\A i \in Server : BallotLE(promised[i], promised'[i])]_vars
=============================================================================
