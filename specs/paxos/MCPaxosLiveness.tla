--------------------------- MODULE MCPaxosLiveness ---------------------------
(***************************************************************************)
(* Liveness of Paxos.tla under a stable proposer. Paxos cannot guarantee   *)
(* progress with competing proposers (FLP; duelling proposers can preempt  *)
(* each other forever), so the assumption is the usual one: one proposer,  *)
(* Stable, eventually runs the highest ballot, [MaxRound, Stable], alone   *)
(* to completion. Weak fairness on its steps, and on the acceptors' and    *)
(* learners' steps for that ballot (messages are eventually delivered),    *)
(* makes a value chosen and learnt. Every other step (other proposers,     *)
(* other ballots) may happen or not, in any order: they have no fairness. *)
(*                                                                         *)
(* The proposer must own the highest ballot: MCPaxosLivenessBroken.cfg     *)
(* makes the lower-ranked proposer the fair one, and TLC finds a behaviour *)
(* in which the other proposer takes a quorum's promises with a higher     *)
(* ballot and then stops. No symmetry (it is unsound for liveness).        *)
(***************************************************************************)
EXTENDS MCPaxos

CONSTANT Stable   \* the proposer that eventually runs alone

Top == [rnd |-> MaxRound, prop |-> Stable]

\* Acceptor a's promise, and its vote, in ballot Top.
Phase1bTop(a) == Phase1b(a) /\ maxBal'[a] = Top
Phase2bTop(a) == Phase2b(a) /\ maxVBal'[a] = Top

Fairness ==
    /\ WF_vars(\E v \in Value : Propose(v))
    /\ WF_vars(Phase1a(Top))
    /\ \A a \in Acceptor : WF_vars(Phase1bTop(a))
    /\ WF_vars(\E v \in Value : Phase2a(Top, v))
    /\ \A a \in Acceptor : WF_vars(Phase2bTop(a))
    /\ \A l \in Learner : WF_vars(\E v \in Value : Learn(l, v))

LiveSpec == Spec /\ Fairness

\* A value is eventually chosen.
EventuallyChosen == <>(Chosen /= {})

\* Every learner eventually learns a value.
EventuallyLearned == \A l \in Learner : <>(learned[l] /= None)
=============================================================================
