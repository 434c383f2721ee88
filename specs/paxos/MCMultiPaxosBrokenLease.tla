----------------------- MODULE MCMultiPaxosBrokenLease -----------------------
(***************************************************************************)
(* Broken variant: the leader trusts its lease for the full lease duration *)
(* on its own clock, with no margin for clock drift, so it still serves    *)
(* reads after an acceptor whose clock runs ahead has let the lease expire *)
(* and helped a new leader. The cfg replaces MultiPaxos's LeaseMargin with *)
(* BrokenLeaseMargin.                                                      *)
(***************************************************************************)
EXTENDS MCMultiPaxos

BrokenLeaseMargin == 0
=============================================================================
