------------------------------ MODULE Election ------------------------------
(* Bully-style election among Procs, with priorities given by a constant    *)
(* operator Rank. The model substitutes Rank and the process count with     *)
(* definitions from MCElection (`<-`) and uses model values for processes.   *)
EXTENDS Naturals, FiniteSets

CONSTANTS Procs, Rank(_), Rounds, NoLeader

ASSUME NoLeader \notin Procs

VARIABLES leader, alive, round

Init ==
  /\ leader = NoLeader
  /\ alive = Procs
  /\ round = 0

Best(S) == CHOOSE p \in S : \A q \in S : Rank(q) <= Rank(p)

Elect ==
  /\ alive # {}
  /\ leader # Best(alive)
  /\ leader' = Best(alive)
  /\ UNCHANGED <<alive, round>>

Crash(p) ==
  /\ p \in alive
  /\ round < Rounds
  /\ alive' = alive \ {p}
  /\ leader' = IF leader = p THEN NoLeader ELSE leader
  /\ round' = round + 1

Recover(p) ==
  /\ p \notin alive
  /\ round < Rounds
  /\ alive' = alive \cup {p}
  /\ round' = round + 1
  /\ UNCHANGED leader

Next == Elect \/ \E p \in Procs : Crash(p) \/ Recover(p)

LeaderAlive == leader # NoLeader => leader \in alive
LeaderIsBest == leader # NoLeader => \A p \in alive : Rank(p) <= Rank(leader)
=============================================================================
