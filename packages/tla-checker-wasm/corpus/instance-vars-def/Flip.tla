------------------------------- MODULE Flip --------------------------------
(***************************************************************************)
(* Two bits flipped in turn, each flip delayed by stuttering steps of the  *)
(* Stutter module: `UNCHANGED vars' there must assign Flip's variables     *)
(* x and y through the substitution vars <- vars (a definition of Flip's), *)
(* as TLC does (locks_auxiliary_vars/LockHS, with tlaplus/Examples'        *)
(* Stuttering module).                                                     *)
(***************************************************************************)
EXTENDS Naturals
VARIABLES x, y, s
vars == << x, y >>
INSTANCE Stutter

Init == x = 0 /\ y = 0 /\ s = 0
FlipX == x' = 1 - x /\ y' = y
FlipY == y' = 1 - y /\ x' = x
Next == Delayed(FlipX, 2) \/ Delayed(FlipY, 3)
Spec == Init /\ [][Next]_<< x, y, s >>
TypeOK == x \in {0, 1} /\ y \in {0, 1} /\ s \in 0..3
=============================================================================
