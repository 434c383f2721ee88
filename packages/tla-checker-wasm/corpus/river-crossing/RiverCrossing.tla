--------------------------- MODULE RiverCrossing ---------------------------
(* A farmer must ferry a wolf, a goat and a cabbage across a river in a     *)
(* boat that holds the farmer and at most one passenger. Left alone, the   *)
(* wolf eats the goat and the goat eats the cabbage. "Not everyone is on    *)
(* the far bank" is stated as an invariant: its counterexample is a        *)
(* shortest solution.                                                       *)
EXTENDS FiniteSets

Items == {"wolf", "goat", "cabbage"}
Everyone == Items \cup {"farmer"}

VARIABLES near, far

Safe(bank) ==
  "farmer" \notin bank =>
     /\ ~({"wolf", "goat"} \subseteq bank)
     /\ ~({"goat", "cabbage"} \subseteq bank)

TypeOK == near \cup far = Everyone /\ near \cap far = {}

Init == near = Everyone /\ far = {}

Next ==
  \/ /\ "farmer" \in near
     /\ \E load \in {{}} \cup {{i} : i \in near \cap Items} :
          /\ Safe(near \ ({"farmer"} \cup load))
          /\ near' = near \ ({"farmer"} \cup load)
          /\ far' = far \cup {"farmer"} \cup load
  \/ /\ "farmer" \in far
     /\ \E load \in {{}} \cup {{i} : i \in far \cap Items} :
          /\ Safe(far \ ({"farmer"} \cup load))
          /\ far' = far \ ({"farmer"} \cup load)
          /\ near' = near \cup {"farmer"} \cup load

NotSolved == far # Everyone
=============================================================================
