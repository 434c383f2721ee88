---------------------------- MODULE DialOnly ----------------------------
(* The behaviour spec itself comes from an instance (SPECIFICATION      *)
(* Spec with Spec == D!Spec). TLC labels each step of such a spec       *)
(* <Action ...> at the INSTANCE definition.                             *)
VARIABLE h
D == INSTANCE Dial WITH d <- h
Spec == D!Spec
NotTwo == h # 2
=========================================================================
