--------------------------------- MODULE Phase ---------------------------------
(* Phases whose register x is set by constant operators: XInit(x) in the
   initial predicate and XAct(p, x, x') in the step, both assigning x through
   their parameters once the model substitutes them. *)
EXTENDS Naturals

CONSTANTS XInit(_), XAct(_, _, _)

VARIABLES p, x

Init == p = 0 /\ XInit(x)

\* The next phase; the register moves as XAct says.
Step == p < 3 /\ p' = p + 1 /\ XAct(p, x, x')
================================================================================
