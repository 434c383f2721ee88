-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* Synod's specification of the Raft consensus algorithm (Ongaro and       *)
(* Ousterhout, "In Search of an Understandable Consensus Algorithm").      *)
(*                                                                         *)
(* Modelled: leader election (terms, RequestVote with the up-to-date       *)
(* check), log replication (AppendEntries with the prevLogIndex/prevLogTerm *)
(* check and conflict truncation), the commit rule (a leader commits by    *)
(* counting only entries of its own term), crash-restart with durable      *)
(* currentTerm, votedFor and log, and an asynchronous network that loses,  *)
(* duplicates and reorders messages.                                       *)
(*                                                                         *)
(* Abstracted: timers (Timeout may fire at any moment), client replies and *)
(* the state machine (a committed prefix of the log is what gets applied), *)
(* batching (an AppendEntries request carries at most one entry).          *)
(*                                                                         *)
(* One operator per action, named as in Ongaro's raft.tla, so that the     *)
(* action label of every step names what happened. A message with a       *)
(* higher term is handled by the handler itself (the receiver adopts the   *)
(* term first), so there is no separate UpdateTerm step.                   *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Server,  \* the set of server ids
    Value,   \* the values clients may submit
    Nil      \* "no server", for votedFor

\* Roles and message types are strings so that traces read the same as the
\* implementation's events.
Follower  == "Follower"
Candidate == "Candidate"
Leader    == "Leader"

RequestVoteRequest    == "RequestVoteRequest"
RequestVoteResponse   == "RequestVoteResponse"
AppendEntriesRequest  == "AppendEntriesRequest"
AppendEntriesResponse == "AppendEntriesResponse"

VARIABLES
    currentTerm,   \* durable: the latest term each server has seen
    state,         \* volatile: Follower, Candidate or Leader
    votedFor,      \* durable: whom each server voted for in currentTerm, or Nil
    log,           \* durable: a sequence of [term, value] entries per server
    commitIndex,   \* volatile: index of the highest entry known committed
    votesGranted,  \* volatile (candidate): servers that granted a vote
    nextIndex,     \* volatile (leader): next entry to send to each server
    matchIndex,    \* volatile (leader): highest entry known replicated on each server
    messages       \* the network: a bag, i.e. a function from message to copy count

serverVars    == <<currentTerm, state, votedFor>>
logVars       == <<log, commitIndex>>
candidateVars == <<votesGranted>>
leaderVars    == <<nextIndex, matchIndex>>
vars == <<currentTerm, state, votedFor, log, commitIndex, votesGranted,
          nextIndex, matchIndex, messages>>

-----------------------------------------------------------------------------
(* Helpers *)

Min(S) == CHOOSE x \in S : \A y \in S : x <= y
Max(S) == CHOOSE x \in S : \A y \in S : x >= y

\* S is a quorum: a majority of the servers. Any two quorums intersect.
IsQuorum(S) == 2 * Cardinality(S) > Cardinality(Server)

\* The term of the last entry of a log, 0 for an empty log.
LastTerm(xlog) == IF Len(xlog) = 0 THEN 0 ELSE xlog[Len(xlog)].term

\* s is a prefix of t.
IsPrefix(s, t) == Len(s) <= Len(t) /\ SubSeq(t, 1, Len(s)) = s

\* The network is a bag: a message may be delivered in any order, more than
\* once (DuplicateMessage) or never (DropMessage). A bag rather than a set of
\* everything ever sent keeps the state small: a delivered or dropped message
\* leaves the state, so old traffic does not accumulate.
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
(* Decision points. The broken variants (MCRaftBroken*.tla) replace exactly *)
(* one of these through the cfg (`CommitAllowed <- BrokenCommitAllowed`),   *)
(* so their traces carry the same action names as the correct spec.        *)

\* Raft's commit rule: a leader counts replicas only for entries of its own
\* term; older entries become committed indirectly, by Log Matching.
CommitAllowed(i, index) == log[i][index].term = currentTerm[i]

\* The up-to-date check: grant a vote only to a candidate whose log is at
\* least as up to date as the voter's (compare last terms, then lengths).
VoteLogOk(i, m) ==
    \/ m.mlastLogTerm > LastTerm(log[i])
    \/ /\ m.mlastLogTerm = LastTerm(log[i])
       /\ m.mlastLogIndex >= Len(log[i])

\* What a server remembers of its vote after a crash. Correct servers persist
\* the vote before replying to the candidate, so a restart keeps it.
VoteAfterRestart(i) == votedFor[i]

-----------------------------------------------------------------------------
(* Initial state *)

InitLeaderVars(i) ==
    /\ nextIndex'  = [nextIndex  EXCEPT ![i] = [j \in Server |-> 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]

Init ==
    /\ currentTerm  = [i \in Server |-> 0]
    /\ state        = [i \in Server |-> Follower]
    /\ votedFor     = [i \in Server |-> Nil]
    /\ log          = [i \in Server |-> << >>]
    /\ commitIndex  = [i \in Server |-> 0]
    /\ votesGranted = [i \in Server |-> {}]
    /\ nextIndex    = [i \in Server |-> [j \in Server |-> 1]]
    /\ matchIndex   = [i \in Server |-> [j \in Server |-> 0]]
    /\ messages     = [m \in {} |-> 0]

\* i becomes a follower in term t. Candidate and leader bookkeeping is reset
\* to its initial value, as after a restart: it is meaningless outside those
\* roles, and resetting it keeps states that differ only there from counting
\* as distinct. votedFor is left to the caller.
BecomeFollower(i, t) ==
    /\ currentTerm'  = [currentTerm  EXCEPT ![i] = t]
    /\ state'        = [state        EXCEPT ![i] = Follower]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ InitLeaderVars(i)

-----------------------------------------------------------------------------
(* Actions of a server on its own *)

\* Server i crashes and restarts: volatile state is lost, durable state
\* (currentTerm, votedFor, log) is kept.
Restart(i) ==
    /\ state'        = [state        EXCEPT ![i] = Follower]
    /\ votedFor'     = [votedFor     EXCEPT ![i] = VoteAfterRestart(i)]
    /\ commitIndex'  = [commitIndex  EXCEPT ![i] = 0]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ InitLeaderVars(i)
    /\ UNCHANGED <<currentTerm, log, messages>>

\* Server i's election timer fires: it starts an election in the next term
\* and votes for itself.
Timeout(i) ==
    /\ state[i] \in {Follower, Candidate}
    /\ currentTerm'  = [currentTerm  EXCEPT ![i] = @ + 1]
    /\ state'        = [state        EXCEPT ![i] = Candidate]
    /\ votedFor'     = [votedFor     EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ UNCHANGED <<logVars, leaderVars, messages>>

\* Candidate i asks server j for its vote (again, if an earlier request or
\* its response was lost).
RequestVote(i, j) ==
    /\ i /= j
    /\ state[i] = Candidate
    /\ j \notin votesGranted[i]
    /\ Send([mtype         |-> RequestVoteRequest,
             mterm         |-> currentTerm[i],
             mlastLogTerm  |-> LastTerm(log[i]),
             mlastLogIndex |-> Len(log[i]),
             msource       |-> i,
             mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, candidateVars, leaderVars>>

\* Candidate i has votes from a quorum and becomes leader of its term.
BecomeLeader(i) ==
    /\ state[i] = Candidate
    /\ IsQuorum(votesGranted[i])
    /\ state'      = [state      EXCEPT ![i] = Leader]
    /\ nextIndex'  = [nextIndex  EXCEPT ![i] = [j \in Server |-> Len(log[i]) + 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ UNCHANGED <<currentTerm, votedFor, logVars, candidateVars, messages>>

\* Leader i appends a client's value to its log.
ClientRequest(i, v) ==
    /\ state[i] = Leader
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], value |-> v])]
    /\ UNCHANGED <<serverVars, commitIndex, candidateVars, leaderVars, messages>>

