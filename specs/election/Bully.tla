-------------------------------- MODULE Bully --------------------------------
(***************************************************************************)
(* Garcia-Molina's Bully election, as packages/election's BullyNode runs   *)
(* it. Servers are ranked by number; the highest live one should lead.     *)
(*                                                                         *)
(* A node that finds its leader down (DetectFailure) or comes back from a  *)
(* crash (Recover) starts an election: Election to every higher node. A    *)
(* live higher node answers (Answer) and runs its own election; a node    *)
(* that gets no answer (AnswerTimeout) declares itself with Coordinator to *)
(* every lower node. A leader asked by a lower node answers with its       *)
(* Coordinator at once.                                                    *)
(*                                                                         *)
(* The algorithm assumes a synchronous system: a timeout fires only when   *)
(* the awaited message cannot come. The spec says so directly: the answer  *)
(* timeout is enabled only when no higher node is up and no Answer is on  *)
(* its way, and failure detection only when the leader is really down (a   *)
(* perfect failure detector). Without that assumption (partitions, slow    *)
(* messages) Bully elects two leaders, which the lease election avoids;    *)
(* with Synchronous = FALSE every timeout may fire at any time and any     *)
(* message may be lost, which is what trace validation holds the           *)
(* implementation to (its timers know nothing of the others' state).      *)
(*                                                                         *)
(* A leader's heartbeat (Heartbeat) sends Alive to every lower node; a     *)
(* node that hears Alive from a higher node while idle follows it (so a   *)
(* lost Coordinator is made good), and a node that hears a lower one claim *)
(* to lead bullies it with an election of its own.                         *)
(*                                                                         *)
(* Messages in flight are a set; a crashed node's messages are lost.      *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    N,            \* servers 1..N, ranked by number
    Synchronous   \* FALSE only in the asynchronous model: messages may be lost and an answer
                  \* timeout may fire at any time (what a partition looks like)

Server == 1 .. N
Nil == 0

VARIABLES
    up,        \* up[i]: whether i runs
    leader,    \* leader[i]: the leader i believes in (Nil: none)
    phase,     \* phase[i]: "idle", "electing" (awaiting answers) or "answered" (awaiting a Coordinator)
    msgs       \* messages in flight: [type, from, to] (type Election, Answer, Coordinator or Alive)

vars == <<up, leader, phase, msgs>>

Msg(t, f, d) == [type |-> t, from |-> f, to |-> d]
Higher(i) == {j \in Server : j > i}
Lower(i) == {j \in Server : j < i}
MaxLive == CHOOSE i \in Server : up[i] /\ \A j \in Server : up[j] => j <= i

Init ==
    /\ up = [i \in Server |-> TRUE]
    /\ leader = [i \in Server |-> Nil]
    /\ phase = [i \in Server |-> "idle"]
    /\ msgs = {}

\* The messages and the new state of i starting an election: Election to every higher node, or,
\* with none, a win at once announced to every lower node.
StartMsgs(i) ==
    IF Higher(i) = {} THEN {Msg("Coordinator", i, j) : j \in Lower(i)}
    ELSE {Msg("Election", i, j) : j \in Higher(i)}
StartState(i) ==
    /\ leader' = [leader EXCEPT ![i] = IF Higher(i) = {} THEN i ELSE Nil]
    /\ phase' = [phase EXCEPT ![i] = IF Higher(i) = {} THEN "idle" ELSE "electing"]
StartElection(i) == StartState(i) /\ msgs' = msgs \cup StartMsgs(i)

---------------------------------------------------------------------------

\* j leads: it is up and believes it leads (so it sends heartbeats).
Leads(j) == j # Nil /\ up[j] /\ leader[j] = j

\* i hears no heartbeat from its leader (it is down, or no longer leads; a perfect failure
\* detector), or knows none while idle: i starts an election. Without synchrony heartbeats may
\* be lost or late, and the detector may suspect a live leader.
DetectFailure(i) ==
    /\ up[i] /\ phase[i] = "idle" /\ leader[i] # i
    /\ Synchronous => IF leader[i] = Nil THEN TRUE ELSE ~Leads(leader[i])
    /\ StartElection(i)
    /\ UNCHANGED up

\* i receives j's Election (j is lower): it answers, and takes over unless it leads already or
\* is electing already.
HandleElection(i, j) ==
    /\ up[i] /\ Msg("Election", j, i) \in msgs
    /\ IF leader[i] = i /\ phase[i] = "idle"
         THEN /\ msgs' = (msgs \ {Msg("Election", j, i)}) \cup {Msg("Answer", i, j), Msg("Coordinator", i, j)}
              /\ UNCHANGED <<leader, phase>>
         ELSE IF phase[i] = "idle"
         THEN /\ StartState(i)
              /\ msgs' = (msgs \ {Msg("Election", j, i)}) \cup {Msg("Answer", i, j)} \cup StartMsgs(i)
         ELSE /\ msgs' = (msgs \ {Msg("Election", j, i)}) \cup {Msg("Answer", i, j)}
              /\ UNCHANGED <<leader, phase>>
    /\ UNCHANGED up

\* i receives an Answer from higher j while electing: it waits for a Coordinator.
HandleAnswer(i, j) ==
    /\ up[i] /\ Msg("Answer", j, i) \in msgs
    /\ msgs' = msgs \ {Msg("Answer", j, i)}
    /\ phase' = [phase EXCEPT ![i] = IF phase[i] = "electing" THEN "answered" ELSE phase[i]]
    /\ UNCHANGED <<up, leader>>

\* No answer can come (every higher node is down, none is on its way): i wins. Without synchrony
\* the timeout may fire while an answer is merely slow.
AnswerTimeout(i) ==
    /\ up[i] /\ phase[i] = "electing"
    /\ Synchronous => /\ \A j \in Higher(i) : ~up[j]
                      /\ ~\E j \in Higher(i) : Msg("Answer", j, i) \in msgs
    /\ leader' = [leader EXCEPT ![i] = i]
    /\ phase' = [phase EXCEPT ![i] = "idle"]
    /\ msgs' = msgs \cup {Msg("Coordinator", i, k) : k \in Lower(i)}
    /\ UNCHANGED up

\* Answered, but no Coordinator can come (every higher node is down, none is on its way): i
\* starts again. Without synchrony the timeout may fire while a Coordinator is merely slow.
CoordinatorTimeout(i) ==
    /\ up[i] /\ phase[i] = "answered"
    /\ Synchronous => /\ \A j \in Higher(i) : ~up[j]
                      /\ ~\E j \in Higher(i) : Msg("Coordinator", j, i) \in msgs
    /\ StartElection(i)
    /\ UNCHANGED up

\* i receives j's Coordinator: a higher j is its leader; a lower one is bullied by a new election.
HandleCoordinator(i, j) ==
    /\ up[i] /\ Msg("Coordinator", j, i) \in msgs
    /\ IF j > i
         THEN /\ leader' = [leader EXCEPT ![i] = j]
              /\ phase' = [phase EXCEPT ![i] = "idle"]
              /\ msgs' = msgs \ {Msg("Coordinator", j, i)}
         ELSE IF phase[i] = "idle"
         THEN /\ StartState(i)
              /\ msgs' = (msgs \ {Msg("Coordinator", j, i)}) \cup StartMsgs(i)
         ELSE /\ msgs' = msgs \ {Msg("Coordinator", j, i)}
              /\ UNCHANGED <<leader, phase>>
    /\ UNCHANGED up

\* Leader i's heartbeat: Alive to every lower node.
Heartbeat(i) ==
    /\ Leads(i)
    /\ msgs' = msgs \cup {Msg("Alive", i, k) : k \in Lower(i)}
    /\ UNCHANGED <<up, leader, phase>>

\* i receives j's Alive. A higher j is followed when i is idle or already follows j (an election
\* under way is left to finish); a lower j that claims to lead is bullied, as by a Coordinator.
HandleAlive(i, j) ==
    /\ up[i] /\ Msg("Alive", j, i) \in msgs
    /\ IF j > i /\ (phase[i] = "idle" \/ leader[i] = j)
         THEN /\ leader' = [leader EXCEPT ![i] = j]
              /\ phase' = [phase EXCEPT ![i] = "idle"]
              /\ msgs' = msgs \ {Msg("Alive", j, i)}
         ELSE IF j < i /\ phase[i] = "idle"
         THEN /\ StartState(i)
              /\ msgs' = (msgs \ {Msg("Alive", j, i)}) \cup StartMsgs(i)
         ELSE /\ msgs' = msgs \ {Msg("Alive", j, i)}
              /\ UNCHANGED <<leader, phase>>
    /\ UNCHANGED up

\* i crashes: its state and the messages to it are lost.
Crash(i) ==
    /\ up[i]
    /\ up' = [up EXCEPT ![i] = FALSE]
    /\ leader' = [leader EXCEPT ![i] = Nil]
    /\ phase' = [phase EXCEPT ![i] = "idle"]
    /\ msgs' = {m \in msgs : m.to # i}

\* Without synchrony, a message may be lost (a partition, an overloaded link).
LoseMessage(m) ==
    /\ ~Synchronous
    /\ m \in msgs
    /\ msgs' = msgs \ {m}
    /\ UNCHANGED <<up, leader, phase>>

\* i comes back and starts an election, as in the original.
Recover(i) ==
    /\ ~up[i]
    /\ up' = [up EXCEPT ![i] = TRUE]
    /\ StartElection(i)

Next ==
    \/ \E i \in Server : DetectFailure(i) \/ AnswerTimeout(i) \/ CoordinatorTimeout(i) \/ Heartbeat(i) \/ Crash(i) \/ Recover(i)
    \/ \E i, j \in Server : HandleElection(i, j) \/ HandleAnswer(i, j) \/ HandleCoordinator(i, j) \/ HandleAlive(i, j)
    \/ \E m \in msgs : LoseMessage(m)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

TypeOK ==
    /\ up \in [Server -> BOOLEAN]
    /\ leader \in [Server -> Server \cup {Nil}]
    /\ phase \in [Server -> {"idle", "electing", "answered"}]
    /\ msgs \subseteq [type : {"Election", "Answer", "Coordinator", "Alive"}, from : Server, to : Server]

\* Nothing is under way: no message in flight, no live node electing, and every live node's
\* leader leads (so no failure remains to be detected).
Stable ==
    /\ msgs = {}
    /\ \A i \in Server : up[i] => (phase[i] = "idle" /\ IF leader[i] = Nil THEN FALSE ELSE Leads(leader[i]))

\* Once stable, the highest live node leads, and every live node knows it.
HighestLiveWins ==
    (Stable /\ \E i \in Server : up[i]) => \A i \in Server : up[i] => leader[i] = MaxLive

\* Once stable, at most one node believes it leads.
OneLeaderWhenStable ==
    Stable => Cardinality({i \in Server : up[i] /\ leader[i] = i}) <= 1
=============================================================================
