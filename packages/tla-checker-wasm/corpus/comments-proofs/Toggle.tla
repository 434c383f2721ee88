------------------------------- MODULE Toggle -------------------------------
(* Things a model checker must read past: a PlusCal-looking comment that is *)
(* not complete PlusCal, nested comments, a proof, and a theorem used by     *)
(* name as an assumption (T!:). Text after the closing line is ignored.     *)
EXTENDS Naturals

(* --algorithm Toggle
variables x = 0;
(* a nested comment *)
end algorithm; *)

CONSTANT Limit

THEOREM LimitPositive == Limit > 0
  OBVIOUS

ASSUME LimitPositive!:

VARIABLE x

Init == x = 0
Next == x' = (x + 1) % Limit

THEOREM Bounded == Init /\ [][Next]_x => [](x < Limit)
<1>1. Init => x < Limit
  BY DEF Init
<1>2. QED
  OBVIOUS

TypeOK == x \in 0..(Limit - 1)
=============================================================================
This line and the next are not part of the module.
Next == FALSE
