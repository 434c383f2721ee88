------------------------ MODULE MCPaxosBrokenRecovery ------------------------
(***************************************************************************)
(* Broken variant: a proposer ignores the votes reported in Phase 1b and   *)
(* proposes any proposed value, so a later ballot may propose a value      *)
(* other than one already chosen. The cfg replaces Paxos's ValueOk with    *)
(* BrokenValueOk.                                                          *)
(***************************************************************************)
EXTENDS MCPaxos

BrokenValueOk(v, S) == v \in proposed
=============================================================================
