-------------------------------- MODULE Paxos --------------------------------
(***************************************************************************)
(* Single-decree Paxos (Lamport, "The Part-Time Parliament" and "Paxos     *)
(* Made Simple"), written after Lamport's Paxos.tla: acceptors keep        *)
(* maxBal (their promise), maxVBal and maxVal (their latest vote), and the *)
(* network is the set msgs of every message ever sent. A message is never  *)
(* removed, so it may be received any number of times, in any order, or   *)
(* never: loss, duplication and reordering are all in the model.           *)
(*                                                                         *)
(* Differences from Lamport's Paxos.tla:                                   *)
(*  - a ballot belongs to a proposer: ballots are records [rnd, prop],     *)
(*    ordered by round, then by the proposer's rank, so no two proposers   *)
(*    share a ballot;                                                      *)
(*  - clients propose values (Propose), and a proposer free to pick a      *)
(*    value picks a proposed one, so that "only a proposed value is        *)
(*    chosen" is a property with content;                                  *)
(*  - learners learn a value from a quorum of Phase 2b messages.           *)
(*                                                                         *)
(* Acceptors' state is all durable, so a crash and restart of an acceptor  *)
(* is indistinguishable from a pause and is not a separate action.         *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Value,     \* the values clients may propose
    Acceptor,  \* the acceptors
    Proposer,  \* the proposers (each owns the ballots [rnd |-> r, prop |-> p])
    Learner,   \* the learners
    Rank,      \* an injective function Proposer -> positive naturals: ballot tie-break
    MaxRound,  \* rounds are 1..MaxRound (a model bound: the set of ballots is finite)
    None       \* "no value"

ASSUME /\ None \notin Value
       /\ Rank \in [Proposer -> Nat \ {0}]
       /\ \A p, q \in Proposer : Rank[p] = Rank[q] => p = q
       /\ MaxRound \in Nat

-----------------------------------------------------------------------------
(* Ballots: ordered by round, then by the rank of their proposer. The zero *)
(* ballot (round 0) is below every ballot and stands for "none yet".       *)

Ballot     == [rnd : 1..MaxRound, prop : Proposer]
ZeroBallot == [rnd |-> 0, prop |-> None]

BallotLT(a, b) ==
    \/ a.rnd < b.rnd
    \/ a.rnd = b.rnd /\ a.rnd > 0 /\ Rank[a.prop] < Rank[b.prop]

BallotLE(a, b) == a = b \/ BallotLT(a, b)

\* A quorum is a majority of the acceptors: any two quorums intersect. The
\* broken variant MCPaxosBrokenQuorum replaces this.
IsQuorum(S) == 2 * Cardinality(S) > Cardinality(Acceptor)

Quorum == {Q \in SUBSET Acceptor : IsQuorum(Q)}

-----------------------------------------------------------------------------

VARIABLES
    proposed,  \* the values clients have proposed
    maxBal,    \* maxBal[a]: the highest ballot acceptor a has promised (or voted in)
    maxVBal,   \* maxVBal[a]: the ballot of a's latest vote (ZeroBallot: none)
    maxVal,    \* maxVal[a]: the value of a's latest vote (None: none)
    msgs,      \* every message ever sent
    learned    \* learned[l]: the value learner l has learnt (None: none yet)

vars == <<proposed, maxBal, maxVBal, maxVal, msgs, learned>>

Message ==
         [type : {"1a"}, bal : Ballot]
    \cup [type : {"1b"}, acc : Acceptor, bal : Ballot,
          mbal : Ballot \cup {ZeroBallot}, mval : Value \cup {None}]
    \cup [type : {"2a"}, bal : Ballot, val : Value]
    \cup [type : {"2b"}, acc : Acceptor, bal : Ballot, val : Value]

Send(m) == msgs' = msgs \cup {m}

Init ==
    /\ proposed = {}
    /\ maxBal   = [a \in Acceptor |-> ZeroBallot]
    /\ maxVBal  = [a \in Acceptor |-> ZeroBallot]
    /\ maxVal   = [a \in Acceptor |-> None]
    /\ msgs     = {}
    /\ learned  = [l \in Learner |-> None]

-----------------------------------------------------------------------------
(* Actions *)

\* A client proposes value v.
Propose(v) ==
    /\ v \notin proposed
    /\ proposed' = proposed \cup {v}
    /\ UNCHANGED <<maxBal, maxVBal, maxVal, msgs, learned>>

\* Proposer b.prop starts ballot b: it asks the acceptors to promise.
Phase1a(b) ==
    /\ Send([type |-> "1a", bal |-> b])
    /\ UNCHANGED <<proposed, maxBal, maxVBal, maxVal, learned>>

\* Acceptor a promises ballot m.bal, higher than any it has promised, and
\* reports its latest vote.
Phase1b(a) ==
    \E m \in msgs :
        /\ m.type = "1a"
        /\ BallotLT(maxBal[a], m.bal)
        /\ maxBal' = [maxBal EXCEPT ![a] = m.bal]
        /\ Send([type |-> "1b", acc |-> a, bal |-> m.bal,
                 mbal |-> maxVBal[a], mval |-> maxVal[a]])
        /\ UNCHANGED <<proposed, maxVBal, maxVal, learned>>

\* The value a proposer must pick given the promises S of a quorum: the
\* value of the highest-ballot vote reported, or any proposed value if no
\* one in the quorum has voted. (The broken variant MCPaxosBrokenRecovery
\* replaces this.)
ValueOk(v, S) ==
    LET voted == {m \in S : m.mbal /= ZeroBallot}
    IN IF voted = {}
       THEN v \in proposed
       ELSE \E m \in voted : /\ m.mval = v
                             /\ \A mm \in voted : BallotLE(mm.mbal, m.mbal)

\* Proposer b.prop, with promises for b from a quorum, asks the acceptors
\* to vote for v in ballot b. It does so at most once per ballot.
Phase2a(b, v) ==
    /\ ~\E m \in msgs : m.type = "2a" /\ m.bal = b
    /\ \E Q \in Quorum :
          LET S == {m \in msgs : m.type = "1b" /\ m.bal = b /\ m.acc \in Q}
          IN /\ \A a \in Q : \E m \in S : m.acc = a
             /\ ValueOk(v, S)
    /\ Send([type |-> "2a", bal |-> b, val |-> v])
    /\ UNCHANGED <<proposed, maxBal, maxVBal, maxVal, learned>>

\* Acceptor a votes for m.val in ballot m.bal, which it has not promised
\* not to.
Phase2b(a) ==
    \E m \in msgs :
        /\ m.type = "2a"
        /\ BallotLE(maxBal[a], m.bal)
        /\ maxBal'  = [maxBal  EXCEPT ![a] = m.bal]
        /\ maxVBal' = [maxVBal EXCEPT ![a] = m.bal]
        /\ maxVal'  = [maxVal  EXCEPT ![a] = m.val]
        /\ Send([type |-> "2b", acc |-> a, bal |-> m.bal, val |-> m.val])
        /\ UNCHANGED <<proposed, learned>>

\* Learner l learns v from votes for v in one ballot by a quorum.
Learn(l, v) ==
    /\ learned[l] = None
    /\ \E b \in Ballot, Q \in Quorum :
          \A a \in Q : [type |-> "2b", acc |-> a, bal |-> b, val |-> v] \in msgs
    /\ learned' = [learned EXCEPT ![l] = v]
    /\ UNCHANGED <<proposed, maxBal, maxVBal, maxVal, msgs>>

Next ==
    \/ \E v \in Value : Propose(v)
    \/ \E b \in Ballot : Phase1a(b)
    \/ \E a \in Acceptor : Phase1b(a)
    \/ \E b \in Ballot, v \in Value : Phase2a(b, v)
    \/ \E a \in Acceptor : Phase2b(a)
    \/ \E l \in Learner, v \in Value : Learn(l, v)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants. They are explained in words in README.md.                   *)

TypeOK ==
    /\ proposed \subseteq Value
    /\ maxBal  \in [Acceptor -> Ballot \cup {ZeroBallot}]
    /\ maxVBal \in [Acceptor -> Ballot \cup {ZeroBallot}]
    /\ maxVal  \in [Acceptor -> Value \cup {None}]
    /\ msgs \subseteq Message
    /\ learned \in [Learner -> Value \cup {None}]

\* a voted for v in ballot b.
VotedFor(a, b, v) == [type |-> "2b", acc |-> a, bal |-> b, val |-> v] \in msgs

\* v is chosen in b: a quorum voted for it there.
ChosenIn(b, v) == \E Q \in Quorum : \A a \in Q : VotedFor(a, b, v)
Chosen == {v \in Value : \E b \in Ballot : ChosenIn(b, v)}

\* Nontriviality: only a proposed value can be chosen or learnt.
Nontriviality ==
    /\ Chosen \subseteq proposed
    /\ \A l \in Learner : learned[l] \in proposed \cup {None}

\* Agreement (consistency): at most one value is chosen, and no two
\* learners learn different values.
Agreement ==
    /\ \A v, w \in Chosen : v = w
    /\ \A l1, l2 \in Learner :
          learned[l1] /= None /\ learned[l2] /= None => learned[l1] = learned[l2]

\* A learnt value is chosen.
LearnedChosen == \A l \in Learner : learned[l] /= None => learned[l] \in Chosen

\* Promises never go backwards (an action property: PROPERTY in the cfg).
PromiseMonotone == [][\A a \in Acceptor : BallotLE(maxBal[a], maxBal'[a])]_vars

(***************************************************************************)
(* The Paxos invariant (the inductive invariant of Lamport's Paxos.tla,    *)
(* here over ballots with owners). SafeAt(v, b): no value other than v has *)
(* been or can ever be chosen in a ballot below b, because for every c < b *)
(* some quorum has promised above c (so it will not vote in c any more)    *)
(* and none of its members voted for another value in c. Every 2a message  *)
(* proposes a safe value, at most one per ballot; this is what makes       *)
(* Agreement hold.                                                         *)
(***************************************************************************)
WontVoteIn(a, c) == BallotLT(c, maxBal[a]) /\ \A v \in Value : ~VotedFor(a, c, v)

SafeAt(v, b) ==
    \A c \in Ballot : BallotLT(c, b) =>
        \E Q \in Quorum : \A a \in Q : VotedFor(a, c, v) \/ WontVoteIn(a, c)

\* What an acceptor's state says about its votes.
AccInv ==
    \A a \in Acceptor :
        /\ (maxVBal[a] = ZeroBallot) <=> (maxVal[a] = None)
        /\ BallotLE(maxVBal[a], maxBal[a])
        /\ maxVBal[a] /= ZeroBallot => VotedFor(a, maxVBal[a], maxVal[a])
        /\ \A c \in Ballot : BallotLT(maxVBal[a], c) => ~\E v \in Value : VotedFor(a, c, v)

\* What the messages say: a promise reports the latest vote below it and
\* nothing in between; a 2a message proposes a safe value, at most one per
\* ballot; a vote follows a 2a message and never exceeds the promise.
MsgInv ==
    \A m \in msgs :
        /\ m.type = "1b" =>
              /\ BallotLE(m.bal, maxBal[m.acc])
              /\ \/ m.mval \in Value /\ VotedFor(m.acc, m.mbal, m.mval)
                 \/ m.mval = None /\ m.mbal = ZeroBallot
              /\ \A c \in Ballot : BallotLT(m.mbal, c) /\ BallotLT(c, m.bal) =>
                    ~\E v \in Value : VotedFor(m.acc, c, v)
        /\ m.type = "2a" =>
              /\ SafeAt(m.val, m.bal)
              /\ m.val \in proposed
              /\ \A ma \in msgs : ma.type = "2a" /\ ma.bal = m.bal => ma = m
        /\ m.type = "2b" =>
              /\ \E ma \in msgs : ma.type = "2a" /\ ma.bal = m.bal /\ ma.val = m.val
              /\ BallotLE(m.bal, maxBal[m.acc])

PaxosInvariant == TypeOK /\ AccInv /\ MsgInv
=============================================================================
