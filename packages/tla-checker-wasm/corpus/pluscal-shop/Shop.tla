------------------------------- MODULE Shop --------------------------------
(***************************************************************************)
(* Two buyers and a restocker in PlusCal's P-syntax: a strongly fair       *)
(* (fair+) process set calling a procedure that calls another, a           *)
(* parameter without a default (defaultInitValue), `if' / `elsif' /        *)
(* `else', `goto' out of an `if', a label inside an `either' branch,       *)
(* `with' over two variables, `print', `await' and `when'.  Ship reads     *)
(* `shipped' in one step and writes it in a later one, so two buyers can   *)
(* lose an update: Conserved is violated; and a buyer may cancel and       *)
(* order again forever (strong fairness of the process does not choose     *)
(* the branch of `either'), so Termination is violated too.  The restocker *)
(* may wait forever once two shortages are logged: a deadlock, hidden by   *)
(* CHECK_DEADLOCK FALSE in the Termination model.                          *)
(***************************************************************************)
EXTENDS Naturals, Sequences, TLC

(* --algorithm Shop
variables stock = 2, shipped = 0, log = << >>;

define
  Buyers == {"a", "b"}
  \* Every unit is in stock or shipped once all buyers are done.
  Conserved == (\A p \in Buyers : pc[p] = "Done") =>
                 shipped + stock = 2 + (IF pc["r"] = "Done" THEN 1 ELSE 0)
end define;

procedure Note(msg)
begin
  n1: log := Append(log, msg);
      return;
end procedure;

procedure Ship(qty = 1)
variable before = 0;
begin
  sh1: before := shipped;
       if qty > stock then
         call Note(<<"short", qty>>);
         goto sh3;
       elsif qty = stock then
         stock := 0;
       else
         stock := stock - qty;
       end if;
  sh2: shipped := before + qty;
  sh3: return;
end procedure;

fair+ process buyer \in {"a", "b"}
variable want = 0;
begin
  b1: with q \in 1..2, small \in BOOLEAN do
        want := IF small THEN 1 ELSE q;
      end with;
  b2: either
        call Ship(want);
      or
        b3: want := 0;
            goto b1;
      end either;
end process;

fair process restock = "r"
begin
  r1: await stock = 0;
      when Len(log) < 2;
      stock := 1;
      print <<"restocked", log>>;
end process;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "b9bbab0b" /\ chksum(tla) = "5bbcb576")
CONSTANT defaultInitValue
VARIABLES pc, stock, shipped, log, stack

(* define statement *)
Buyers == {"a", "b"}

Conserved == (\A p \in Buyers : pc[p] = "Done") =>
               shipped + stock = 2 + (IF pc["r"] = "Done" THEN 1 ELSE 0)

VARIABLES msg, qty, before, want

vars == << pc, stock, shipped, log, stack, msg, qty, before, want >>

ProcSet == ({"a", "b"}) \cup {"r"}

Init == (* Global variables *)
        /\ stock = 2
        /\ shipped = 0
        /\ log = << >>
        (* Procedure Note *)
        /\ msg = [ self \in ProcSet |-> defaultInitValue]
        (* Procedure Ship *)
        /\ qty = [ self \in ProcSet |-> 1]
        /\ before = [ self \in ProcSet |-> 0]
        (* Process buyer *)
        /\ want = [self \in {"a", "b"} |-> 0]
        /\ stack = [self \in ProcSet |-> << >>]
        /\ pc = [self \in ProcSet |-> CASE self \in {"a", "b"} -> "b1"
                                        [] self = "r" -> "r1"]

n1(self) == /\ pc[self] = "n1"
            /\ log' = Append(log, msg[self])
            /\ pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]
            /\ msg' = [msg EXCEPT ![self] = Head(stack[self]).msg]
            /\ stack' = [stack EXCEPT ![self] = Tail(stack[self])]
            /\ UNCHANGED << stock, shipped, qty, before, want >>

Note(self) == n1(self)

sh1(self) == /\ pc[self] = "sh1"
             /\ before' = [before EXCEPT ![self] = shipped]
             /\ IF qty[self] > stock
                   THEN /\ /\ msg' = [msg EXCEPT ![self] = <<"short", qty[self]>>]
                           /\ stack' = [stack EXCEPT ![self] = << [ procedure |->  "Note",
                                                                    pc        |->  "sh3",
                                                                    msg       |->  msg[self] ] >>
                                                                \o stack[self]]
                        /\ pc' = [pc EXCEPT ![self] = "n1"]
                        /\ stock' = stock
                   ELSE /\ IF qty[self] = stock
                              THEN /\ stock' = 0
                              ELSE /\ stock' = stock - qty[self]
                        /\ pc' = [pc EXCEPT ![self] = "sh2"]
                        /\ UNCHANGED << stack, msg >>
             /\ UNCHANGED << shipped, log, qty, want >>

sh2(self) == /\ pc[self] = "sh2"
             /\ shipped' = before[self] + qty[self]
             /\ pc' = [pc EXCEPT ![self] = "sh3"]
             /\ UNCHANGED << stock, log, stack, msg, qty, before, want >>

sh3(self) == /\ pc[self] = "sh3"
             /\ pc' = [pc EXCEPT ![self] = Head(stack[self]).pc]
             /\ before' = [before EXCEPT ![self] = Head(stack[self]).before]
             /\ qty' = [qty EXCEPT ![self] = Head(stack[self]).qty]
             /\ stack' = [stack EXCEPT ![self] = Tail(stack[self])]
             /\ UNCHANGED << stock, shipped, log, msg, want >>

Ship(self) == sh1(self) \/ sh2(self) \/ sh3(self)

b1(self) == /\ pc[self] = "b1"
            /\ \E q \in 1..2:
                 \E small \in BOOLEAN:
                   want' = [want EXCEPT ![self] = IF small THEN 1 ELSE q]
            /\ pc' = [pc EXCEPT ![self] = "b2"]
            /\ UNCHANGED << stock, shipped, log, stack, msg, qty, before >>

b2(self) == /\ pc[self] = "b2"
            /\ \/ /\ /\ qty' = [qty EXCEPT ![self] = want[self]]
                     /\ stack' = [stack EXCEPT ![self] = << [ procedure |->  "Ship",
                                                              pc        |->  "Done",
                                                              before    |->  before[self],
                                                              qty       |->  qty[self] ] >>
                                                          \o stack[self]]
                  /\ before' = [before EXCEPT ![self] = 0]
                  /\ pc' = [pc EXCEPT ![self] = "sh1"]
               \/ /\ pc' = [pc EXCEPT ![self] = "b3"]
                  /\ UNCHANGED <<stack, qty, before>>
            /\ UNCHANGED << stock, shipped, log, msg, want >>

b3(self) == /\ pc[self] = "b3"
            /\ want' = [want EXCEPT ![self] = 0]
            /\ pc' = [pc EXCEPT ![self] = "b1"]
            /\ UNCHANGED << stock, shipped, log, stack, msg, qty, before >>

buyer(self) == b1(self) \/ b2(self) \/ b3(self)

r1 == /\ pc["r"] = "r1"
      /\ stock = 0
      /\ Len(log) < 2
      /\ stock' = 1
      /\ PrintT(<<"restocked", log>>)
      /\ pc' = [pc EXCEPT !["r"] = "Done"]
      /\ UNCHANGED << shipped, log, stack, msg, qty, before, want >>

restock == r1

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == restock
           \/ (\E self \in ProcSet: Note(self) \/ Ship(self))
           \/ (\E self \in {"a", "b"}: buyer(self))
           \/ Terminating

Spec == /\ Init /\ [][Next]_vars
        /\ \A self \in {"a", "b"} : SF_vars(buyer(self)) /\ SF_vars(Ship(self)) /\ SF_vars(Note(self))
        /\ WF_vars(restock)

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION 

=============================================================================
