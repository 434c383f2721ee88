------------------------------ MODULE ParTotal -----------------------------
(***************************************************************************)
(* Workers that each take an item in one step and add it to the total in   *)
(* a later one.  Under the refinement mapping below ParTotal implements    *)
(* Total: an item counts in the total from the step that takes it (the     *)
(* mapped `total' is the real total plus what the workers hold), and       *)
(* Total's pc is "Done" when every worker is.  The mapping substitutes     *)
(* expressions for Total's variables `total' and `pc', which have the      *)
(* same names as ParTotal's own, and Total's translation says UNCHANGED    *)
(* << total, done >>: checking Total's weak fairness under the mapping     *)
(* needs ENABLED of such steps.                                            *)
(***************************************************************************)
EXTENDS Naturals
CONSTANTS Items, Workers
ASSUME Items \subseteq Nat

(* --fair algorithm ParTotal
variables total = 0, done = {}, buf = [w \in Workers |-> 0];
process worker \in Workers
begin
  take: while done # Items do
          with i \in Items \ done do
            done := done \cup {i};
            buf[self] := i;
          end with;
  add:    total := total + buf[self];
          buf[self] := 0;
        end while;
end process;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "7c28162a" /\ chksum(tla) = "2ed28173")
VARIABLES pc, total, done, buf

vars == << pc, total, done, buf >>

ProcSet == (Workers)

Init == (* Global variables *)
        /\ total = 0
        /\ done = {}
        /\ buf = [w \in Workers |-> 0]
        /\ pc = [self \in ProcSet |-> "take"]

take(self) == /\ pc[self] = "take"
              /\ IF done # Items
                    THEN /\ \E i \in Items \ done:
                              /\ done' = (done \cup {i})
                              /\ buf' = [buf EXCEPT ![self] = i]
                         /\ pc' = [pc EXCEPT ![self] = "add"]
                    ELSE /\ pc' = [pc EXCEPT ![self] = "Done"]
                         /\ UNCHANGED << done, buf >>
              /\ total' = total

add(self) == /\ pc[self] = "add"
             /\ total' = total + buf[self]
             /\ buf' = [buf EXCEPT ![self] = 0]
             /\ pc' = [pc EXCEPT ![self] = "take"]
             /\ done' = done

worker(self) == take(self) \/ add(self)

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == (\E self \in Workers: worker(self))
           \/ Terminating

Spec == /\ Init /\ [][Next]_vars
        /\ WF_vars(Next)

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION 

\* What the workers hold: ParTotal's buffers, added up.
RECURSIVE SumOver(_)
SumOver(W) == IF W = {} THEN 0 ELSE LET w == CHOOSE x \in W : TRUE IN buf[w] + SumOver(W \ {w})

totalBar == total + SumOver(Workers)
pcBar == IF \A w \in Workers : pc[w] = "Done" THEN "Done" ELSE "a"

T == INSTANCE Total WITH total <- totalBar, pc <- pcBar

\* ParTotal implements Total, fairness included.
Refines == T!Spec

\* Mapping total to itself is wrong: an item is then done before it is in the total.
TWrong == INSTANCE Total WITH pc <- pcBar
RefinesWrong == TWrong!Spec
=============================================================================
