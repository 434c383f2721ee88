------------------------------- MODULE RaftExt -------------------------------
(***************************************************************************)
(* Raft with the three extensions of Ongaro's dissertation that production *)
(* implementations rely on:                                                *)
(*                                                                         *)
(*  - pre-vote (section 9.6): a server whose election timer fires first    *)
(*    asks whether it could win, without touching anyone's term; only     *)
(*    with pre-votes from a quorum does it start a real election;          *)
(*  - log compaction (chapter 5): a server replaces a committed prefix of  *)
(*    its log by a snapshot, and a leader that no longer has the entries a *)
(*    follower needs sends its snapshot (InstallSnapshot);                 *)
(*  - single-server membership change (section 4.1): a configuration is a  *)
(*    log entry, used as soon as it is in a server's log; a leader adds or *)
(*    removes one server at a time, only when its previous configuration   *)
(*    entry is committed and it has committed an entry of its own term.    *)
(*                                                                         *)
(* The core protocol is Raft.tla's (same action and variable names, same   *)
(* message handling); this module restates it over "full" logs: a snapshot *)
(* followed by the log entries after it. A snapshot is modelled as the     *)
(* committed prefix it replaces, i.e. the state machine state as the       *)
(* sequence of commands that produced it, so that the invariants can       *)
(* compare snapshots with logs entry by entry; the protocol itself only    *)
(* reads a snapshot's length and last term, as an implementation would.   *)
(*                                                                         *)
(* Abstracted, beyond Raft.tla's list: leader step-down after removing     *)
(* itself (a leader never removes itself here; leadership transfer would   *)
(* precede that), learners/catch-up rounds, and snapshot chunking.         *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Server,      \* every server that may ever be a member
    Value,       \* the values clients may submit
    Nil,         \* "no server" / "no value"
    InitConfig   \* the members at the start, a subset of Server

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
InstallSnapshotRequest  == "InstallSnapshotRequest"
InstallSnapshotResponse == "InstallSnapshotResponse"

\* Log entries: client commands and configurations.
Command == "Command"
Config  == "Config"
CommandEntry(t, v) == [term |-> t, kind |-> Command, value |-> v, config |-> {}]
ConfigEntry(t, c)  == [term |-> t, kind |-> Config, value |-> Nil, config |-> c]

VARIABLES
    currentTerm,   \* durable
    state,         \* volatile: Follower, PreCandidate, Candidate or Leader
    votedFor,      \* durable
    log,           \* durable: the entries after the snapshot
    snapshot,      \* durable: the committed prefix the server has compacted
    commitIndex,   \* volatile, restored to the snapshot's length on restart
    votesGranted,  \* volatile: pre-votes (as PreCandidate) or votes (as Candidate)
    nextIndex,     \* volatile (leader)
    matchIndex,    \* volatile (leader)
    messages       \* bag of messages, as in Raft.tla

serverVars    == <<currentTerm, state, votedFor>>
logVars       == <<log, snapshot, commitIndex>>
leaderVars    == <<nextIndex, matchIndex>>
vars == <<currentTerm, state, votedFor, log, snapshot, commitIndex, votesGranted,
          nextIndex, matchIndex, messages>>

-----------------------------------------------------------------------------
(* Helpers *)

Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Max(S) == CHOOSE x \in S : \A y \in S : x >= y
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* A server's whole log: its snapshot followed by its log entries.
FullLog(i)   == snapshot[i] \o log[i]
SnapIndex(i) == Len(snapshot[i])
LastIndex(i) == SnapIndex(i) + Len(log[i])
\* The term at index k of i's log. The protocol asks only for k = 0, for
\* k = SnapIndex(i) (the snapshot's last term) and for entries after it.
TermAt(i, k) ==
    IF k = 0 THEN 0
    ELSE IF k <= SnapIndex(i) THEN snapshot[i][k].term
    ELSE log[i][k - SnapIndex(i)].term
LastTerm(i) == TermAt(i, LastIndex(i))

\* The configuration a sequence of entries ends in: its last configuration
\* entry, or InitConfig.
ConfigOf(entries) ==
    LET idx == {k \in 1..Len(entries) : entries[k].kind = Config}
    IN IF idx = {} THEN InitConfig ELSE entries[Max(idx)].config
LastConfigIndex(entries) ==
    LET idx == {k \in 1..Len(entries) : entries[k].kind = Config}
    IN IF idx = {} THEN 0 ELSE Max(idx)
\* Each server uses the latest configuration in its log, committed or not.
ServerConfig(i) == ConfigOf(FullLog(i))

\* S contains a majority of configuration c.
IsQuorum(S, c) == 2 * Cardinality(S \cap c) > Cardinality(c)

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

\* The up-to-date check, for votes and pre-votes alike.
LogOkForVote(i, m) ==
    \/ m.mlastLogTerm > LastTerm(i)
    \/ /\ m.mlastLogTerm = LastTerm(i)
       /\ m.mlastLogIndex >= LastIndex(i)

-----------------------------------------------------------------------------

InitLeaderVars(i) ==
    /\ nextIndex'  = [nextIndex  EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]

Init ==
    /\ currentTerm  = [i \in Server |-> 0]
    /\ state        = [i \in Server |-> Follower]
    /\ votedFor     = [i \in Server |-> Nil]
    /\ log          = [i \in Server |-> << >>]
    /\ snapshot     = [i \in Server |-> << >>]
    /\ commitIndex  = [i \in Server |-> 0]
    /\ votesGranted = [i \in Server |-> {}]
    /\ nextIndex    = [i \in Server |-> [j \in Server |-> 1]]
    /\ matchIndex   = [i \in Server |-> [j \in Server |-> 0]]
    /\ messages     = [m \in {} |-> 0]

BecomeFollower(i, t) ==
    /\ currentTerm'  = [currentTerm  EXCEPT ![i] = t]
    /\ state'        = [state        EXCEPT ![i] = Follower]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ InitLeaderVars(i)

-----------------------------------------------------------------------------
(* Actions of a server on its own *)

\* Crash and restart: the state machine is rebuilt from the snapshot, so the
\* commit index restarts at the snapshot's end.
Restart(i) ==
    /\ state'        = [state        EXCEPT ![i] = Follower]
    /\ commitIndex'  = [commitIndex  EXCEPT ![i] = SnapIndex(i)]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ InitLeaderVars(i)
    /\ UNCHANGED <<currentTerm, votedFor, log, snapshot, messages>>

\* The election timer fires: i becomes a pre-candidate of its current term
\* and counts its own pre-vote. Servers outside their own configuration do
\* not campaign.
Timeout(i) ==
    /\ state[i] \in {Follower, PreCandidate, Candidate}
    /\ i \in ServerConfig(i)
    /\ state'        = [state        EXCEPT ![i] = PreCandidate]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<currentTerm, votedFor, logVars, leaderVars, messages>>

RequestPreVote(i, j) ==
    /\ i /= j
    /\ state[i] = PreCandidate
    /\ j \in ServerConfig(i)
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> PreVoteRequest,
             mterm         |-> currentTerm[i] + 1,
             mlastLogTerm  |-> LastTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

\* With pre-votes from a quorum, the pre-candidate starts a real election.
StartElection(i) ==
    /\ state[i] = PreCandidate
    /\ IsQuorum(votesGranted[i], ServerConfig(i))
    /\ currentTerm'  = [currentTerm  EXCEPT ![i] = @ + 1]
    /\ state'        = [state        EXCEPT ![i] = Candidate]
    /\ votedFor'     = [votedFor     EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<logVars, leaderVars, messages>>

RequestVote(i, j) ==
    /\ i /= j
    /\ state[i] = Candidate
    /\ j \in ServerConfig(i)
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> RequestVoteRequest,
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(i),
             mlastLogIndex |-> LastIndex(i),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

BecomeLeader(i) ==
    /\ state[i] = Candidate
    /\ IsQuorum(votesGranted[i], ServerConfig(i))
    /\ state'      = [state      EXCEPT ![i] = Leader]
    /\ nextIndex'  = [nextIndex  EXCEPT ![i] = [j \in Server |-> LastIndex(i) + 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<currentTerm, votedFor, logVars, votesGranted, messages>>

ClientRequest(i, v) ==
    /\ state[i] = Leader
    /\ log' = [log EXCEPT ![i] = Append(@, CommandEntry(currentTerm[i], v))]
    /\ UNCHANGED <<serverVars, snapshot, commitIndex, votesGranted, leaderVars, messages>>

\* A leader may change the configuration only when its last configuration
\* entry is committed and it has committed an entry of its own term (the
\* second condition fixes the single-server-change bug reported on the Raft
\* mailing list in 2015).
ConfigChangeAllowed(i) ==
    /\ state[i] = Leader
    /\ LastConfigIndex(FullLog(i)) <= commitIndex[i]
    /\ commitIndex[i] > 0
    /\ TermAt(i, commitIndex[i]) = currentTerm[i]

AddServer(i, s) ==
    /\ ConfigChangeAllowed(i)
    /\ s \notin ServerConfig(i)
    /\ log' = [log EXCEPT ![i] = Append(@, ConfigEntry(currentTerm[i], ServerConfig(i) \cup {s}))]
    /\ UNCHANGED <<serverVars, snapshot, commitIndex, votesGranted, leaderVars, messages>>

\* Removes a server other than the leader itself.
RemoveServer(i, s) ==
    /\ ConfigChangeAllowed(i)
    /\ s \in ServerConfig(i)
    /\ s /= i
    /\ log' = [log EXCEPT ![i] = Append(@, ConfigEntry(currentTerm[i], ServerConfig(i) \ {s}))]
    /\ UNCHANGED <<serverVars, snapshot, commitIndex, votesGranted, leaderVars, messages>>

AdvanceCommitIndex(i) ==
    /\ state[i] = Leader
    /\ LET Agree(index) == {i} \cup {k \in Server : matchIndex[i][k] >= index}
           committable == {index \in (commitIndex[i] + 1)..LastIndex(i) :
                              /\ IsQuorum(Agree(index), ServerConfig(i))
                              /\ TermAt(i, index) = currentTerm[i]}
       IN /\ committable /= {}
          /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(committable)]
    /\ UNCHANGED <<serverVars, log, snapshot, votesGranted, leaderVars, messages>>

\* Server i compacts everything it knows to be committed into its snapshot.
TakeSnapshot(i) ==
    /\ commitIndex[i] > SnapIndex(i)
    /\ snapshot' = [snapshot EXCEPT ![i] = SubSeq(FullLog(i), 1, commitIndex[i])]
    /\ log'      = [log EXCEPT ![i] = SubSeq(FullLog(i), commitIndex[i] + 1, LastIndex(i))]
    /\ UNCHANGED <<serverVars, commitIndex, votesGranted, leaderVars, messages>>

AppendEntries(i, j) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ j \in ServerConfig(i)
    /\ nextIndex[i][j] > SnapIndex(i)   \* otherwise the entries are compacted: InstallSnapshot
    /\ LET prevLogIndex == nextIndex[i][j] - 1
           lastEntry    == Min({LastIndex(i), nextIndex[i][j]})
           entries      == SubSeq(FullLog(i), nextIndex[i][j], lastEntry)
       IN Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> prevLogIndex,
                mprevLogTerm  |-> TermAt(i, prevLogIndex),
                mentries      |-> entries,
                mcommitIndex  |-> Min({commitIndex[i], lastEntry}),
                msource       |-> i,
                mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

\* Leader i sends its snapshot to j, whose next entry it has compacted.
InstallSnapshot(i, j) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ j \in ServerConfig(i)
    /\ nextIndex[i][j] <= SnapIndex(i)
    /\ Send([mtype     |-> InstallSnapshotRequest,
             mterm     |-> currentTerm[i],
             msnapshot |-> snapshot[i],
             msource   |-> i,
             mdest     |-> j])
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

-----------------------------------------------------------------------------
(* Message handlers *)

\* A pre-vote changes nothing at the receiver: no term update, no vote.
HandlePreVoteRequest(i, j, m) ==
    /\ m.mtype = PreVoteRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET grant == m.mterm > currentTerm[i] /\ LogOkForVote(i, m)
       IN Reply([mtype        |-> PreVoteResponse,
                 mterm        |-> IF grant THEN m.mterm ELSE currentTerm[i],
                 mvoteGranted |-> grant,
                 msource      |-> i,
                 mdest        |-> j], m)
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

HandlePreVoteResponse(i, j, m) ==
    /\ m.mtype = PreVoteResponse
    /\ m.mdest = i /\ m.msource = j
    /\ IF ~m.mvoteGranted /\ m.mterm > currentTerm[i]
       THEN /\ BecomeFollower(i, m.mterm)
            /\ votedFor' = [votedFor EXCEPT ![i] = Nil]
       ELSE /\ votesGranted' =
                  IF m.mvoteGranted /\ state[i] = PreCandidate /\ m.mterm = currentTerm[i] + 1
                  THEN [votesGranted EXCEPT ![i] = @ \cup {j}]
                  ELSE votesGranted
            /\ UNCHANGED <<serverVars, leaderVars>>
    /\ Discard(m)
    /\ UNCHANGED logVars

HandleRequestVoteRequest(i, j, m) ==
    /\ m.mtype = RequestVoteRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET newer == m.mterm > currentTerm[i]
           term  == IF newer THEN m.mterm ELSE currentTerm[i]
           voted == IF newer THEN Nil ELSE votedFor[i]
           grant == /\ m.mterm = term
                    /\ LogOkForVote(i, m)
                    /\ voted \in {Nil, j}
       IN /\ IF newer
             THEN BecomeFollower(i, term)
             ELSE UNCHANGED <<currentTerm, state, votesGranted, leaderVars>>
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
       THEN /\ BecomeFollower(i, m.mterm)
            /\ votedFor' = [votedFor EXCEPT ![i] = Nil]
       ELSE /\ votesGranted' =
                  IF m.mterm = currentTerm[i] /\ state[i] = Candidate /\ m.mvoteGranted
                  THEN [votesGranted EXCEPT ![i] = @ \cup {j}]
                  ELSE votesGranted
            /\ UNCHANGED <<serverVars, leaderVars>>
    /\ Discard(m)
    /\ UNCHANGED logVars

\* Requests from a current leader turn a (pre-)candidate of that term into a
\* follower; a higher term also clears the vote.
FollowLeader(i, m) ==
    LET newer == m.mterm > currentTerm[i]
    IN IF newer \/ (m.mterm = currentTerm[i] /\ state[i] \in {PreCandidate, Candidate})
       THEN /\ BecomeFollower(i, m.mterm)
            /\ votedFor' = IF newer THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
       ELSE UNCHANGED <<serverVars, votesGranted, leaderVars>>

HandleAppendEntriesRequest(i, j, m) ==
    /\ m.mtype = AppendEntriesRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET stale   == m.mterm < currentTerm[i]
           term    == Max({m.mterm, currentTerm[i]})
           \* Entries up to i's snapshot are committed, hence match the leader's.
           covered == m.mprevLogIndex < SnapIndex(i)
           logOk   == \/ covered
                      \/ /\ m.mprevLogIndex <= LastIndex(i)
                         /\ TermAt(i, m.mprevLogIndex) = m.mprevLogTerm
           accept  == ~stale /\ logOk
           index   == m.mprevLogIndex + 1
           present == \/ covered
                      \/ m.mentries = << >>
                      \/ /\ index <= LastIndex(i)
                         /\ TermAt(i, index) = m.mentries[1].term
           newLog  == IF present THEN log[i]
                      ELSE SubSeq(log[i], 1, m.mprevLogIndex - SnapIndex(i)) \o m.mentries
           matched == IF covered THEN SnapIndex(i) ELSE m.mprevLogIndex + Len(m.mentries)
       IN /\ IF ~stale THEN FollowLeader(i, m)
             ELSE UNCHANGED <<serverVars, votesGranted, leaderVars>>
          /\ log' = IF accept THEN [log EXCEPT ![i] = newLog] ELSE log
          /\ commitIndex' =
                IF accept
                THEN [commitIndex EXCEPT ![i] = Max({@, Min({m.mcommitIndex, matched})})]
                ELSE commitIndex
          /\ Reply([mtype       |-> AppendEntriesResponse,
                    mterm       |-> term,
                    msuccess    |-> accept,
                    mmatchIndex |-> IF accept THEN matched ELSE 0,
                    msource     |-> i,
                    mdest       |-> j], m)
          /\ UNCHANGED snapshot

\* Install a leader's snapshot. If i's log already has the snapshot's last
\* entry, the entries after it are kept; otherwise the log is discarded.
HandleInstallSnapshotRequest(i, j, m) ==
    /\ m.mtype = InstallSnapshotRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET stale   == m.mterm < currentTerm[i]
           term    == Max({m.mterm, currentTerm[i]})
           last    == Len(m.msnapshot)
           lastTerm == IF last = 0 THEN 0 ELSE m.msnapshot[last].term
           newer   == last > SnapIndex(i)
           keep    == last <= LastIndex(i) /\ TermAt(i, last) = lastTerm
       IN /\ IF ~stale THEN FollowLeader(i, m)
             ELSE UNCHANGED <<serverVars, votesGranted, leaderVars>>
          /\ IF ~stale /\ newer
             THEN /\ snapshot' = [snapshot EXCEPT ![i] = m.msnapshot]
                  /\ log' = [log EXCEPT ![i] =
                               IF keep THEN SubSeq(FullLog(i), last + 1, LastIndex(i))
                               ELSE << >>]
                  /\ commitIndex' = [commitIndex EXCEPT ![i] = Max({@, last})]
             ELSE UNCHANGED logVars
          /\ Reply([mtype       |-> InstallSnapshotResponse,
                    mterm       |-> term,
                    msuccess    |-> ~stale,
                    mmatchIndex |-> IF stale THEN 0 ELSE last,
                    msource     |-> i,
                    mdest       |-> j], m)

\* Responses to AppendEntries and InstallSnapshot are handled alike.
HandleReplicationResponse(i, j, m) ==
    /\ IF m.mterm > currentTerm[i]
       THEN /\ BecomeFollower(i, m.mterm)
            /\ votedFor' = [votedFor EXCEPT ![i] = Nil]
       ELSE /\ IF m.mterm = currentTerm[i] /\ state[i] = Leader
               THEN IF m.msuccess
                    THEN /\ nextIndex'  = [nextIndex  EXCEPT ![i][j] = Max({@, m.mmatchIndex + 1})]
                         /\ matchIndex' = [matchIndex EXCEPT ![i][j] = Max({@, m.mmatchIndex})]
                    ELSE /\ nextIndex'  = [nextIndex  EXCEPT ![i][j] = Max({@ - 1, 1})]
                         /\ UNCHANGED matchIndex
               ELSE UNCHANGED leaderVars
            /\ UNCHANGED <<serverVars, votesGranted>>
    /\ Discard(m)
    /\ UNCHANGED logVars

HandleAppendEntriesResponse(i, j, m) ==
    /\ m.mtype = AppendEntriesResponse
    /\ m.mdest = i /\ m.msource = j
    /\ HandleReplicationResponse(i, j, m)

HandleInstallSnapshotResponse(i, j, m) ==
    /\ m.mtype = InstallSnapshotResponse
    /\ m.mdest = i /\ m.msource = j
    /\ HandleReplicationResponse(i, j, m)

DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, logVars, votesGranted, leaderVars>>

-----------------------------------------------------------------------------

Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestPreVote(i, j)
    \/ \E i \in Server : StartElection(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i, s \in Server : AddServer(i, s)
    \/ \E i, s \in Server : RemoveServer(i, s)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i \in Server : TakeSnapshot(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server : InstallSnapshot(i, j)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandlePreVoteRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandlePreVoteResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleRequestVoteRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleRequestVoteResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleInstallSnapshotRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleInstallSnapshotResponse(i, j, m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants, explained in README.md *)

Entry == [term : Nat, kind : {Command}, value : Value, config : {{}}]
    \cup [term : Nat, kind : {Config}, value : {Nil}, config : SUBSET Server]

TypeOK ==
    /\ currentTerm \in [Server -> Nat]
    /\ state \in [Server -> {Follower, PreCandidate, Candidate, Leader}]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ \A i \in Server : log[i] \in Seq(Entry) /\ snapshot[i] \in Seq(Entry)
    /\ commitIndex \in [Server -> Nat]
    /\ votesGranted \in [Server -> SUBSET Server]
    /\ nextIndex \in [Server -> [Server -> Nat \ {0}]]
    /\ matchIndex \in [Server -> [Server -> Nat]]

Committed(i) == SubSeq(FullLog(i), 1, Min({commitIndex[i], LastIndex(i)}))

\* At most one leader per term, whatever configurations the servers use.
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

\* The terms along a server's whole log never decrease, and none exceeds the
\* server's term: a leader appends entries of its own term after everything it
\* holds, and a follower replaces a conflicting suffix rather than keeping it
\* after newer entries (conformance checks this on live nodes after each step,
\* which catches installing a snapshot over a conflicting log).
LogTermsMonotonic ==
    \A i \in Server :
        /\ \A k \in 1..(LastIndex(i) - 1) : TermAt(i, k) <= TermAt(i, k + 1)
        /\ LastTerm(i) <= currentTerm[i]

\* Snapshots only cover committed entries.
SnapshotCommitted == \A i \in Server : SnapIndex(i) <= commitIndex[i] /\ commitIndex[i] <= LastIndex(i)

\* Every snapshot agrees with every other server's committed prefix: whatever
\* a server compacted is what everyone else commits at those indices.
SnapshotAgrees ==
    \A i, j \in Server : IsPrefix(snapshot[i], Committed(j)) \/ IsPrefix(Committed(j), snapshot[i])

\* Configurations change one server at a time: consecutive configurations in
\* any log differ by exactly one server, so their majorities intersect.
SingleServerChanges ==
    \A i \in Server : \A k \in 1..LastIndex(i) :
        FullLog(i)[k].kind = Config =>
            LET before == ConfigOf(SubSeq(FullLog(i), 1, k - 1))
                after  == FullLog(i)[k].config
            IN Cardinality((before \ after) \cup (after \ before)) = 1

\* Action property: no step removes a committed entry from a server's log,
\* neither conflict truncation nor compaction nor installing a snapshot.
CommittedNeverLost ==
    [][\A i \in Server : IsPrefix(Committed(i), FullLog(i)')]_vars

LeaderAppendOnly ==
    [][\A i \in Server : (state[i] = Leader /\ state'[i] = Leader) => IsPrefix(FullLog(i), FullLog(i)')]_vars

=============================================================================
