------------------------------- MODULE Votes -------------------------------
(* Voters each vote once for a candidate; voters and candidates are model   *)
(* values. The usual symmetry idiom is the union of the two permutation     *)
(* sets; TLC reduces by the group those permutations generate, which here   *)
(* is the same as the explicit product group of the second model.           *)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS Voters, Candidates

VARIABLES vote, tally

None == "none"

Init ==
  /\ vote = [v \in Voters |-> None]
  /\ tally = [c \in Candidates |-> 0]

Vote(v, c) ==
  /\ vote[v] = None
  /\ vote' = [vote EXCEPT ![v] = c]
  /\ tally' = [tally EXCEPT ![c] = @ + 1]

Retract(v) ==
  /\ vote[v] # None
  /\ tally' = [tally EXCEPT ![vote[v]] = @ - 1]
  /\ vote' = [vote EXCEPT ![v] = None]

Next == \E v \in Voters : Retract(v) \/ \E c \in Candidates : Vote(v, c)

Counted == \A c \in Candidates : tally[c] = Cardinality({v \in Voters : vote[v] = c})

UnionSym == Permutations(Voters) \cup Permutations(Candidates)
ProductSym == {p @@ q : p \in Permutations(Voters), q \in Permutations(Candidates)}
=============================================================================
