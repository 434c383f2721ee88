--------------------------- MODULE MCChangRoberts ---------------------------
(***************************************************************************)
(* Models of ChangRoberts.tla; the constants are in the .cfg files:        *)
(*   MCChangRoberts.cfg          CI: 4 nodes, every ring, safety           *)
(*   MCChangRobertsLiveness.cfg  CI: 4 nodes, fairness: everyone learns    *)
(*   MCChangRobertsFull.cfg      --full: 5 nodes, every ring               *)
(***************************************************************************)
EXTENDS ChangRoberts
=============================================================================
