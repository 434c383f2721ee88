---------------------------- MODULE TLCExtOps ----------------------------
(***************************************************************************)
(* TLC's standard module TLCExt: AssertEq in an invariant, AssertError on  *)
(* an expression that evaluates, TLCGetOrDefault and TLCGetAndSet on TLC's *)
(* registers, model values made by TLCModelValue, TLCNoOp, TLCCache, and   *)
(* PickSuccessor(TRUE) as an action constraint.                            *)
(***************************************************************************)
EXTENDS Naturals, Sequences, TLC, TLCExt

CONSTANT N

\* Model values from strings, unequal to each other and to every other value.
Procs == {TLCModelValue("p" \o ToString(i)) : i \in 1 .. 3}

ASSUME AssertError("never raised", 1 + 1) = FALSE
ASSUME TLCGetOrDefault(7, 42) = 42
ASSUME TLCSet(8, 10)
ASSUME TLCGetAndSet(8, LAMBDA old, v : old + v, 5, 0) = 10
ASSUME TLCGet(8) = 15
ASSUME TLCModelValue("p1") = TLCModelValue("p1") /\ TLCModelValue("p1") # TLCModelValue("p2")

VARIABLES owner, log

vars == <<owner, log>>

Init == /\ owner = TLCNoOp(CHOOSE p \in Procs : TRUE)
        /\ log = <<>>

\* Hand the token to another process, logging the hand-over (cached by its inputs).
Pass(p) == /\ p # owner
           /\ Len(log) < N
           /\ owner' = p
           /\ log' = TLCCache(Append(log, <<owner, p>>), {owner, p, log})

Next == \E p \in Procs : Pass(p)

Spec == Init /\ [][Next]_vars

\* Each log entry ends at the next one's start; AssertEq prints both sides when they differ.
Chained == \A i \in 1 .. (Len(log) - 1) : AssertEq(log[i][2], log[i + 1][1])

\* Violated: AssertEq prints "Assertion failed" and the two values, then is FALSE.
ShortLog == AssertEq(Len(log) < N, TRUE)

Constraint == PickSuccessor(Len(log) <= N)
=============================================================================
