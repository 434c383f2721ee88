------------------------------ MODULE MCCounters -------------------------------
(* Counters through a named instance; the cfg overrides definitions of the
   instantiated module. *)
EXTENDS Naturals

CONSTANTS Procs, NoneVal

VARIABLE count

C == INSTANCE Counters

MCLimit == 2

MCNat == 0 .. 5

Init == C!Init

Next == C!Next

TypeOK == C!TypeOK

LimitLast == C!LimitLast

\* TLC overrides the definition Counters imports, which is Naturals' Nat: the
\* Nat of this module is the same definition, so it is overridden here too.
ASSUME Nat = 0 .. 5
================================================================================
