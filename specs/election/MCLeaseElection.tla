-------------------------- MODULE MCLeaseElection --------------------------
(***************************************************************************)
(* Models of LeaseElection.tla; the constants are in the .cfg files:       *)
(*   MCLeaseElection.cfg         CI: 3 servers, clocks within the bound     *)
(*   MCLeaseElectionDrift.cfg    clocks drift beyond the assumed bound:     *)
(*                               LeaseSafety fails (split brain)            *)
(*   MCLeaseElectionNoWait.cfg   the new leader does not wait out the old   *)
(*                               lease: LeaseSafety fails                   *)
(*   MCLeaseElectionLiveness.cfg time moves: a leader's wait ends           *)
(*   MCLeaseElectionFull.cfg     --full: more generations and rounds        *)
(***************************************************************************)
EXTENDS LeaseElection, TLC

CONSTANTS MaxGen, MaxRound

\* Bounds the state space: generations and rounds grow without bound in the spec.
StateBound ==
    /\ \A i \in Server : promised[i] <= MaxGen /\ round[i] <= MaxRound

\* The servers are interchangeable (used for safety models only: symmetry is unsound for liveness).
ServerSymmetry == Permutations(Server)
=============================================================================
