------------------------------ MODULE MCWalk ------------------------------
(***************************************************************************)
(* Walk's Keep substituted by LAMBDAs: through an unnamed INSTANCE (its    *)
(* Init and Next are this module's), and through a named one (W).          *)
(***************************************************************************)
EXTENDS Integers

VARIABLE pos

INSTANCE Walk WITH Keep <- LAMBDA p, d : p # 3 /\ d # -1, Max <- 6

W == INSTANCE Walk WITH Keep <- LAMBDA p, d : p % 2 = 0 \/ d = -1, Max <- 6

WInit == W!Init

WNext == W!Next

Reachable == pos # 3

\* Violated: W reaches 6 (even steps of 2, then back by 1).
Below6 == pos < 6
=============================================================================