\* Leader i advances its commitIndex to the highest index that a quorum
\* (itself included) has replicated and that the commit rule allows.
AdvanceCommitIndex(i) ==
    /\ state[i] = Leader
    /\ LET Agree(index) == {i} \cup {k \in Server : matchIndex[i][k] >= index}
           committable == {index \in (commitIndex[i] + 1)..Len(log[i]) :
                              IsQuorum(Agree(index)) /\ CommitAllowed(i, index)}
       IN /\ committable /= {}
          /\ commitIndex' = [commitIndex EXCEPT ![i] = Max(committable)]
    /\ UNCHANGED <<serverVars, log, candidateVars, leaderVars, messages>>

\* Leader i sends server j an AppendEntries request with at most one entry
\* (none: a heartbeat), starting at nextIndex[i][j].
AppendEntries(i, j) ==
    /\ i /= j
    /\ state[i] = Leader
    /\ LET prevLogIndex == nextIndex[i][j] - 1
           prevLogTerm  == IF prevLogIndex > 0 THEN log[i][prevLogIndex].term ELSE 0
           lastEntry    == Min({Len(log[i]), nextIndex[i][j]})
           entries      == SubSeq(log[i], nextIndex[i][j], lastEntry)
       IN Send([mtype         |-> AppendEntriesRequest,
                mterm         |-> currentTerm[i],
                mprevLogIndex |-> prevLogIndex,
                mprevLogTerm  |-> prevLogTerm,
                mentries      |-> entries,
                mcommitIndex  |-> Min({commitIndex[i], lastEntry}),
                msource       |-> i,
                mdest         |-> j])
    /\ UNCHANGED <<serverVars, logVars, candidateVars, leaderVars>>

