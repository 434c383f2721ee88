------------------------------- MODULE Clocks -------------------------------
(***************************************************************************)
(* Two processes that are each one loop with no label inside: the          *)
(* translation has no pc and no Terminating step.  A multiple assignment   *)
(* (||), and the options statement below, which makes every process        *)
(* weakly fair.                                                            *)
(***************************************************************************)
EXTENDS Naturals

\* PlusCal options (wf)

(* --algorithm Clocks
variables hour = 1, ticks = 0;
process Clock = "clock"
begin
  tick: while TRUE do
          await ticks < 5;
          hour := (hour % 12) + 1 || ticks := ticks + 1;
        end while;
end process;
process Reset = "reset"
begin
  reset: while TRUE do
           await ticks = 5;
           ticks := 0;
         end while;
end process;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "ead2a312" /\ chksum(tla) = "4f8c7def")
VARIABLES hour, ticks

vars == << hour, ticks >>

ProcSet == {"clock"} \cup {"reset"}

Init == (* Global variables *)
        /\ hour = 1
        /\ ticks = 0

Clock == /\ ticks < 5
         /\ /\ hour' = (hour % 12) + 1
            /\ ticks' = ticks + 1

Reset == /\ ticks = 5
         /\ ticks' = 0
         /\ hour' = hour

Next == Clock \/ Reset

Spec == /\ Init /\ [][Next]_vars
        /\ WF_vars(Clock)
        /\ WF_vars(Reset)

\* END TRANSLATION 

TypeOK == hour \in 1..12 /\ ticks \in 0..5
\* The clock keeps going round.
HourAdvances == \A h \in 1..12 : []<>(hour = h)
=============================================================================
