--------------------------- MODULE MCRingElection ---------------------------
(***************************************************************************)
(* Models of RingElection.tla (the ring as RingNode runs it, without      *)
(* synchrony); the constants are in the .cfg files:                        *)
(*   MCRingElection.cfg  CI: 2 nodes, at most 2 messages in flight; the    *)
(*                       model conformance replays state by state          *)
(***************************************************************************)
EXTENDS RingElection

CONSTANT MaxMsgs  \* at most this many messages in flight (a state bound)

StateBound == Cardinality(msgs) <= MaxMsgs
=============================================================================