-----------------------------------------------------------------------------
(* Message handlers: server i receives message m from server j. A message  *)
(* of a higher term first makes i a follower of that term with no vote.    *)

HandleRequestVoteRequest(i, j, m) ==
    /\ m.mtype = RequestVoteRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET newer == m.mterm > currentTerm[i]
           term  == IF newer THEN m.mterm ELSE currentTerm[i]
           voted == IF newer THEN Nil ELSE votedFor[i]
           grant == /\ m.mterm = term
                    /\ VoteLogOk(i, m)
                    /\ voted \in {Nil, j}
       IN /\ IF newer
             THEN BecomeFollower(i, term)
             ELSE UNCHANGED <<currentTerm, state, candidateVars, leaderVars>>
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

HandleAppendEntriesRequest(i, j, m) ==
    /\ m.mtype = AppendEntriesRequest
    /\ m.mdest = i /\ m.msource = j
    /\ LET newer  == m.mterm > currentTerm[i]
           stale  == m.mterm < currentTerm[i]
           term   == IF newer THEN m.mterm ELSE currentTerm[i]
           logOk  == \/ m.mprevLogIndex = 0
                     \/ /\ m.mprevLogIndex <= Len(log[i])
                        /\ log[i][m.mprevLogIndex].term = m.mprevLogTerm
           accept == ~stale /\ logOk
           index  == m.mprevLogIndex + 1
           \* Keep an entry already present with the same term (a duplicate
           \* or reordered request must not truncate what follows it);
           \* otherwise drop the conflicting suffix and append.
           present == \/ m.mentries = << >>
                      \/ /\ index <= Len(log[i])
                         /\ log[i][index].term = m.mentries[1].term
           newLog  == IF present THEN log[i]
                      ELSE SubSeq(log[i], 1, m.mprevLogIndex) \o m.mentries
           matched == m.mprevLogIndex + Len(m.mentries)
       IN /\ IF newer \/ (~stale /\ state[i] = Candidate)
             THEN /\ BecomeFollower(i, term)
                  /\ votedFor' = IF newer THEN [votedFor EXCEPT ![i] = Nil] ELSE votedFor
             ELSE UNCHANGED <<serverVars, candidateVars, leaderVars>>
          /\ log' = IF accept THEN [log EXCEPT ![i] = newLog] ELSE log
          /\ commitIndex' =
                IF accept
                THEN [commitIndex EXCEPT ![i] = Max({@, Min({m.mcommitIndex, matched})})]
                ELSE commitIndex
          /\ Reply([mtype        |-> AppendEntriesResponse,
                    mterm        |-> term,
                    msuccess     |-> accept,
                    mmatchIndex  |-> IF accept THEN matched ELSE 0,
                    msource      |-> i,
                    mdest        |-> j], m)

HandleAppendEntriesResponse(i, j, m) ==
    /\ m.mtype = AppendEntriesResponse
    /\ m.mdest = i /\ m.msource = j
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
            /\ UNCHANGED <<serverVars, candidateVars>>
    /\ Discard(m)
    /\ UNCHANGED logVars

