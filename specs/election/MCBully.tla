------------------------------ MODULE MCBully ------------------------------
(***************************************************************************)
(* Models of Bully.tla; the constants are in the .cfg files:               *)
(*   MCBully.cfg       CI: 3 servers, crashes and recoveries               *)
(*   MCBullyAsync.cfg  CI: answer timeouts fire at any time (no          *)
(*                     synchrony): HighestLiveWins fails                   *)
(*   MCBullyCoverage.cfg CI: 2 servers, no synchrony: the model            *)
(*                     conformance replays state by state                  *)
(***************************************************************************)
EXTENDS Bully
=============================================================================
