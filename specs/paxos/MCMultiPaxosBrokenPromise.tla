---------------------- MODULE MCMultiPaxosBrokenPromise ----------------------
(***************************************************************************)
(* Broken variant: an acceptor does not persist its promise (its votes are *)
(* persisted), so after a restart it accepts a ballot lower than one it    *)
(* promised, behind the back of the leader that counted that promise. The  *)
(* cfg replaces MultiPaxos's PromiseAfterRestart with                      *)
(* BrokenPromiseAfterRestart: after a restart the promise is rebuilt from  *)
(* the durable votes, i.e. the highest ballot the acceptor voted in (the   *)
(* zero ballot if none), which loses a promise made without a vote.        *)
(***************************************************************************)
EXTENDS MCMultiPaxos

BrokenPromiseAfterRestart(i) ==
    IF DOMAIN accepted[i] = {} THEN ZeroBallot
    ELSE LET bals == {accepted[i][k].bal : k \in DOMAIN accepted[i]}
         IN CHOOSE b \in bals : \A c \in bals : BallotLE(c, b)
=============================================================================
