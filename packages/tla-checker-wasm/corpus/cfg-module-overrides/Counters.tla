------------------------------- MODULE Counters --------------------------------
(* Counters per process that start unset and count up to a limit. Limit, None
   and Nat cannot be evaluated by a model checker as written here (an unbounded
   CHOOSE, a CHOOSE over everything, an infinite set to filter): the models give
   them values inside this module only (`X <- [Counters]Y`, `X = [Counters]v`). *)
LOCAL INSTANCE Naturals

CONSTANT Procs

VARIABLE count

Limit == CHOOSE n \in Nat : n > 100

None == CHOOSE v : v \notin Nat

Values == {n \in Nat : n <= Limit}

TypeOK == count \in [Procs -> Values \cup {None}]

Init == count = [p \in Procs |-> None]

\* Process p starts its counter, or advances it while below the limit.
Inc(p) ==
  /\ IF count[p] = None THEN TRUE ELSE count[p] < Limit
  /\ count' = [count EXCEPT ![p] = IF @ = None THEN 0 ELSE @ + 1]

Next == \E p \in Procs : Inc(p)

\* Some counter is at the limit only after every counter was started.
LimitLast == (\E p \in Procs : count[p] = Limit) => \A p \in Procs : count[p] # None
================================================================================
