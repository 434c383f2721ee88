---------------------------------- MODULE Log ----------------------------------
(* A log of entries appended by writers, with a slot table and counters. The
   type invariant asks membership in sets a model checker cannot enumerate
   (Seq, Nat, Int, function sets into them, SUBSET Nat, UNION of such sets):
   TLC answers these by membership alone, and so must we. *)
EXTENDS Integers, Sequences

CONSTANTS Writers, Entries, NULL, MaxLen

VARIABLES log, slots, count, seen

Init ==
  /\ log = <<>>
  /\ slots = [i \in 0..2 |-> NULL]
  /\ count = [w \in Writers |-> 0]
  /\ seen = {}

\* Writer w appends entry e and records it in a slot.
Add(w, e) ==
  /\ Len(log) < MaxLen
  /\ log' = Append(log, e)
  /\ slots' = [slots EXCEPT ![Len(log) % 3] = e]
  /\ count' = [count EXCEPT ![w] = @ + 1]
  /\ seen' = seen \cup {Len(log)}

Next == \E w \in Writers, e \in Entries : Add(w, e)

TypeOK ==
  /\ log \in Seq(Entries)
  /\ Len(log) \in Nat
  /\ slots \in [0..2 -> Int \cup {NULL} \cup Entries]
  /\ slots \in UNION { [0..2 -> Int \cup Entries \cup {NULL}] }
  /\ count \in [Writers -> Nat]
  /\ seen \in SUBSET Nat
  /\ -1 \notin Nat /\ <<1>> \notin Seq(Entries)

\* Fails once an entry is logged twice: membership still decides it.
NoRepeat == log \in {s \in Seq(Entries) : \A i, j \in 1..Len(s) : i # j => s[i] # s[j]}
================================================================================
