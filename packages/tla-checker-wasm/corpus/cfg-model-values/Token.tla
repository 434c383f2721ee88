--------------------------------- MODULE Token ---------------------------------
(* A token passed around a ring of processes, starting at Leader. The cfg names
   the processes as model values without declaring each one as a constant
   (`p1 = p1`): they are only used inside the values of Leader and Procs. *)
EXTENDS Naturals

CONSTANTS Leader, Procs, Rounds

VARIABLES holder, round

vars == <<holder, round>>

TypeOK == holder \in Procs /\ round \in 0..Rounds

Init == holder = Leader /\ round = 0

\* The holder hands the token to any other process.
Pass(p) ==
  /\ round < Rounds
  /\ p # holder
  /\ holder' = p
  /\ round' = round + 1

Next == \E p \in Procs : Pass(p)

\* The leader holds the token in every even round.
LeaderOnEven == round % 2 = 0 => holder = Leader
================================================================================
