----------------------------- MODULE Scoreboard -----------------------------
(* Players win rounds until each has at most Max points. The scoreboard is   *)
(* updated with the TLC module's :> and @@, a log of wins is kept as strings *)
(* made with ToString, and rankings are computed with SortSeq.              *)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS Players, Max

ASSUME Cardinality(Permutations(Players)) = 6

\* Some fixed listing of the players (which one does not matter below).
Listing == CHOOSE f \in [1..Cardinality(Players) -> Players] :
             \A p \in Players : \E i \in DOMAIN f : f[i] = p

VARIABLES score, log

Init ==
  /\ score = [p \in Players |-> 0]
  /\ log = <<>>

Win(p) ==
  /\ score[p] < Max
  /\ score' = (p :> score[p] + 1) @@ score
  /\ log' = Append(log, ToString(p) \o "+")

Reset(p) ==
  /\ score[p] = Max
  /\ score' = [score EXCEPT ![p] = 0]
  /\ log' = <<>>

Next == \E p \in Players : Win(p) \/ Reset(p)

Scores == [i \in DOMAIN Listing |-> score[Listing[i]]]
Ranked == SortSeq(Scores, LAMBDA a, b : a > b)

TypeOK ==
  /\ score \in [Players -> 0..Max]
  /\ DOMAIN score = Players
  /\ log \in Seq(STRING)

RankedOK ==
  /\ Len(Ranked) = Cardinality(Players)
  /\ \A i \in 1..(Len(Ranked) - 1) : Ranked[i] >= Ranked[i + 1]
  /\ \A p \in Players : score[p] <= Ranked[1]

Wins(p) == Len(SelectSeq(log, LAMBDA e : e = ToString(p) \o "+"))

\* The log (cleared by a reset) never shows more wins than the score.
WinsLogged == \A p \in Players : Wins(p) <= score[p]

\* Wrong on purpose: a reset clears the log but keeps the others' scores.
LogComplete == \A p \in Players : Wins(p) = score[p]

SelfMap == (1 :> "a" @@ 2 :> "b" @@ 1 :> "c") = [i \in {1, 2} |-> IF i = 1 THEN "a" ELSE "b"]
ASSUME SelfMap
=============================================================================
