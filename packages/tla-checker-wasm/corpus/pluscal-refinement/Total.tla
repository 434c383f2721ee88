------------------------------- MODULE Total -------------------------------
(***************************************************************************)
(* The sum of a set of items, added one at a time: the high-level spec     *)
(* that ParTotal refines.                                                  *)
(***************************************************************************)
EXTENDS Naturals
CONSTANT Items
ASSUME Items \subseteq Nat

(* --fair algorithm Total
variables total = 0, done = {};
begin
  a: while done # Items do
       with i \in Items \ done do
         done := done \cup {i};
         total := total + i;
       end with;
     end while;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "7c28162a" /\ chksum(tla) = "5bf51190")
VARIABLES pc, total, done

vars == << pc, total, done >>

Init == (* Global variables *)
        /\ total = 0
        /\ done = {}
        /\ pc = "a"

a == /\ pc = "a"
     /\ IF done # Items
           THEN /\ \E i \in Items \ done:
                     /\ done' = (done \cup {i})
                     /\ total' = total + i
                /\ pc' = "a"
           ELSE /\ pc' = "Done"
                /\ UNCHANGED << total, done >>

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == pc = "Done" /\ UNCHANGED vars

Next == a
           \/ Terminating

Spec == /\ Init /\ [][Next]_vars
        /\ WF_vars(Next)

Termination == <>(pc = "Done")

\* END TRANSLATION 

=============================================================================
