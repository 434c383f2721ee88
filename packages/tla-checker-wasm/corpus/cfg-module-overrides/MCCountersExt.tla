----------------------------- MODULE MCCountersExt -----------------------------
(* Counters extended rather than instantiated: a definition of Counters is the
   same definition in this module, so its override holds here too (as does
   that of Nat, Naturals' definition, wherever it is imported). *)
EXTENDS Naturals, Counters

CONSTANT NoneVal

MCLimit == 3

MCNat == 0 .. 5

ASSUME Limit = 3 /\ Nat = 0 .. 5
================================================================================
