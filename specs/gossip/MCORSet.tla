---------------------------- MODULE MCORSet ----------------------------
(***************************************************************************)
(* AntiEntropy.tla carrying an add-wins OR-Set, as @synod/crdt's orSet    *)
(* (without the floor of causal stability). Per element a state keeps the  *)
(* live dots <<replica, n>> and a version vector ctx of the dots seen; the *)
(* k-th update of replica r is the dot <<r, k>>. An add makes its dot live *)
(* and covers every dot of the element the replica has seen; a remove     *)
(* covers them. Join: a dot stays live if some side has it live and no    *)
(* side has seen it without having it live.                                *)
(*   MCORSet.cfg          CI: 2 replicas, 1 element, 1 update each        *)
(*   MCORSetExchange.cfg  CI: 2 updates each, through Exchange only       *)
(*   MCORSetFull.cfg      --full: 2 updates each, 2 messages in flight    *)
(*   MCORSetLiveness.cfg  FairSpec: Convergence                            *)
(*   MCORSetBroken.cfg    a merge where a remove wins over a concurrent   *)
(*                        add: BelowJoin fails                             *)
(***************************************************************************)
EXTENDS AntiEntropy

CONSTANT Elem

OROps == {"add", "remove"} \X Elem

EmptyEntry == [live |-> {}, ctx |-> ZeroVV]

ORBottom == [e \in Elem |-> EmptyEntry]

\* The dot d of an element counts as seen in entry en.
Covers(en, d) == d[2] <= en.ctx[d[1]]

MergeEntry(x, y) ==
    [live |-> {d \in x.live \cup y.live :
                  \/ d \in x.live /\ d \in y.live
                  \/ d \in x.live /\ ~Covers(y, d)
                  \/ d \in y.live /\ ~Covers(x, d)},
     ctx |-> VVJoin(x.ctx, y.ctx)]

ORJoin(a, b) == [e \in Elem |-> MergeEntry(a[e], b[e])]

ORLeq(a, b) == ORJoin(a, b) = b

\* The largest n of q's live dots in L (0 if none).
LiveMax(L, q) == IF \E d \in L : d[1] = q THEN (CHOOSE d \in L : d[1] = q /\ \A d2 \in L : d2[1] = q => d2[2] <= d[2])[2] ELSE 0

ORDelta(s, r, op, k) ==
    [e \in Elem |->
        IF e = op[2]
        THEN [live |-> IF op[1] = "add" THEN {<<r, k>>} ELSE {},
              ctx |-> [q \in Replica |-> Max(Max(s[e].ctx[q], LiveMax(s[e].live, q)), IF q = r THEN k ELSE 0)]]
        ELSE EmptyEntry]

ORValue(s) == {e \in Elem : s[e].live # {}}

\* Update a happened before update x (x's replica had seen a when it issued x).
HappenedBefore(a, x) == a.seq <= x.deps[a.origin]

\* Add-wins: e is in the set iff some add of e has no remove of e after it.
ORSpecValue(U) ==
    {e \in Elem : \E a \in U : /\ a.op = <<"add", e>>
                               /\ ~\E x \in U : x.op = <<"remove", e>> /\ HappenedBefore(a, x)}

\* Broken: a remove wins over a concurrent add (an element one side has removed is removed).
RemoveWinsEntry(x, y) ==
    IF (x.live = {} /\ x.ctx # ZeroVV) \/ (y.live = {} /\ y.ctx # ZeroVV)
    THEN [live |-> {}, ctx |-> VVJoin(x.ctx, y.ctx)]
    ELSE MergeEntry(x, y)

ORRemoveWinsMerge(a, b) == [e \in Elem |-> RemoveWinsEntry(a[e], b[e])]
=============================================================================
