------------------------------ MODULE Workers ------------------------------
(***************************************************************************)
(* Workers that each sum 1..self with a procedure and report to a          *)
(* collector, in PlusCal's C-syntax: a process set calling a procedure     *)
(* (a stack per process), a local variable of the procedure and of the     *)
(* process, a macro, `if' / `else if' / `else', `when', `await', and a     *)
(* collector process waiting on the others' pc that prints the result      *)
(* (`print', and PrintT in an expression).                                 *)
(***************************************************************************)
EXTENDS Naturals, Sequences, TLC
CONSTANT N
ASSUME N \in 1..4

(* --algorithm Workers {
  variables reports = << >>, total = 0;

  define {
    \* The workers that are inside the procedure Sum.
    Summing == {p \in 1..N : pc[p] \in {"s1", "s2"}}
    \* Each finished worker reported exactly once.
    ReportsOK == \A p \in 1..N : pc[p] = "Done" => Len(SelectSeq(reports, LAMBDA r : r = p)) = 1
  }

  macro Report(v) { reports := Append(reports, v) }

  procedure Sum(k = 0)
    variable acc = 0;
  {
    s1: while (k > 0) { acc := acc + k; k := k - 1 };
    s2: total := total + acc;
        return;
  }

  fair process (w \in 1..N)
    variable mine = 0;
  {
    w1: mine := self;
        call Sum(self);
    w2: if (mine = 1) { skip }
        else if (mine = 2) { mine := 20 }
        else { await mine > 2; mine := 30 };
    w3: Report(self);
  }

  fair process (c = 0) {
    c1: when \A p \in 1..N : pc[p] = "Done";
        assert total = (N * (N + 1) * (N + 2)) \div 6;
        print <<"total", total>>;
        await PrintT(reports);
  }
} *)
\* BEGIN TRANSLATION (chksum(pcal) = "e7d962d8" /\ chksum(tla) = "32255080")
VARIABLES pc, reports, total, stack

(* define statement *)
Summing == {p \in 1..N : pc[p] \in {"s1", "s2"}}

ReportsOK == \A p \in 1..N : pc[p] = "Done" => Len(SelectSeq(reports, LAMBDA r : r = p)) = 1

VARIABLES k, acc, mine

vars == << pc, reports, total, stack, k, acc, mine >>

ProcSet == (1..N) \cup {0}

Init == (* Global variables *)
        /\ reports = << >>
        /\ total = 0
        (* Procedure Sum *)
        /\ k = [ self \in ProcSet |-> 0]
        /\ acc = [ self \in ProcSet |-> 0]
        (* Process w *)
        /\ mine = [self \in 1..N |-> 0]
        /\ stack = [self \in ProcSet |-> << >>]
        /\ pc = [self \in ProcSet |-> CASE self \in 1..N -> "w1"
                                        [] self = 0 -> "c1"]

s1(self) == /\ pc[self] = "s1"
            /\ IF k[self] > 0
                  THEN /\ acc' = [acc EXCEPT ![self] = acc[self] + k[self]]
                       /\ k' = [k EXCEPT ![self] = k[self] - 1]
                       /\ pc' = [pc EXCEPT ![self] = "s1"]
                  ELSE /\ pc' = [pc EXCEPT ![self] = "s2"]
                       /\ UNCHANGED << k, acc >>
            /\ UNCHANGED << reports, total, stack, mine >>

s2(self) == /\ pc[self] = "s2"
            /\ total' = total + acc[self]
            /\ pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]
            /\ acc' = [acc EXCEPT ![self] = Head(stack[self]).acc]
            /\ k' = [k EXCEPT ![self] = Head(stack[self]).k]
            /\ stack' = [stack EXCEPT ![self] = Tail(stack[self])]
            /\ UNCHANGED << reports, mine >>

Sum(self) == s1(self) \/ s2(self)

w1(self) == /\ pc[self] = "w1"
            /\ mine' = [mine EXCEPT ![self] = self]
            /\ /\ k' = [k EXCEPT ![self] = self]
               /\ stack' = [stack EXCEPT ![self] = << [ procedure |->  "Sum",
                                                        pc        |->  "w2",
                                                        acc       |->  acc[self],
                                                        k         |->  k[self] ] >>
                                                    \o stack[self]]
            /\ acc' = [acc EXCEPT ![self] = 0]
            /\ pc' = [pc EXCEPT ![self] = "s1"]
            /\ UNCHANGED << reports, total >>

w2(self) == /\ pc[self] = "w2"
            /\ IF mine[self] = 1
                  THEN /\ TRUE
                       /\ mine' = mine
                  ELSE /\ IF mine[self] = 2
                             THEN /\ mine' = [mine EXCEPT ![self] = 20]
                             ELSE /\ mine[self] > 2
                                  /\ mine' = [mine EXCEPT ![self] = 30]
            /\ pc' = [pc EXCEPT ![self] = "w3"]
            /\ UNCHANGED << reports, total, stack, k, acc >>

w3(self) == /\ pc[self] = "w3"
            /\ reports' = Append(reports, self)
            /\ pc' = [pc EXCEPT ![self] = "Done"]
            /\ UNCHANGED << total, stack, k, acc, mine >>

w(self) == w1(self) \/ w2(self) \/ w3(self)

c1 == /\ pc[0] = "c1"
      /\ \A p \in 1..N : pc[p] = "Done"
      /\ Assert(total = (N * (N + 1) * (N + 2)) \div 6, 
                "Failure of assertion at line 47, column 9.")
      /\ PrintT(<<"total", total>>)
      /\ PrintT(reports)
      /\ pc' = [pc EXCEPT ![0] = "Done"]
      /\ UNCHANGED << reports, total, stack, k, acc, mine >>

c == c1

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == c
           \/ (\E self \in ProcSet: Sum(self))
           \/ (\E self \in 1..N: w(self))
           \/ Terminating

Spec == /\ Init /\ [][Next]_vars
        /\ \A self \in 1..N : WF_vars(w(self)) /\ WF_vars(Sum(self))
        /\ WF_vars(c)

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION 

=============================================================================
