--------------------------- MODULE RaftElection ---------------------------
(* The leader-election half of Raft: terms, RequestVote requests and       *)
(* replies as messages in a bag-free set, votes granted at most once per   *)
(* term, a candidate with a majority becomes leader. Terms are bounded by  *)
(* a state constraint so the model is finite.                              *)
EXTENDS Naturals, FiniteSets

CONSTANTS Server, MaxTerm

VARIABLES currentTerm, role, votedFor, votesGranted, msgs
vars == <<currentTerm, role, votedFor, votesGranted, msgs>>

Nil == "nil"
Quorum == {Q \in SUBSET Server : Cardinality(Q) * 2 > Cardinality(Server)}
\* A broken notion of quorum, substituted for Quorum by RaftElectionBroken.cfg.
AnyTwo == {Q \in SUBSET Server : Cardinality(Q) >= 2}

Init ==
  /\ currentTerm = [s \in Server |-> 1]
  /\ role = [s \in Server |-> "follower"]
  /\ votedFor = [s \in Server |-> Nil]
  /\ votesGranted = [s \in Server |-> {}]
  /\ msgs = {}

\* A server times out and starts an election for the next term.
Timeout(s) ==
  /\ role[s] \in {"follower", "candidate"}
  /\ currentTerm' = [currentTerm EXCEPT ![s] = @ + 1]
  /\ role' = [role EXCEPT ![s] = "candidate"]
  /\ votedFor' = [votedFor EXCEPT ![s] = s]
  /\ votesGranted' = [votesGranted EXCEPT ![s] = {s}]
  /\ msgs' = msgs \cup {[type |-> "RequestVote", term |-> currentTerm[s] + 1, src |-> s, dst |-> d] : d \in Server \ {s}}

\* Any server that sees a higher term steps down to follower in that term.
UpdateTerm(s) ==
  \E m \in msgs :
    /\ m.dst = s
    /\ m.term > currentTerm[s]
    /\ currentTerm' = [currentTerm EXCEPT ![s] = m.term]
    /\ role' = [role EXCEPT ![s] = "follower"]
    /\ votedFor' = [votedFor EXCEPT ![s] = Nil]
    /\ UNCHANGED <<votesGranted, msgs>>

HandleRequestVote(s) ==
  \E m \in msgs :
    /\ m.type = "RequestVote"
    /\ m.dst = s
    /\ m.term = currentTerm[s]
    /\ LET grant == votedFor[s] \in {Nil, m.src}
       IN  /\ votedFor' = [votedFor EXCEPT ![s] = IF grant THEN m.src ELSE @]
           /\ msgs' = (msgs \ {m}) \cup
                        {[type |-> "Vote", term |-> m.term, granted |-> grant, src |-> s, dst |-> m.src]}
    /\ UNCHANGED <<currentTerm, role, votesGranted>>

HandleVote(s) ==
  \E m \in msgs :
    /\ m.type = "Vote"
    /\ m.dst = s
    /\ m.term = currentTerm[s]
    /\ votesGranted' = [votesGranted EXCEPT ![s] = IF m.granted THEN @ \cup {m.src} ELSE @]
    /\ msgs' = msgs \ {m}
    /\ UNCHANGED <<currentTerm, role, votedFor>>

BecomeLeader(s) ==
  /\ role[s] = "candidate"
  /\ votesGranted[s] \in Quorum
  /\ role' = [role EXCEPT ![s] = "leader"]
  /\ UNCHANGED <<currentTerm, votedFor, votesGranted, msgs>>

Next == \E s \in Server :
          \/ Timeout(s) \/ UpdateTerm(s) \/ HandleRequestVote(s)
          \/ HandleVote(s) \/ BecomeLeader(s)

Spec == Init /\ [][Next]_vars

TermBound == \A s \in Server : currentTerm[s] <= MaxTerm

\* At most one leader per term.
ElectionSafety ==
  \A s, t \in Server :
    (role[s] = "leader" /\ role[t] = "leader" /\ currentTerm[s] = currentTerm[t]) => s = t
=============================================================================
