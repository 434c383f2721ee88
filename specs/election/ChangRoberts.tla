----------------------------- MODULE ChangRoberts -----------------------------
(***************************************************************************)
(* Chang and Roberts' ring election, as packages/election's RingNode runs  *)
(* it on a ring without crashes (the node's acknowledgements, which skip a *)
(* crashed successor, are not modelled). Nodes 1..N sit on a ring in some  *)
(* order; every arrangement is checked (the order is chosen in Init).      *)
(*                                                                         *)
(* An initiator sends Election(itself) clockwise. A node passes on a       *)
(* higher candidate, replaces a lower one by itself once (a node already   *)
(* taking part swallows it), and a node that gets its own id back is the   *)
(* highest and sends Elected(itself) once round. Messages in flight are a  *)
(* set per link (no order is assumed).                                     *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Sequences

CONSTANT N   \* nodes 1..N, ranked by number

Node == 1 .. N
Nil == 0

VARIABLES
    ring,         \* ring[k]: the node at position k (clockwise), fixed after Init
    participant,  \* participant[i]: i takes part in the election under way
    leader,       \* leader[i]: the leader i knows of (Nil: none)
    msgs          \* messages in flight: [type, val, to]

vars == <<ring, participant, leader, msgs>>

Pos(i) == CHOOSE k \in 1 .. N : ring[k] = i
Succ(i) == ring[(Pos(i) % N) + 1]

\* Every arrangement of the nodes on the ring, up to rotation (node N at position 1).
Rings == {r \in [1 .. N -> Node] : r[1] = N /\ \A k, l \in 1 .. N : k # l => r[k] # r[l]}

Init ==
    /\ ring \in Rings
    /\ participant = [i \in Node |-> FALSE]
    /\ leader = [i \in Node |-> Nil]
    /\ msgs = {}

Send(t, v, i) == [type |-> t, val |-> v, to |-> Succ(i)]

\* i, not yet taking part, starts an election.
Initiate(i) ==
    /\ ~participant[i] /\ leader[i] = Nil
    /\ participant' = [participant EXCEPT ![i] = TRUE]
    /\ msgs' = msgs \cup {Send("Election", i, i)}
    /\ UNCHANGED <<ring, leader>>

\* i receives Election(c): pass on a higher candidate, replace a lower one once, or win.
HandleElection(i, c) ==
    LET m == [type |-> "Election", val |-> c, to |-> i] IN
    /\ m \in msgs
    /\ CASE c > i ->
              /\ participant' = [participant EXCEPT ![i] = TRUE]
              /\ msgs' = (msgs \ {m}) \cup {Send("Election", c, i)}
              /\ UNCHANGED leader
         [] c < i /\ ~participant[i] ->
              /\ participant' = [participant EXCEPT ![i] = TRUE]
              /\ msgs' = (msgs \ {m}) \cup {Send("Election", i, i)}
              /\ UNCHANGED leader
         [] c < i /\ participant[i] ->
              /\ msgs' = msgs \ {m}
              /\ UNCHANGED <<participant, leader>>
         [] c = i ->
              /\ participant' = [participant EXCEPT ![i] = FALSE]
              /\ leader' = [leader EXCEPT ![i] = i]
              /\ msgs' = (msgs \ {m}) \cup {Send("Elected", i, i)}
    /\ UNCHANGED ring

\* i learns the leader l, and passes it on unless it is l (the announcement has come round).
HandleElected(i, l) ==
    LET m == [type |-> "Elected", val |-> l, to |-> i] IN
    /\ m \in msgs
    /\ participant' = [participant EXCEPT ![i] = FALSE]
    /\ leader' = [leader EXCEPT ![i] = l]
    /\ msgs' = (msgs \ {m}) \cup (IF l = i THEN {} ELSE {Send("Elected", l, i)})
    /\ UNCHANGED ring

Next ==
    \/ \E i \in Node : Initiate(i)
    \/ \E i, c \in Node : HandleElection(i, c) \/ HandleElected(i, c)

Spec == Init /\ [][Next]_vars
\* Messages are delivered; at least the nodes that can initiate do (weak fairness).
LiveSpec == Spec /\ WF_vars(\E i, c \in Node : HandleElection(i, c) \/ HandleElected(i, c))
                 /\ \A i \in Node : WF_vars(Initiate(i))

---------------------------------------------------------------------------
(* Invariants *)

TypeOK ==
    /\ ring \in Rings
    /\ participant \in [Node -> BOOLEAN]
    /\ leader \in [Node -> Node \cup {Nil}]
    /\ msgs \subseteq [type : {"Election", "Elected"}, val : Node, to : Node]

\* At any time at most one node believes it leads.
OneLeader == Cardinality({i \in Node : leader[i] = i}) <= 1

\* Every leader known is the highest node (the only one that can get its own id back).
HighestWins == \A i \in Node : leader[i] \in {Nil, N}

\* Once nothing is in flight after an election, every node knows the highest node.
StableAgreement == (msgs = {} /\ \E i \in Node : leader[i] # Nil) => \A i \in Node : leader[i] = N

\* Liveness: every node learns the leader (the highest node).
EveryoneLearns == <>(\A i \in Node : leader[i] = N)
=============================================================================
