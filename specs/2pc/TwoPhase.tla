------------------------------ MODULE TwoPhase ------------------------------
(***************************************************************************)
(* Two-phase commit of one transaction with presumed abort, in the style   *)
(* of Gray & Lamport's TwoPhase.tla, with the faults a real deployment     *)
(* sees: the coordinator (the transaction manager, TM) and the resource    *)
(* managers (RMs) crash and recover, and the network loses, duplicates and *)
(* reorders messages.                                                      *)
(*                                                                         *)
(* Durable records. An RM writes "prepared" before it sends its yes vote,  *)
(* and writes its decision (committed or aborted); all of an RM's state is *)
(* durable, so an RM restart changes nothing the spec sees (RMRestart).   *)
(* The TM writes one record only: "commit", before it tells anyone the     *)
(* decision. It never writes an abort record: with PRESUMED ABORT a TM     *)
(* that finds no commit record after a restart answers every inquiry about *)
(* the transaction with "abort" (TMRecover). The votes the TM collected    *)
(* (tmPrepared) are volatile.                                              *)
(*                                                                         *)
(* Timeouts. Before it votes an RM may abort unilaterally (it votes no, or *)
(* it times out waiting for the prepare): RMAbort. Before it decides, the  *)
(* TM may abort at any time (a no vote arrived, or it timed out waiting    *)
(* for votes): TMAbort. A prepared RM may NOT decide on its own: it can    *)
(* only ask again (RMInquire) and wait. That is the blocking of 2PC: if    *)
(* the TM crashes after the RMs prepared and stays down, they wait         *)
(* forever (see MCTwoPhaseBlocking.cfg and README.md).                     *)
(*                                                                         *)
(* Messages are a set that only grows, as in Lamport's Paxos.tla: a        *)
(* message once sent may be received any number of times (duplication),   *)
(* in any order, or never (loss). Resending a message already sent is a   *)
(* step that changes nothing. A no vote is not modelled as a message: the  *)
(* TM may abort at any time before it decides anyway (TMAbort).            *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    RM,              \* the resource managers
    ForgetDecision   \* TRUE only in the broken model: the TM ignores its commit record on restart

VARIABLES
    rmState,     \* rmState[r]: "working", "prepared", "committed" or "aborted" (durable)
    tmState,     \* the TM's view: "init", "preparing", "committed" or "aborted" (volatile)
    tmLog,       \* the TM's durable record: "none" or "commit"
    tmPrepared,  \* the RMs whose yes votes the TM has received (volatile)
    tmUp,        \* whether the TM is running
    msgs         \* every message ever sent

vars == <<rmState, tmState, tmLog, tmPrepared, tmUp, msgs>>

Message ==
    [type : {"Prepared"}, rm : RM] \cup [type : {"Prepare", "Commit", "Abort"}]

Init ==
    /\ rmState = [r \in RM |-> "working"]
    /\ tmState = "init"
    /\ tmLog = "none"
    /\ tmPrepared = {}
    /\ tmUp = TRUE
    /\ msgs = {}

---------------------------------------------------------------------------
(* The transaction manager *)

\* The TM starts the transaction and asks every RM to prepare (again, if the request may have
\* been lost).
TMPrepare ==
    /\ tmUp
    /\ tmState \in {"init", "preparing"}
    /\ tmState' = "preparing"
    /\ msgs' = msgs \cup {[type |-> "Prepare"]}
    /\ UNCHANGED <<rmState, tmLog, tmPrepared, tmUp>>

\* The TM receives RM r's yes vote.
TMRcvPrepared(r) ==
    /\ tmUp
    /\ tmState = "preparing"
    /\ [type |-> "Prepared", rm |-> r] \in msgs
    /\ tmPrepared' = tmPrepared \cup {r}
    /\ UNCHANGED <<rmState, tmState, tmLog, tmUp, msgs>>

\* Every RM voted yes: the TM writes its commit record, then tells the RMs.
TMCommit ==
    /\ tmUp
    /\ tmState = "preparing"
    /\ tmPrepared = RM
    /\ tmState' = "committed"
    /\ tmLog' = "commit"
    /\ msgs' = msgs \cup {[type |-> "Commit"]}
    /\ UNCHANGED <<rmState, tmPrepared, tmUp>>

\* The TM aborts before deciding (a no vote, or it timed out waiting for votes). No record:
\* presumed abort.
TMAbort ==
    /\ tmUp
    /\ tmState = "preparing"
    /\ tmState' = "aborted"
    /\ msgs' = msgs \cup {[type |-> "Abort"]}
    /\ UNCHANGED <<rmState, tmLog, tmPrepared, tmUp>>

\* A prepared RM's vote (an inquiry) reaches a TM that has decided: it answers with the decision.
TMAnswer(r) ==
    /\ tmUp
    /\ tmState \in {"committed", "aborted"}
    /\ [type |-> "Prepared", rm |-> r] \in msgs
    /\ msgs' = msgs \cup {[type |-> IF tmState = "committed" THEN "Commit" ELSE "Abort"]}
    /\ UNCHANGED <<rmState, tmState, tmLog, tmPrepared, tmUp>>

\* The TM crashes: its volatile state is lost (a restarted TM never resumes a transaction).
TMCrash ==
    /\ tmUp
    /\ tmUp' = FALSE
    /\ tmState' = "init"
    /\ tmPrepared' = {}
    /\ UNCHANGED <<rmState, tmLog, msgs>>

\* The TM restarts. Presumed abort: without a commit record the transaction is aborted. The broken
\* model's TM forgets its decision: it presumes abort even with a commit record.
TMRecover ==
    /\ ~tmUp
    /\ tmUp' = TRUE
    /\ tmState' = IF tmLog = "commit" /\ ~ForgetDecision THEN "committed" ELSE "aborted"
    /\ UNCHANGED <<rmState, tmLog, tmPrepared, msgs>>

---------------------------------------------------------------------------
(* The resource managers *)

\* RM r receives the prepare request, writes its prepared record, then votes yes.
RMPrepare(r) ==
    /\ rmState[r] = "working"
    /\ [type |-> "Prepare"] \in msgs
    /\ rmState' = [rmState EXCEPT ![r] = "prepared"]
    /\ msgs' = msgs \cup {[type |-> "Prepared", rm |-> r]}
    /\ UNCHANGED <<tmState, tmLog, tmPrepared, tmUp>>

\* RM r aborts unilaterally before it votes (it votes no, or times out waiting for the prepare).
RMAbort(r) ==
    /\ rmState[r] = "working"
    /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
    /\ UNCHANGED <<tmState, tmLog, tmPrepared, tmUp, msgs>>

\* A prepared RM, still waiting for the decision, sends its vote again: an inquiry.
RMInquire(r) ==
    /\ rmState[r] = "prepared"
    /\ msgs' = msgs \cup {[type |-> "Prepared", rm |-> r]}
    /\ UNCHANGED <<rmState, tmState, tmLog, tmPrepared, tmUp>>

\* RM r learns the decision commit (it can only have been prepared).
RMRcvCommit(r) ==
    /\ rmState[r] = "prepared"
    /\ [type |-> "Commit"] \in msgs
    /\ rmState' = [rmState EXCEPT ![r] = "committed"]
    /\ UNCHANGED <<tmState, tmLog, tmPrepared, tmUp, msgs>>

\* RM r learns the decision abort (whether or not it had prepared).
RMRcvAbort(r) ==
    /\ rmState[r] \in {"working", "prepared"}
    /\ [type |-> "Abort"] \in msgs
    /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
    /\ UNCHANGED <<tmState, tmLog, tmPrepared, tmUp, msgs>>

\* RM r crashes and restarts: all its state is durable, so nothing the spec sees changes.
RMRestart(r) ==
    UNCHANGED vars

---------------------------------------------------------------------------
Next ==
    \/ TMPrepare
    \/ TMCommit
    \/ TMAbort
    \/ TMCrash
    \/ TMRecover
    \/ \E r \in RM :
        \/ TMRcvPrepared(r)
        \/ TMAnswer(r)
        \/ RMPrepare(r)
        \/ RMAbort(r)
        \/ RMInquire(r)
        \/ RMRcvCommit(r)
        \/ RMRcvAbort(r)
        \/ RMRestart(r)

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Liveness *)

\* The progress every correct node makes if it keeps running: weak fairness for what stays enabled,
\* strong fairness for what a crash can disable again and again (receipt of a message by a TM that
\* keeps crashing). A crashed TM recovers (WF TMRecover). Loss is a message never received, so
\* fairness on receipt means: retransmission eventually gets a copy through.
Fairness ==
    /\ WF_vars(TMPrepare)
    /\ SF_vars(TMCommit)
    /\ SF_vars(TMAbort)
    /\ WF_vars(TMRecover)
    /\ \A r \in RM :
        /\ SF_vars(TMAnswer(r))
        /\ WF_vars(RMPrepare(r))
        /\ WF_vars(RMAbort(r))
        /\ WF_vars(RMRcvCommit(r))
        /\ WF_vars(RMRcvAbort(r))

\* As Fairness, but a crashed TM may stay down forever: the blocking case.
FairnessNoRecovery ==
    /\ WF_vars(TMPrepare)
    /\ SF_vars(TMCommit)
    /\ SF_vars(TMAbort)
    /\ \A r \in RM :
        /\ SF_vars(TMAnswer(r))
        /\ WF_vars(RMPrepare(r))
        /\ WF_vars(RMAbort(r))
        /\ WF_vars(RMRcvCommit(r))
        /\ WF_vars(RMRcvAbort(r))

LiveSpec == Spec /\ Fairness
BlockingSpec == Spec /\ FairnessNoRecovery

\* Every RM eventually decides, commit or abort.
EveryRMDecides == \A r \in RM : <>(rmState[r] \in {"committed", "aborted"})

---------------------------------------------------------------------------
(* Safety *)

\* The variables hold what they should.
TypeOK ==
    /\ rmState \in [RM -> {"working", "prepared", "committed", "aborted"}]
    /\ tmState \in {"init", "preparing", "committed", "aborted"}
    /\ tmLog \in {"none", "commit"}
    /\ tmPrepared \subseteq RM
    /\ tmUp \in BOOLEAN
    /\ msgs \subseteq Message

\* Atomicity: no RM has committed while another has aborted.
Atomicity ==
    \A r1, r2 \in RM : ~(rmState[r1] = "committed" /\ rmState[r2] = "aborted")

\* Commit only if all voted yes: once anyone has committed (the TM or an RM), every RM has sent
\* its yes vote.
CommitOnlyIfAllYes ==
    (tmLog = "commit" \/ \E r \in RM : rmState[r] = "committed")
        => \A r \in RM : [type |-> "Prepared", rm |-> r] \in msgs

\* The TM's decision and its durable record agree: it has decided commit only with a commit record.
DecisionIsLogged ==
    tmState = "committed" => tmLog = "commit"

\* Decisions are never contradicted on the wire: commit and abort are never both sent.
OneDecision ==
    ~([type |-> "Commit"] \in msgs /\ [type |-> "Abort"] \in msgs)
=============================================================================
