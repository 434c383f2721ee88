------------------------------- MODULE Euclid -------------------------------
(***************************************************************************)
(* Euclid's algorithm, in PlusCal's P-syntax with no labels: the           *)
(* translator adds the one it needs (Lbl_1).  The keyword "fair" makes the *)
(* whole algorithm weakly fair, so Termination holds.                      *)
(***************************************************************************)
EXTENDS Naturals, TLC

CONSTANT N

Divides(d, n) == n % d = 0
GCD(a, b) == CHOOSE g \in 1..N : /\ Divides(g, a) /\ Divides(g, b)
                                 /\ \A h \in 1..N : Divides(h, a) /\ Divides(h, b) => h <= g

(* --fair algorithm Euclid
variables x \in 1..N, y \in 1..N, x0 = x, y0 = y;
begin
  while x # y do
    if x < y then y := y - x;
    else x := x - y;
    end if;
  end while;
  assert x = GCD(x0, y0);
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "7c28162a" /\ chksum(tla) = "a48c6f0b")
VARIABLES pc, x, y, x0, y0

vars == << pc, x, y, x0, y0 >>

Init == (* Global variables *)
        /\ x \in 1..N
        /\ y \in 1..N
        /\ x0 = x
        /\ y0 = y
        /\ pc = "Lbl_1"

Lbl_1 == /\ pc = "Lbl_1"
         /\ IF x # y
               THEN /\ IF x < y
                          THEN /\ y' = y - x
                               /\ x' = x
                          ELSE /\ x' = x - y
                               /\ y' = y
                    /\ pc' = "Lbl_1"
               ELSE /\ Assert(x = GCD(x0, y0), 
                              "Failure of assertion at line 23, column 3.")
                    /\ pc' = "Done"
                    /\ UNCHANGED << x, y >>
         /\ UNCHANGED << x0, y0 >>

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == pc = "Done" /\ UNCHANGED vars

Next == Lbl_1
           \/ Terminating

Spec == /\ Init /\ [][Next]_vars
        /\ WF_vars(Next)

Termination == <>(pc = "Done")

\* END TRANSLATION 

\* The values stay positive and below their start.
TypeOK == /\ x \in 1..N /\ y \in 1..N
          /\ x <= x0 /\ y <= y0
=============================================================================
