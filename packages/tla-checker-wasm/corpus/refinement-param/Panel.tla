---------------------------- MODULE Panel ----------------------------
(* A panel of dials, one function variable. Each dial refines Dial:  *)
(* the parameterised instance D(i) maps dial i onto it, and the      *)
(* refinement is stated for all dials at once (\A over a constant    *)
(* set), for two of them by name, and with an instance argument that *)
(* is itself an expression.                                          *)
EXTENDS Naturals, FiniteSets
CONSTANT Dials
VARIABLE x

Init == x = [i \in Dials |-> 0]
Turn(i) == x' = [x EXCEPT ![i] = (@ + 1) % 3]
\* A faulty panel may also set a dial at 0 straight to 2.
Jump(i) == x[i] = 0 /\ x' = [x EXCEPT ![i] = 2]
Next == \E i \in Dials : Turn(i)
Spec == Init /\ [][Next]_x
FaultySpec == Init /\ [][Next \/ \E i \in Dials : Jump(i)]_x

D(i) == INSTANCE Dial WITH d <- x[i]
AllDials == \A i \in Dials : D(i)!Spec
FirstTwo == D(1)!Spec /\ D(2)!Spec
Last == D(Cardinality(Dials))!Spec
=======================================================================
