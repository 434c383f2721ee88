----------------------------- MODULE FnAction ------------------------------
(***************************************************************************)
(* How TLC enumerates an action that applies a function defined with      *)
(* `f[x \in S] == e': TLC keeps such a function lazy and, applied in an    *)
(* action, walks its body as an action with x bound, so a disjunction or   *)
(* \E in the body yields one successor per true branch (all the same       *)
(* state, each counted as generated).  byzpaxos/VoteProof's SafeAt, a      *)
(* recursive function in a LET, is the case in the wild.                   *)
(***************************************************************************)
EXTENDS Integers
VARIABLE x

\* A recursive function in a LET, reading its parameter only.
Reach(n) == LET G[k \in 0..3] == \/ k = 0
                                 \/ \E j \in 0..k : j >= 0 /\ (j > 0 => G[j - 1])
            IN  G[n]

\* A recursive function at module level that reads the state.
Up[k \in 0..3] == \/ k = x
                  \/ \E j \in 0..k : j < x /\ (j > 0 => Up[j - 1])

\* A function at module level that does not read the state: a value TLC computes once.
Const[k \in 0..3] == \/ k = 0
                     \/ \E j \in 0..k : j >= 0

\* The same body as an operator, for comparison: an operator's body is always walked.
Op(k) == \/ k = 0
         \/ \E j \in 0..k : j >= 0

Init == x = 0
StepLet == x < 3 /\ Reach(x) /\ x' = x + 1
StepUp == x < 3 /\ Up[x] /\ x' = x + 1
StepConst == x < 3 /\ Const[x] /\ x' = x + 1
StepOp == x < 3 /\ Op(x) /\ x' = x + 1

SpecLet == Init /\ [][StepLet]_x
SpecUp == Init /\ [][StepUp]_x
SpecConst == Init /\ [][StepConst]_x
SpecOp == Init /\ [][StepOp]_x
=============================================================================
