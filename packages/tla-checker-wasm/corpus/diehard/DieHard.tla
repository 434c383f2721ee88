------------------------------ MODULE DieHard ------------------------------
(* Two jugs of 3 and 5 gallons, a tap and a drain. The puzzle: measure      *)
(* exactly 4 gallons. We state "the big jug never holds 4" as an invariant *)
(* and let the checker refute it; the counterexample is the solution.      *)
EXTENDS Naturals

VARIABLES small, big

TypeOK == small \in 0..3 /\ big \in 0..5

Init == small = 0 /\ big = 0

FillSmall == small' = 3 /\ UNCHANGED big
FillBig == big' = 5 /\ UNCHANGED small
EmptySmall == small' = 0 /\ UNCHANGED big
EmptyBig == big' = 0 /\ UNCHANGED small

Min(a, b) == IF a < b THEN a ELSE b

SmallToBig ==
  LET poured == Min(small, 5 - big)
  IN  /\ small' = small - poured
      /\ big' = big + poured

BigToSmall ==
  LET poured == Min(big, 3 - small)
  IN  /\ big' = big - poured
      /\ small' = small + poured

Next == FillSmall \/ FillBig \/ EmptySmall \/ EmptyBig \/ SmallToBig \/ BigToSmall

NotSolved == big # 4
=============================================================================
