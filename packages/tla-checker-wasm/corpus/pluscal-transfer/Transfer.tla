------------------------------ MODULE Transfer ------------------------------
(***************************************************************************)
(* Two concurrent transfers between accounts without a lock: each reads    *)
(* the balance in one step and writes it in the next, so money can be      *)
(* created.  The assert in the last step fails: TLC reports the failure of *)
(* the translation's Assert as an evaluation error.                        *)
(***************************************************************************)
EXTENDS Naturals, TLC

(* --algorithm Transfer
variables bal = [a |-> 10, b |-> 0];
process T \in 1..2
variable amount \in {3, 5}, seen = 0;
begin
  read:  seen := bal.a;
  write: if seen >= amount then
           bal.a := seen - amount || bal.b := bal.b + amount;
         end if;
  check: assert bal.a + bal.b = 10;
end process;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "5d727223" /\ chksum(tla) = "93a1f1b7")
VARIABLES pc, bal, amount, seen

vars == << pc, bal, amount, seen >>

ProcSet == (1..2)

Init == (* Global variables *)
        /\ bal = [a |-> 10, b |-> 0]
        (* Process T *)
        /\ amount \in [1..2 -> {3, 5}]
        /\ seen = [self \in 1..2 |-> 0]
        /\ pc = [self \in ProcSet |-> "read"]

read(self) == /\ pc[self] = "read"
              /\ seen' = [seen EXCEPT ![self] = bal.a]
              /\ pc' = [pc EXCEPT ![self] = "write"]
              /\ UNCHANGED << bal, amount >>

write(self) == /\ pc[self] = "write"
               /\ IF seen[self] >= amount[self]
                     THEN /\ bal' = [bal EXCEPT !.a = seen[self] - amount[self],
                                                !.b = bal.b + amount[self]]
                     ELSE /\ TRUE
                          /\ bal' = bal
               /\ pc' = [pc EXCEPT ![self] = "check"]
               /\ UNCHANGED << amount, seen >>

check(self) == /\ pc[self] = "check"
               /\ Assert(bal.a + bal.b = 10, 
                         "Failure of assertion at line 19, column 10.")
               /\ pc' = [pc EXCEPT ![self] = "Done"]
               /\ UNCHANGED << bal, amount, seen >>

T(self) == read(self) \/ write(self) \/ check(self)

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == (\E self \in 1..2: T(self))
           \/ Terminating

Spec == Init /\ [][Next]_vars

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION 
=============================================================================
