-------------------- MODULE MCMultiPaxosBrokenLeaseRestart --------------------
(***************************************************************************)
(* Broken variant: a restarted acceptor forgets the lease it granted and   *)
(* helps the next candidate at once, while the leader it granted the lease *)
(* to still trusts it. The cfg replaces MultiPaxos's LeaseAfterRestart     *)
(* with BrokenLeaseAfterRestart: after a restart the acceptor is bound to  *)
(* nobody.                                                                 *)
(***************************************************************************)
EXTENDS MCMultiPaxos

BrokenLeaseAfterRestart(i) == [holder |-> Nil, until |-> 0]
=============================================================================
