---------------------------- MODULE AntiEntropy ----------------------------
(***************************************************************************)
(* Anti-entropy carrying a state-based CRDT (Shapiro et al., "Conflict-    *)
(* free Replicated Data Types", 2011; deltas as in Almeida et al., "Delta  *)
(* State Replicated Data Types", 2018).                                    *)
(*                                                                         *)
(* Each replica holds a state of a join-semilattice. A client update at a  *)
(* replica applies a delta mutator; replicas ship whole states (the Merkle *)
(* exchange of @synod/gossip ships the states of the differing keys) or    *)
(* the delta of one update (rumor mongering), and a receiver joins what    *)
(* arrives. The network is a bag: messages are lost, duplicated and        *)
(* delivered in any order. A delta is joined only in causal order (the     *)
(* receiver has seen the update's causal past; until then it waits, in     *)
(* flight). Exchange(r, s) is an anti-entropy round that gets through; it  *)
(* is the action fairness is asked of.                                     *)
(*                                                                         *)
(* The lattice is a parameter: Bottom, Join and Leq are the lattice, Delta *)
(* the delta mutator, Merge what a receiver does (Join for a correct       *)
(* implementation; the broken models substitute a wrong one), Value a      *)
(* read, SpecValue the type's specification of a read given the updates   *)
(* seen. MCGCounter.tla and MCORSet.tla instantiate it.                    *)
(*                                                                         *)
(* The ghost variables issued, seen and joined record every update (with  *)
(* its causal past), per replica the updates it has incorporated (a       *)
(* version vector), and the join of all updates: the invariants are       *)
(* stated with them.                                                       *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, Bags

CONSTANTS
    Replica,        \* the replicas
    Op,             \* the operations a client may ask for
    MaxUpdates,     \* updates per replica (the model's bound: updates stop)
    MaxInFlight,    \* messages in flight at most (the model's bound)
    Bottom,         \* the least state
    Join(_, _),     \* the lattice's least upper bound
    Merge(_, _),    \* what a receiver does with its state and what arrived
    Leq(_, _),      \* the lattice order
    Delta(_, _, _, _), \* Delta(state, r, op, k): the delta of r's k-th update op
    Value(_),       \* a read of a state
    SpecValue(_)    \* the specified read after exactly a set of updates

VARIABLES
    state,          \* state[r]: replica r's lattice state
    msgs,           \* the bag of messages in flight
    count,          \* count[r]: updates r has issued
    issued,         \* ghost: every update, [origin, seq, op, delta, deps]
    seen,           \* ghost: seen[r][q] = how many of q's updates r has incorporated
    joined          \* ghost: the join of the deltas of every update issued

vars == <<state, msgs, count, issued, seen, joined>>

Max(a, b) == IF a >= b THEN a ELSE b
ZeroVV == [q \in Replica |-> 0]
VVJoin(a, b) == [q \in Replica |-> Max(a[q], b[q])]
VVLeq(a, b) == \A q \in Replica : a[q] <= b[q]

\* The join of every update issued so far: what every replica converges to. (Kept in a ghost
\* variable rather than folded over issued at every state: same states, far less work.)
JoinAll == joined

\* The updates replica r has incorporated.
SeenBy(r) == {u \in issued : u.seq <= seen[r][u.origin]}

\* A message: a whole state or the delta of one update, with the version vector of the updates
\* it carries (vv) and, for a delta, the causal past the receiver must have seen first (deps).
Message(kind, from, to, payload, vv, deps) ==
    [kind |-> kind, from |-> from, to |-> to, payload |-> payload, vv |-> vv, deps |-> deps]

Send(m) == msgs' = msgs (+) SetToBag({m})

-----------------------------------------------------------------------------
Init ==
    /\ state = [r \in Replica |-> Bottom]
    /\ msgs = EmptyBag
    /\ count = [r \in Replica |-> 0]
    /\ issued = {}
    /\ seen = [r \in Replica |-> ZeroVV]
    /\ joined = Bottom

\* A client update op at replica r: r's count+1-th update, applied through the delta mutator.
Update(r, op) ==
    /\ count[r] < MaxUpdates
    /\ LET k == count[r] + 1
           d == Delta(state[r], r, op, k)
       IN /\ state' = [state EXCEPT ![r] = Join(state[r], d)]
          /\ issued' = issued \cup {[origin |-> r, seq |-> k, op |-> op, delta |-> d, deps |-> seen[r]]}
          /\ seen' = [seen EXCEPT ![r][r] = k]
          /\ count' = [count EXCEPT ![r] = k]
          /\ joined' = Join(joined, d)
    /\ UNCHANGED msgs

\* r sends its whole state to s (push; a pull is s asking and r pushing).
Push(r, s) ==
    /\ r # s
    /\ BagCardinality(msgs) < MaxInFlight
    /\ Send(Message("state", r, s, state[r], seen[r], seen[r]))
    /\ UNCHANGED <<state, count, issued, seen, joined>>

\* r sends s the delta of update u, whose effect r's state includes.
PushDelta(r, s, u) ==
    /\ r # s
    /\ u \in issued
    /\ Leq(u.delta, state[r])
    /\ BagCardinality(msgs) < MaxInFlight
    /\ Send(Message("delta", r, s, u.delta, [u.deps EXCEPT ![u.origin] = u.seq], u.deps))
    /\ UNCHANGED <<state, count, issued, seen, joined>>

\* The receiver joins a message: a state at once, a delta once it has seen the delta's causal past.
Receive(m) ==
    /\ BagIn(m, msgs)
    /\ m.kind = "state" \/ VVLeq(m.deps, seen[m.to])
    /\ state' = [state EXCEPT ![m.to] = Merge(state[m.to], m.payload)]
    /\ seen' = [seen EXCEPT ![m.to] = VVJoin(seen[m.to], m.vv)]
    /\ msgs' = msgs (-) SetToBag({m})
    /\ UNCHANGED <<count, issued, joined>>

\* The network loses a message.
Lose(m) ==
    /\ BagIn(m, msgs)
    /\ msgs' = msgs (-) SetToBag({m})
    /\ UNCHANGED <<state, count, issued, seen, joined>>

\* The network duplicates a message.
Duplicate(m) ==
    /\ BagIn(m, msgs)
    /\ BagCardinality(msgs) < MaxInFlight
    /\ Send(m)
    /\ UNCHANGED <<state, count, issued, seen, joined>>

\* An anti-entropy round from r to s that gets through: s joins r's state.
Exchange(r, s) ==
    /\ r # s
    /\ state' = [state EXCEPT ![s] = Merge(state[s], state[r])]
    /\ seen' = [seen EXCEPT ![s] = VVJoin(seen[s], seen[r])]
    /\ UNCHANGED <<msgs, count, issued, joined>>

Next ==
    \/ \E r \in Replica, op \in Op : Update(r, op)
    \/ \E r, s \in Replica : Push(r, s)
    \/ \E r, s \in Replica, u \in issued : PushDelta(r, s, u)
    \/ \E m \in BagToSet(msgs) : Receive(m) \/ Lose(m) \/ Duplicate(m)
    \/ \E r, s \in Replica : Exchange(r, s)

Spec == Init /\ [][Next]_vars

\* Anti-entropy keeps going between every pair: a round that can change something eventually does.
FairSpec == Spec /\ \A r, s \in Replica : WF_vars(Exchange(r, s))

\* Pushes and receipts alone are fair here, but the network may lose every message: this is not
\* enough for convergence (MCGCounterLossy.cfg shows the behaviour that never converges).
LossySpec ==
    /\ Spec
    /\ \A r, s \in Replica : WF_vars(Push(r, s))
    /\ WF_vars(\E m \in BagToSet(msgs) : Receive(m))

-----------------------------------------------------------------------------
(***************************************************************************)
(* Invariants                                                              *)
(***************************************************************************)

\* The variables have the shapes intended.
TypeOK ==
    /\ count \in [Replica -> 0..MaxUpdates]
    /\ seen \in [Replica -> [Replica -> 0..MaxUpdates]]
    /\ BagCardinality(msgs) <= MaxInFlight
    /\ \A r \in Replica : seen[r][r] = count[r]
    /\ Cardinality(issued) = LET RECURSIVE S(_) S(R) == IF R = {} THEN 0 ELSE LET q == CHOOSE x \in R : TRUE IN count[q] + S(R \ {q}) IN S(Replica)

\* Every replica's state, and every payload in flight, is below the join of all updates: nothing
\* is invented, and nothing counted twice (a merge that is not idempotent breaks this).
BelowJoin ==
    LET all == JoinAll IN
    /\ \A r \in Replica : Leq(state[r], all)
    /\ \A m \in BagToSet(msgs) : Leq(m.payload, all)

\* No update is lost by a merge: once a replica has incorporated an update, its state stays
\* above the update's delta.
NoLostUpdate ==
    \A r \in Replica : \A u \in SeenBy(r) : Leq(u.delta, state[r])

\* A read at any replica is the type's specification applied to the updates it has seen (for
\* the OR-Set, add-wins over the causal order those updates record).
ReadsMatchSpec ==
    \A r \in Replica : Value(state[r]) = SpecValue(SeenBy(r))

\* Replicas that have seen the same updates are equal (strong eventual consistency's safety).
SameUpdatesSameState ==
    \A r, s \in Replica : seen[r] = seen[s] => state[r] = state[s]

(***************************************************************************)
(* Convergence (a liveness PROPERTY, under FairSpec): updates stop (each   *)
(* replica issues at most MaxUpdates), and then every replica reaches the *)
(* join of all updates and stays there.                                    *)
(***************************************************************************)
Converged == LET all == JoinAll IN \A r \in Replica : state[r] = all

Convergence == <>[]Converged
=============================================================================