\* Delivery of m to its destination. Next lists the four handlers as its own
\* disjuncts instead, so that each step's label names the handler; Receive is
\* kept for fairness conditions and for readers.
Receive(m) ==
    LET i == m.mdest
        j == m.msource
    IN \/ HandleRequestVoteRequest(i, j, m)
       \/ HandleRequestVoteResponse(i, j, m)
       \/ HandleAppendEntriesRequest(i, j, m)
       \/ HandleAppendEntriesResponse(i, j, m)

-----------------------------------------------------------------------------
(* The network misbehaving *)

DuplicateMessage(m) ==
    /\ Send(m)
    /\ UNCHANGED <<serverVars, logVars, candidateVars, leaderVars>>

DropMessage(m) ==
    /\ Discard(m)
    /\ UNCHANGED <<serverVars, logVars, candidateVars, leaderVars>>

-----------------------------------------------------------------------------

Next ==
    \/ \E i \in Server : Restart(i)
    \/ \E i \in Server : Timeout(i)
    \/ \E i, j \in Server : RequestVote(i, j)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleRequestVoteRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleRequestVoteResponse(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesRequest(i, j, m)
    \/ \E i, j \in Server, m \in DOMAIN messages : HandleAppendEntriesResponse(i, j, m)
    \/ \E m \in DOMAIN messages : DuplicateMessage(m)
    \/ \E m \in DOMAIN messages : DropMessage(m)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. They are explained in words in README.md. *)

Entry == [term : Nat, value : Value]

Message ==
         [mtype : {RequestVoteRequest}, mterm : Nat, mlastLogTerm : Nat,
          mlastLogIndex : Nat, msource : Server, mdest : Server]
    \cup [mtype : {RequestVoteResponse}, mterm : Nat, mvoteGranted : BOOLEAN,
          msource : Server, mdest : Server]
    \cup [mtype : {AppendEntriesRequest}, mterm : Nat, mprevLogIndex : Nat,
          mprevLogTerm : Nat, mentries : Seq(Entry), mcommitIndex : Nat,
          msource : Server, mdest : Server]
    \cup [mtype : {AppendEntriesResponse}, mterm : Nat, msuccess : BOOLEAN,
          mmatchIndex : Nat, msource : Server, mdest : Server]

TypeOK ==
    /\ currentTerm \in [Server -> Nat]
    /\ state \in [Server -> {Follower, Candidate, Leader}]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ \A i \in Server : log[i] \in Seq(Entry)
    /\ commitIndex \in [Server -> Nat]
    /\ votesGranted \in [Server -> SUBSET Server]
    /\ nextIndex \in [Server -> [Server -> Nat \ {0}]]
    /\ matchIndex \in [Server -> [Server -> Nat]]
    /\ \A m \in DOMAIN messages : m \in Message /\ messages[m] \in Nat \ {0}

\* The committed prefix of i's log, as far as i knows.
Committed(i) == SubSeq(log[i], 1, Min({commitIndex[i], Len(log[i])}))

ElectionSafety ==
    \A i, j \in Server :
        (state[i] = Leader /\ state[j] = Leader /\ currentTerm[i] = currentTerm[j]) => i = j

LogMatching ==
    \A i, j \in Server :
        \A k \in 1..Min({Len(log[i]), Len(log[j])}) :
            log[i][k].term = log[j][k].term => SubSeq(log[i], 1, k) = SubSeq(log[j], 1, k)

LeaderCompleteness ==
    \A i, l \in Server :
        (state[l] = Leader /\ currentTerm[l] > currentTerm[i]) => IsPrefix(Committed(i), log[l])

StateMachineSafety ==
    \A i, j \in Server : IsPrefix(Committed(i), Committed(j)) \/ IsPrefix(Committed(j), Committed(i))

CommitWithinLog == \A i \in Server : commitIndex[i] <= Len(log[i])

\* Action property: a leader only appends to its log.
LeaderAppendOnly ==
    [][\A i \in Server : (state[i] = Leader /\ state'[i] = Leader) => IsPrefix(log[i], log'[i])]_vars

=============================================================================
