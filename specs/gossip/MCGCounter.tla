---------------------------- MODULE MCGCounter ----------------------------
(***************************************************************************)
(* AntiEntropy.tla carrying a G-Counter. A state maps each replica to the *)
(* number of its own increments; join is the pointwise maximum; the delta *)
(* of an increment is the incrementing replica's new entry alone.          *)
(*   MCGCounter.cfg          CI: 2 replicas, 2 updates each, 1 message    *)
(*                           in flight, every invariant                    *)
(*   MCGCounterFull.cfg      --full: 2 messages in flight (duplication)   *)
(*   MCGCounterLiveness.cfg  FairSpec: Convergence                         *)
(*   MCGCounterLossy.cfg     LossySpec (pushes fair, every one may be     *)
(*                           lost): Convergence fails                      *)
(*   MCGCounterBroken.cfg    a merge that adds entries (not idempotent):   *)
(*                           BelowJoin fails                               *)
(***************************************************************************)
EXTENDS AntiEntropy

GCOps == {"inc"}

GCBottom == [q \in Replica |-> 0]

GCJoin(a, b) == [q \in Replica |-> Max(a[q], b[q])]

GCLeq(a, b) == \A q \in Replica : a[q] <= b[q]

GCDelta(s, r, op, k) == [q \in Replica |-> IF q = r THEN s[r] + 1 ELSE 0]

RECURSIVE SumOver(_, _)
SumOver(f, R) == IF R = {} THEN 0 ELSE LET q == CHOOSE x \in R : TRUE IN f[q] + SumOver(f, R \ {q})

GCValue(s) == SumOver(s, Replica)

\* Every update is an increment by one: the read is the number of updates seen.
GCSpecValue(U) == Cardinality(U)

\* Broken: a merge that adds the entries instead of taking their maximum.
GCSumMerge(a, b) == [q \in Replica |-> a[q] + b[q]]
=============================================================================
