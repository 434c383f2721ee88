------------------------------ MODULE RaftProd ------------------------------
(***************************************************************************)
(* Raft as packages/raft runs it in production mode, for trace validation *)
(* of the production node (conformance's "impl->spec" check on real       *)
(* steps, not on a reduced step mode). One action per kind of step the     *)
(* node reports; a production step (a timeout that also sends its vote    *)
(* requests, a response that also commits, snapshots and sends the next   *)
(* batch) is a sequence of these actions, checked in order.               *)
(*                                                                         *)
(* What it adds to RaftExt.tla's pre-vote and compaction:                 *)
(*                                                                         *)
(*  - batched, pipelined replication: a leader may send any suffix of its  *)
(*    log (at most MaxBatch entries from any prevLogIndex), because the    *)
(*    node advances nextIndex when it sends and backs off on hints; the    *)
(*    spec keeps no nextIndex, only matchIndex, which decides commitment;  *)
(*  - a follower stores a batch entry by entry: it skips entries it holds, *)
(*    truncates at the first conflicting one and appends the rest (a      *)
(*    stale, shorter batch never truncates what a longer one appended);    *)
(*  - heartbeats, separate from AppendEntries, carrying the commit index   *)
(*    capped at what the follower is known to hold (matchIndex): a         *)
(*    heartbeat checks no log;                                             *)
(*  - the no-op a new leader appends in BecomeLeader;                      *)
(*  - check-quorum: a leader may step down (CheckQuorum), and a server may *)
(*    ignore a vote request of a higher term while it hears from a leader  *)
(*    (its lease); pre-votes may be refused for the same reason. Timing    *)
(*    is not modelled, so both are allowed at any time;                    *)
(*  - InstallSnapshot as the node does it: refused (answering its commit   *)
(*    index) when the snapshot does not go beyond what it has committed.   *)
(*                                                                         *)
(* Abstracted: membership changes (RaftExt.tla models them), leadership    *)
(* transfer, client reads and sessions (they change no protocol state; the *)
(* histories check judges them), heartbeat rounds, fast back-off hints in  *)
(* rejections, and the snapshot's state machine, modelled as in RaftExt as  *)
(* the committed prefix it replaces.                                       *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Server,      \* the servers (a fixed configuration)
    Value,       \* the values clients may submit
    Nil,         \* "no server" / "no value"
    MaxBatch     \* at most this many entries per AppendEntries

Follower     == "Follower"
PreCandidate == "PreCandidate"
Candidate    == "Candidate"
Leader       == "Leader"

PreVoteRequest          == "PreVoteRequest"
PreVoteResponse         == "PreVoteResponse"
RequestVoteRequest      == "RequestVoteRequest"
RequestVoteResponse     == "RequestVoteResponse"
AppendEntriesRequest    == "AppendEntriesRequest"
AppendEntriesResponse   == "AppendEntriesResponse"
HeartbeatRequest        == "HeartbeatRequest"
HeartbeatResponse       == "HeartbeatResponse"
InstallSnapshotRequest  == "InstallSnapshotRequest"
InstallSnapshotResponse == "InstallSnapshotResponse"

\* Log entries: client commands and the no-op of a new leader.
Command == "Command"
Noop    == "Noop"
CommandEntry(t, v) == [term |-> t, kind |-> Command, value |-> v]
NoopEntry(t)       == [term |-> t, kind |-> Noop, value |-> Nil]

VARIABLES
    currentTerm,   \* durable
    state,         \* volatile: Follower, PreCandidate, Candidate or Leader
    votedFor,      \* durable
    log,           \* durable: the entries after the snapshot
    snapshot,      \* durable: the committed prefix the server has compacted
    commitIndex,   \* volatile, restored to the snapshot's length on restart
    votesGranted,  \* volatile: pre-votes (as PreCandidate) or votes (as Candidate)
    matchIndex,    \* volatile (leader): the highest index known to be held by each server
    messages       \* bag of messages, as in Raft.tla

serverVars == <<currentTerm, state, votedFor>>
logVars    == <<log, snapshot, commitIndex>>
vars == <<currentTerm, state, votedFor, log, snapshot, commitIndex, votesGranted, matchIndex, messages>>

-----------------------------------------------------------------------------
(* Helpers *)

Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Max(S) == CHOOSE x \in S : \A y \in S : x >= y
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

FullLog(i)   == snapshot[i] \o log[i]
SnapIndex(i) == Len(snapshot[i])
LastIndex(i) == SnapIndex(i) + Len(log[i])
TermAt(i, k) ==
    IF k = 0 THEN 0
    ELSE IF k <= SnapIndex(i) THEN snapshot[i][k].term
    ELSE log[i][k - SnapIndex(i)].term
LastTerm(i) == TermAt(i, LastIndex(i))

IsQuorum(S) == 2 * Cardinality(S \cap Server) > Cardinality(Server)

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
Reply(response, request) == messages' = WithoutMessage(request, WithMessage(response, messages))

LogOkForVote(i, m) ==
    \/ m.mlastLogTerm > LastTerm(i)
    \/ /\ m.mlastLogTerm = LastTerm(i)
       /\ m.mlastLogIndex >= LastIndex(i)

NoMatch == [j \in Server |-> 0]

-----------------------------------------------------------------------------

Init ==
    /\ currentTerm  = [i \in Server |-> 0]
    /\ state        = [i \in Server |-> Follower]
    /\ votedFor     = [i \in Server |-> Nil]
    /\ log          = [i \in Server |-> << >>]
    /\ snapshot     = [i \in Server |-> << >>]
    /\ commitIndex  = [i \in Server |-> 0]
    /\ votesGranted = [i \in Server |-> {}]
    /\ matchIndex   = [i \in Server |-> NoMatch]
    /\ messages     = [m \in {} |-> 0]

\* Server i becomes a follower of term t (t >= its term); a newer term clears its vote.
StepDown(i, t) ==
    /\ currentTerm'  = [currentTerm  EXCEPT ![i] = t]
    /\ state'        = [state        EXCEPT ![i] = Follower]
    /\ votedFor'     = IF t > currentTerm[i] THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex   EXCEPT ![i] = NoMatch]

-----------------------------------------------------------------------------
(* Actions of a server on its own *)

Restart(i) ==
    /\ state'        = [state        EXCEPT ![i] = Follower]
    /\ commitIndex'  = [commitIndex  EXCEPT ![i] = SnapIndex(i)]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex   EXCEPT ![i] = NoMatch]
    /\ UNCHANGED <<currentTerm, votedFor, log, snapshot, messages>>

\* The election timer fires on a non-leader: a pre-vote round of the next term.
PreVoteTimeout(i) ==
    /\ state[i] /= Leader
    /\ state'        = [state        EXCEPT ![i] = PreCandidate]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<currentTerm, votedFor, logVars, matchIndex, messages>>

PreVote(i, j) ==
    /\ i /= j
    /\ state[i] = PreCandidate
    /\ Send([mtype         |-> PreVoteRequest,
             mterm         |-> currentTerm[i] + 1,
             mlastLogTerm  |-> LastTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

\* A real election: from a pre-candidate holding a quorum of pre-votes, or
\* directly (pre-vote off, or a leader's TimeoutNow).
Timeout(i) ==
    /\ state[i] /= Leader
    /\ state[i] = PreCandidate => IsQuorum(votesGranted[i])
    /\ currentTerm'  = [currentTerm  EXCEPT ![i] = @ + 1]
    /\ state'        = [state        EXCEPT ![i] = Candidate]
    /\ votedFor'     = [votedFor     EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<logVars, matchIndex, messages>>

RequestVote(i, j) ==
    /\ i /= j
    /\ state[i] = Candidate
    /\ Send([mtype         |-> RequestVoteRequest,
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

\* A new leader appends a no-op of its term, so that it can commit (and so
\* serve reads) without waiting for a client write.
BecomeLeader(i) ==
    /\ state[i] = Candidate
    /\ IsQuorum(votesGranted[i])
    /\ state'        = [state        EXCEPT ![i] = Leader]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ matchIndex'   = [matchIndex   EXCEPT ![i] = NoMatch]
    /\ log'          = [log          EXCEPT ![i] = Append(@, NoopEntry(currentTerm[i]))]
    /\ UNCHANGED <<currentTerm, votedFor, snapshot, commitIndex, messages>>

ClientRequest(i, v) ==
    /\ state[i] = Leader
    /\ log' = [log EXCEPT ![i] = Append(@, CommandEntry(currentTerm[i], v))]
    /\ UNCHANGED <<serverVars, snapshot, commitIndex, votesGranted, matchIndex, messages>>

AdvanceCommitIndex(i) ==
    /\ state[i] = Leader
    /\ LET Agree(index) == {i} \cup {k \in Server : matchIndex[i][k] >= index}
           committable == {index \in (commitIndex[i] + 1)..LastIndex(i) :
                              /\ IsQuorum(Agree(index))
                              /\ TermAt(i, index) = currentTerm[i]}
       IN /\ committable /= {}
          /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(committable)]
    /\ UNCHANGED <<serverVars, log, snapshot, votesGranted, matchIndex, messages>>

TakeSnapshot(i) ==
    /\ commitIndex[i] > SnapIndex(i)
    /\ snapshot' = [snapshot EXCEPT ![i] = SubSeq(FullLog(i), 1, commitIndex[i])]
    /\ log'      = [log EXCEPT ![i] = SubSeq(FullLog(i), commitIndex[i] + 1, LastIndex(i))]
    /\ UNCHANGED <<serverVars, commitIndex, votesGranted, matchIndex, messages>>

\* Check-quorum: a leader that has not heard from a quorum steps down. Any
\* leader may: stepping down is always safe.
CheckQuorum(i) ==
    /\ state[i] = Leader
    /\ StepDown(i, currentTerm[i])
    /\ UNCHANGED <<logVars, messages>>

\* Leader i sends j the entries after prev (at most MaxBatch of them).
AppendEntries(i, j, prev) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ prev <= LastIndex(i)
    /\ LET n == Min({MaxBatch, LastIndex(i) - prev})
       IN Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> prev,
                mprevLogTerm  |-> TermAt(i, prev),
                mentries      |-> SubSeq(FullLog(i), prev + 1, prev + n),
                mcommitIndex  |-> Min({commitIndex[i], prev + n}),
                msource       |-> i,
                mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

\* A heartbeat checks no log, so it tells j to commit only what j is known to hold.
Heartbeat(i, j) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ Send([mtype        |-> HeartbeatRequest,
             mterm        |-> currentTerm[i],
             mcommitIndex |-> Min({commitIndex[i], matchIndex[i][j]}),
             msource      |-> i,
             mdest        |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

InstallSnapshot(i, j) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ snapshot[i] /= << >>
    /\ Send([mtype     |-> InstallSnapshotRequest,
             mterm     |-> currentTerm[i],
             msnapshot |-> snapshot[i],
             msource   |-> i,
             mdest     |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

-----------------------------------------------------------------------------
(* Message handlers *)

\* A pre-vote changes nothing at the receiver. It may be refused even when it
\* could be granted: the receiver still hears from a leader.
HandlePreVoteRequest(i, j, m) ==
    /\ m.mtype = PreVoteRequest
    /\ m.mdest = i /\ m.msource = j
    /\ \E grant \in IF m.mterm > currentTerm[i] /\ LogOkForVote(i, m) THEN BOOLEAN ELSE {FALSE} :
          Reply([mtype        |-> PreVoteResponse,
                 mterm        |-> IF grant THEN m.mterm ELSE currentTerm[i],
                 mvoteGranted |-> grant,
                 msource      |-> i,
                 mdest        |-> j], m)
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

\* A refusal of a newer term makes i a follower of it; a refusal of its own
\* term may end the pre-vote round (the node gives up once it cannot win).
HandlePreVoteResponse(i, j, m) ==
    /\ m.mtype = PreVoteResponse
    /\ m.mdest = i /\ m.msource = j
    /\ \/ /\ ~m.mvoteGranted /\ m.mterm > currentTerm[i]
          /\ StepDown(i, m.mterm)
       \/ /\ ~(~m.mvoteGranted /\ m.mterm > currentTerm[i])
          /\ votesGranted' =
                IF m.mvoteGranted /\ state[i] = PreCandidate /\ m.mterm = currentTerm[i] + 1
                THEN [votesGranted EXCEPT ![i] = @ \cup {j}]
                ELSE votesGranted
          /\ UNCHANGED <<serverVars, matchIndex>>
       \/ /\ ~m.mvoteGranted /\ m.mterm = currentTerm[i] /\ state[i] = PreCandidate
          /\ state'        = [state        EXCEPT ![i] = Follower]
          /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
          /\ UNCHANGED <<currentTerm, votedFor, matchIndex>>
    /\ Discard(m)
    /\ UNCHANGED logVars

\* As in Raft.tla, except that a request of a newer term may be ignored
\* outright: with check-quorum, a server that hears from a leader refuses to
\* be disrupted (its lease), without even adopting the term.
HandleRequestVoteRequest(i, j, m) ==
    /\ m.mtype = RequestVoteRequest
    /\ m.mdest = i /\ m.msource = j
    /\ \/ /\ m.mterm > currentTerm[i]
          /\ Discard(m)
          /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>
       \/ LET newer == m.mterm > currentTerm[i]
              term  == IF newer THEN m.mterm ELSE currentTerm[i]
              voted == IF newer THEN Nil ELSE votedFor[i]
              grant == /\ m.mterm = term
                       /\ LogOkForVote(i, m)
                       /\ voted \in {Nil, j}
          IN /\ IF newer
                THEN /\ currentTerm'  = [currentTerm  EXCEPT ![i] = term]
                     /\ state'        = [state        EXCEPT ![i] = Follower]
                     /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
                     /\ matchIndex'   = [matchIndex   EXCEPT ![i] = NoMatch]
                ELSE UNCHANGED <<currentTerm, state, votesGranted, matchIndex>>
             /\ votedFor' = [votedFor EXCEPT ![i] = IF grant THEN j ELSE voted]
             /\ Reply([mtype        |-> RequestVoteResponse,
                       mterm        |-> term,
                       mvoteGranted |-> grant,
                       msource      |-> i,
                       mdest        |-> j], m)
             /\ UNCHANGED logVars

HandleRequestVoteResponse(i, j, m) ==
    /\ m.mtype = RequestVoteResponse
    /\ m.mdest = i /\ m.msource = j
    /\ IF m.mterm > currentTerm[i]
       THEN StepDown(i, m.mterm)
       ELSE /\ votesGranted' =
                  IF m.mterm = currentTerm[i] /\ state[i] = Candidate /\ m.mvoteGranted
                  THEN [votesGranted EXCEPT ![i] = @ \cup {j}]
                  ELSE votesGranted
            /\ UNCHANGED <<serverVars, matchIndex>>
    /\ Discard(m)
    /\ UNCHANGED logVars

\* A request from the leader of term m.mterm >= i's term: i follows it.
FollowLeader(i, m) ==
    IF m.mterm > currentTerm[i] \/ state[i] /= Follower
    THEN StepDown(i, m.mterm)
    ELSE UNCHANGED <<serverVars, votesGranted, matchIndex>>

\* Entries up to i's snapshot are committed, hence the leader's: they are
\* skipped. Of the rest, entries i holds are kept; at the first one i does
\* not hold (absent or of another term) its log is cut and the rest appended.
HandleAppendEntriesRequest(i, j, m) ==
    /\ m.mtype = AppendEntriesRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET stale    == m.mterm < currentTerm[i]
           term     == Max({m.mterm, currentTerm[i]})
           last     == m.mprevLogIndex + Len(m.mentries)
           skip     == IF m.mprevLogIndex < SnapIndex(i) THEN SnapIndex(i) - m.mprevLogIndex ELSE 0
           covered  == skip > 0 /\ skip >= Len(m.mentries)
           prev     == m.mprevLogIndex + skip
           prevTerm == IF skip > 0 /\ ~covered THEN m.mentries[skip].term ELSE m.mprevLogTerm
           entries  == IF covered THEN << >> ELSE SubSeq(m.mentries, skip + 1, Len(m.mentries))
           logOk    == covered \/ (prev <= LastIndex(i) /\ TermAt(i, prev) = prevTerm)
           accept   == ~stale /\ logOk
           differ   == {k \in 1..Len(entries) : prev + k > LastIndex(i) \/ TermAt(i, prev + k) /= entries[k].term}
           newLog   == IF covered \/ differ = {} THEN FullLog(i)
                       ELSE SubSeq(FullLog(i), 1, prev + Min(differ) - 1) \o SubSeq(entries, Min(differ), Len(entries))
       IN /\ IF ~stale THEN FollowLeader(i, m)
             ELSE UNCHANGED <<serverVars, votesGranted, matchIndex>>
          /\ log' = IF accept THEN [log EXCEPT ![i] = SubSeq(newLog, SnapIndex(i) + 1, Len(newLog))] ELSE log
          /\ commitIndex' =
                IF accept /\ ~covered
                THEN [commitIndex EXCEPT ![i] = Max({@, Min({m.mcommitIndex, last})})]
                ELSE commitIndex
          /\ Reply([mtype       |-> AppendEntriesResponse,
                    mterm       |-> term,
                    msuccess    |-> accept,
                    mmatchIndex |-> IF accept THEN last ELSE 0,
                    msource     |-> i,
                    mdest       |-> j], m)
          /\ UNCHANGED snapshot

\* A heartbeat commits up to the leader's word, within i's log.
HandleHeartbeatRequest(i, j, m) ==
    /\ m.mtype = HeartbeatRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET stale == m.mterm < currentTerm[i]
       IN /\ IF ~stale THEN FollowLeader(i, m)
             ELSE UNCHANGED <<serverVars, votesGranted, matchIndex>>
          /\ commitIndex' =
                IF ~stale
                THEN [commitIndex EXCEPT ![i] = Max({@, Min({m.mcommitIndex, LastIndex(i)})})]
                ELSE commitIndex
          /\ Reply([mtype   |-> HeartbeatResponse,
                    mterm   |-> Max({m.mterm, currentTerm[i]}),
                    msource |-> i,
                    mdest   |-> j], m)
          /\ UNCHANGED <<log, snapshot>>

\* Install a leader's snapshot if it goes beyond what i has committed; keep
\* the entries after it if i's log has the snapshot's last entry.
HandleInstallSnapshotRequest(i, j, m) ==
    /\ m.mtype = InstallSnapshotRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET stale    == m.mterm < currentTerm[i]
           last     == Len(m.msnapshot)
           lastTerm == m.msnapshot[last].term
           install  == ~stale /\ last > commitIndex[i]
           keep     == last <= LastIndex(i) /\ TermAt(i, last) = lastTerm
       IN /\ IF ~stale THEN FollowLeader(i, m)
             ELSE UNCHANGED <<serverVars, votesGranted, matchIndex>>
          /\ IF install
             THEN /\ snapshot'    = [snapshot EXCEPT ![i] = m.msnapshot]
                  /\ log'         = [log EXCEPT ![i] = IF keep THEN SubSeq(FullLog(i), last + 1, LastIndex(i)) ELSE << >>]
                  /\ commitIndex' = [commitIndex EXCEPT ![i] = last]
             ELSE UNCHANGED logVars
          /\ Reply([mtype       |-> InstallSnapshotResponse,
                    mterm       |-> Max({m.mterm, currentTerm[i]}),
                    mmatchIndex |-> IF stale THEN 0 ELSE IF install THEN last ELSE commitIndex[i],
                    msource     |-> i,
                    mdest       |-> j], m)

\* A response of a newer term makes i a follower; else a leader of the same
\* term learns what j holds (a rejection teaches it nothing the spec keeps).
HandleReplicationResponse(i, j, m, matched) ==
    /\ IF m.mterm > currentTerm[i]
       THEN StepDown(i, m.mterm)
       ELSE /\ matchIndex' =
                  IF m.mterm = currentTerm[i] /\ state[i] = Leader
                  THEN [matchIndex EXCEPT ![i][j] = Max({@, matched})]
                  ELSE matchIndex
            /\ UNCHANGED <<serverVars, votesGranted>>
    /\ Discard(m)
    /\ UNCHANGED logVars

HandleAppendEntriesResponse(i, j, m) ==
    /\ m.mtype = AppendEntriesResponse
    /\ m.mdest = i /\ m.msource = j
    /\ HandleReplicationResponse(i, j, m, IF m.msuccess THEN m.mmatchIndex ELSE 0)

HandleInstallSnapshotResponse(i, j, m) ==
    /\ m.mtype = InstallSnapshotResponse
    /\ m.mdest = i /\ m.msource = j
    /\ HandleReplicationResponse(i, j, m, m.mmatchIndex)

HandleHeartbeatResponse(i, j, m) ==
    /\ m.mtype = HeartbeatResponse
    /\ m.mdest = i /\ m.msource = j
    /\ HandleReplicationResponse(i, j, m, 0)

DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, logVars, votesGranted, matchIndex>>

-----------------------------------------------------------------------------

Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : PreVoteTimeout(i)
    \/ \E i, j \in Server : PreVote(i, j)
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i \in Server : TakeSnapshot(i)
    \/ \E i \in Server : CheckQuorum(i)
    \/ \E i, j \in Server : \E prev \in 0..LastIndex(i) : AppendEntries(i, j, prev)
    \/ \E i, j \in Server : Heartbeat(i, j)
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandlePreVoteRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandlePreVoteResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleRequestVoteRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleRequestVoteResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleHeartbeatRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleHeartbeatResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleInstallSnapshotRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleInstallSnapshotResponse(i, j, m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants, as in RaftExt.tla (explained in README.md) *)

Committed(i) == SubSeq(FullLog(i), 1, Min({commitIndex[i], LastIndex(i)}))

ElectionSafety ==
    \A i, j \in Server :
        (state[i] = Leader /\ state[j] = Leader /\ currentTerm[i] = currentTerm[j]) => i = j

LogMatching ==
    \A i, j \in Server :
        \A k \in 1..Min({LastIndex(i), LastIndex(j)}) :
            FullLog(i)[k].term = FullLog(j)[k].term
                => SubSeq(FullLog(i), 1, k) = SubSeq(FullLog(j), 1, k)

LeaderCompleteness ==
    \A i, l \in Server :
        (state[l] = Leader /\ currentTerm[l] > currentTerm[i]) => IsPrefix(Committed(i), FullLog(l))

StateMachineSafety ==
    \A i, j \in Server : IsPrefix(Committed(i), Committed(j)) \/ IsPrefix(Committed(j), Committed(i))

LogTermsMonotonic ==
    \A i \in Server :
        /\ \A k \in 1..(LastIndex(i) - 1) : TermAt(i, k) <= TermAt(i, k + 1)
        /\ LastTerm(i) <= currentTerm[i]

SnapshotCommitted == \A i \in Server : SnapIndex(i) <= commitIndex[i] /\ commitIndex[i] <= LastIndex(i)

\* What a heartbeat or append tells a follower to commit is what it holds of
\* the leader's log: its committed prefix is always a prefix of every newer
\* leader's log (LeaderCompleteness) and of every log that holds it.
CommittedNeverLost ==
    [][\A i \in Server : IsPrefix(Committed(i), FullLog(i)')]_vars

LeaderAppendOnly ==
    [][\A i \in Server : (state[i] = Leader /\ state'[i] = Leader) => IsPrefix(FullLog(i), FullLog(i)')]_vars

=============================================================================
