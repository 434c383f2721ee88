------------------------------ MODULE Stutter -------------------------------
(***************************************************************************)
(* A stuttering counter added to any spec: its VARIABLE vars is, in the    *)
(* module that instantiates it, that module's own `vars == << ... >>'.     *)
(***************************************************************************)
EXTENDS Naturals
VARIABLES s, vars

\* A after `n' steps that change only s.
Delayed(A, n) == IF s = 0 THEN /\ UNCHANGED vars
                               /\ s' = n
                          ELSE IF s = 1 THEN A /\ s' = 0
                               ELSE /\ UNCHANGED vars
                                    /\ s' = s - 1
=============================================================================
