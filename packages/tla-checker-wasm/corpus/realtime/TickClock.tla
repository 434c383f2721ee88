---------------------------- MODULE TickClock ----------------------------
(***************************************************************************)
(* The standard module RealTime's variable now, advanced in whole ticks by *)
(* the spec's own actions (TLC cannot evaluate RealTime's RTnow, which     *)
(* ranges over the reals, nor RTBound, an \EE formula): a light that must  *)
(* switch within MaxDelay ticks of turning on.                             *)
(***************************************************************************)
EXTENDS Naturals, RealTime

CONSTANT MaxDelay, Horizon

VARIABLES light, since

vars == <<light, since, now>>

Init == /\ light = "off"
        /\ since = 0
        /\ now = 0

\* Time passes by one tick, never past the light's deadline.
Tick == /\ now < Horizon
        /\ light = "on" => now + 1 - since <= MaxDelay
        /\ now' = now + 1
        /\ UNCHANGED <<light, since>>

Switch == /\ light' = IF light = "on" THEN "off" ELSE "on"
          /\ since' = now
          /\ UNCHANGED now

Next == Tick \/ Switch

Spec == Init /\ [][Next]_vars

\* The light is never on for longer than MaxDelay.
Bounded == light = "on" => now - since <= MaxDelay

\* Violated: the light is sometimes on for two ticks.
Brief == light = "on" => now - since < 2
=============================================================================
