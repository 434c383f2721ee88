---------------------------- MODULE MCRaftLiveness ----------------------------
(***************************************************************************)
(* Liveness of Raft.tla: under fairness and a bounded number of failures, *)
(* a leader is eventually elected (and stays), and an entry a leader has   *)
(* appended is eventually committed unless that leader loses leadership.   *)
(*                                                                         *)
(* Raft's liveness rests on timing assumptions that Raft.tla abstracts     *)
(* away (Timeout may fire at any moment). This model restores the two that *)
(* matter, as guards, and bounds everything else:                          *)
(*                                                                         *)
(*  - election timers do not fire while a leader of the server's term or   *)
(*    later exists, nor while some candidate of such a term can still win *)
(*    (randomized timeouts: eventually one candidate runs alone), and the  *)
(*    last term is only started by a server that could win it;             *)
(*  - crashes, message loss and duplication happen at most MaxFaults times *)
(*    in a behaviour (a `faults` counter);                                 *)
(*  - terms stop at MaxTerm, each leader appends one client entry (like    *)
(*    the no-op entry implementations append on election), and a request  *)
(*    goes to a peer only when nothing is in flight between the two. These *)
(*    bounds are part of the next-state relation (not a TLC CONSTRAINT),  *)
(*    so the fairness conditions below are about the bounded system;       *)
(*  - requests are sent only where they can make progress: a candidate     *)
(*    does not ask a server that already voted for another in its term,    *)
(*    and a leader sends AppendEntries only to servers not yet known to    *)
(*    hold its whole log (no idle heartbeats: with the timer guard above   *)
(*    they are not needed to keep followers quiet). This removes useless  *)
(*    traffic that would otherwise need strong fairness to see through.   *)
(*                                                                         *)
(* No symmetry: TLC's symmetry reduction is unsound for liveness.          *)
(***************************************************************************)
EXTENDS Raft, TLC

CONSTANTS MaxTerm, MaxFaults

VARIABLE faults   \* crashes, drops and duplications so far
lvars == <<vars, faults>>

\* A server sends a request to a peer only when nothing is in flight between
\* the two (one outstanding exchange per pair, like a stop-and-wait link or
\* etcd's probe state). This bounds the network (one message per pair, plus
\* what failures duplicate), and traffic between two servers never disables
\* a send to a third, which weak fairness relies on. (A global bound would
\* let traffic between two servers starve a send to the third one.)
PairIdle(i, j) == \A m \in DOMAIN messages : {m.msource, m.mdest} /= {i, j}

\* A candidate that a quorum would still vote for: servers that have not
\* reached a higher term, nor voted for someone else in its term, and whose
\* logs it is up to date with.
CanWin(c) ==
    IsQuorum({k \in Server :
                /\ \/ currentTerm[k] < currentTerm[c]
                   \/ currentTerm[k] = currentTerm[c] /\ votedFor[k] \in {Nil, c}
                /\ \/ LastTerm(log[c]) > LastTerm(log[k])
                   \/ /\ LastTerm(log[c]) = LastTerm(log[k])
                      /\ Len(log[c]) >= Len(log[k])})

\* Server i, starting an election in the next term, would find a quorum of
\* voters: servers not beyond that term nor committed to another candidate
\* in it, whose logs i's log is up to date with.
CouldWin(i) ==
    IsQuorum({k \in Server :
                /\ \/ currentTerm[k] <= currentTerm[i]
                   \/ currentTerm[k] = currentTerm[i] + 1 /\ votedFor[k] \in {Nil, i}
                /\ \/ LastTerm(log[i]) > LastTerm(log[k])
                   \/ /\ LastTerm(log[i]) = LastTerm(log[k])
                      /\ Len(log[i]) >= Len(log[k])})

\* The last term is reserved for a server that could win: randomized timeouts
\* make it certain that eventually such a server times out alone, and with
\* bounded terms that moment must come before the terms run out (otherwise a
\* stale server could use up every term with elections it cannot win).
ElectionTimerMayFire(i) ==
    /\ currentTerm[i] < MaxTerm
    /\ currentTerm[i] + 1 = MaxTerm => CouldWin(i)
    /\ ~\E c \in Server :
           /\ currentTerm[c] >= currentTerm[i]
           /\ \/ state[c] = Leader
              \/ state[c] = Candidate /\ CanWin(c)

\* The actions of the bounded system, under Raft.tla's names prefixed by L.
LTimeout(i)          == ElectionTimerMayFire(i) /\ Timeout(i) /\ UNCHANGED faults
\* Requests go only where they can make progress (see the header).
LRequestVote(i, j)   == /\ ~(currentTerm[j] = currentTerm[i] /\ votedFor[j] \notin {Nil, i})
                        /\ PairIdle(i, j) /\ RequestVote(i, j) /\ UNCHANGED faults
LBecomeLeader(i)     == BecomeLeader(i) /\ UNCHANGED faults
LClientRequest(i, v) == /\ \A k \in 1..Len(log[i]) : log[i][k].term /= currentTerm[i]
                        /\ ClientRequest(i, v) /\ UNCHANGED faults
LAdvanceCommitIndex(i) == AdvanceCommitIndex(i) /\ UNCHANGED faults
LAppendEntries(i, j) == /\ matchIndex[i][j] < Len(log[i])
                        /\ PairIdle(i, j) /\ AppendEntries(i, j) /\ UNCHANGED faults
LHandleRequestVoteRequest(i, j) ==
    \E m \in DOMAIN messages : HandleRequestVoteRequest(i, j, m) /\ UNCHANGED faults
LHandleRequestVoteResponse(i, j) ==
    \E m \in DOMAIN messages : HandleRequestVoteResponse(i, j, m) /\ UNCHANGED faults
LHandleAppendEntriesRequest(i, j) ==
    \E m \in DOMAIN messages : HandleAppendEntriesRequest(i, j, m) /\ UNCHANGED faults
LHandleAppendEntriesResponse(i, j) ==
    \E m \in DOMAIN messages : HandleAppendEntriesResponse(i, j, m) /\ UNCHANGED faults
\* Failures, each spending one unit of the budget.
Fault(A) == faults < MaxFaults /\ A /\ faults' = faults + 1
LRestart(i)          == Fault(Restart(i))
LDropMessage(m)      == Fault(DropMessage(m))
LDuplicateMessage(m) == Fault(DuplicateMessage(m))

LInit == Init /\ faults = 0

LNext ==
    \/ \E i \in Server : LRestart(i)
    \/ \E i \in Server : LTimeout(i)
    \/ \E i, j \in Server : LRequestVote(i, j)
    \/ \E i \in Server : LBecomeLeader(i)
    \/ \E i \in Server, v \in Value : LClientRequest(i, v)
    \/ \E i \in Server : LAdvanceCommitIndex(i)
    \/ \E i, j \in Server : LAppendEntries(i, j)
    \/ \E i, j \in Server : LHandleRequestVoteRequest(i, j)
    \/ \E i, j \in Server : LHandleRequestVoteResponse(i, j)
    \/ \E i, j \in Server : LHandleAppendEntriesRequest(i, j)
    \/ \E i, j \in Server : LHandleAppendEntriesResponse(i, j)
    \/ \E m \in DOMAIN messages : LDropMessage(m)
    \/ \E m \in DOMAIN messages : LDuplicateMessage(m)

\* Every step of the protocol proper is weakly fair: a server that can keep
\* taking it eventually does (timers fire, requests are sent, messages to a
\* server are eventually delivered). Weak fairness suffices because of
\* PairIdle: traffic between two servers never disables a send to a third.
\* Failures get no fairness.
ProtocolFairness ==
    /\ \A i \in Server :
          /\ WF_lvars(LBecomeLeader(i))
          /\ WF_lvars(\E v \in Value : LClientRequest(i, v))
          /\ WF_lvars(LAdvanceCommitIndex(i))
    /\ \A i, j \in Server :
          /\ WF_lvars(LRequestVote(i, j))
          /\ WF_lvars(LAppendEntries(i, j))
          /\ WF_lvars(LHandleRequestVoteRequest(i, j))
          /\ WF_lvars(LHandleRequestVoteResponse(i, j))
          /\ WF_lvars(LHandleAppendEntriesRequest(i, j))
          /\ WF_lvars(LHandleAppendEntriesResponse(i, j))

TimeoutFairness == \A i \in Server : WF_lvars(LTimeout(i))

LiveSpec == LInit /\ [][LNext]_lvars /\ ProtocolFairness /\ TimeoutFairness

\* Broken: election timers are not guaranteed to fire (e.g. a timer that is
\* never re-armed after a restart); nothing forces an election to start.
LiveSpecNoTimeoutFairness == LInit /\ [][LNext]_lvars /\ ProtocolFairness

-----------------------------------------------------------------------------
(* Properties *)

\* Eventually some server is leader, and from then on there always is one.
EventuallyLeader == <>[](\E i \in Server : state[i] = Leader)

\* An entry in a leader's log is eventually committed by that leader, unless
\* it stops being leader.
LeaderCommits ==
    \A i \in Server :
        [](state[i] = Leader /\ commitIndex[i] < Len(log[i])
              => <>(state[i] /= Leader \/ commitIndex[i] = Len(log[i])))

\* Eventually some entry is committed.
EventuallyCommitted == <>(\E i \in Server : commitIndex[i] > 0)
=============================================================================
