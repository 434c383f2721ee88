---------------------------- MODULE CommitVotes ----------------------------
(* An atomic commitment protocol with a coordinator that can crash, written *)
(* for Synod's bench. Participants vote; a "no" voter aborts at once. The   *)
(* coordinator records yes votes in volatile memory and its decision in a   *)
(* durable log before announcing it; it may give up waiting and abort. If   *)
(* it crashes before deciding it forgets the votes and collects them again  *)
(* from the (reliable, unordered) network. A participant that voted yes    *)
(* and is waiting may also learn the outcome from a peer that knows it.    *)
(* The coordinator crashes at most MaxCrashes times.                       *)
EXTENDS Naturals, FiniteSets

CONSTANTS Parts, MaxCrashes

VARIABLES pState, cState, votes, cLog, msgs, crashes

vars == <<pState, cState, votes, cLog, msgs, crashes>>

Messages ==
  [type : {"vote"}, from : Parts, yes : BOOLEAN] \cup [type : {"decision"}, commit : BOOLEAN]

TypeOK ==
  /\ pState \in [Parts -> {"working", "waiting", "committed", "aborted"}]
  /\ cState \in {"collecting", "done", "crashed"}
  /\ votes \subseteq Parts
  /\ cLog \in {"none", "commit", "abort"}
  /\ msgs \subseteq Messages
  /\ crashes \in 0..MaxCrashes

Init ==
  /\ pState = [p \in Parts |-> "working"]
  /\ cState = "collecting"
  /\ votes = {}
  /\ cLog = "none"
  /\ msgs = {}
  /\ crashes = 0

VoteYes(p) ==
  /\ pState[p] = "working"
  /\ pState' = [pState EXCEPT ![p] = "waiting"]
  /\ msgs' = msgs \cup {[type |-> "vote", from |-> p, yes |-> TRUE]}
  /\ UNCHANGED <<cState, votes, cLog, crashes>>

VoteNo(p) ==
  /\ pState[p] = "working"
  /\ pState' = [pState EXCEPT ![p] = "aborted"]
  /\ msgs' = msgs \cup {[type |-> "vote", from |-> p, yes |-> FALSE]}
  /\ UNCHANGED <<cState, votes, cLog, crashes>>

Decide(commit) ==
  /\ cLog' = IF commit THEN "commit" ELSE "abort"
  /\ cState' = "done"
  /\ msgs' = msgs \cup {[type |-> "decision", commit |-> commit]}

CollectVote(p) ==
  /\ cState = "collecting"
  /\ p \notin votes
  /\ \E m \in msgs :
       /\ m.type = "vote" /\ m.from = p
       /\ IF m.yes
            THEN /\ votes' = votes \cup {p}
                 /\ UNCHANGED <<cState, cLog, msgs>>
            ELSE /\ Decide(FALSE)
                 /\ UNCHANGED votes
  /\ UNCHANGED <<pState, crashes>>

CommitAll ==
  /\ cState = "collecting"
  /\ votes = Parts
  /\ Decide(TRUE)
  /\ UNCHANGED <<pState, votes, crashes>>

GiveUp ==
  /\ cState = "collecting"
  /\ votes # Parts
  /\ Decide(FALSE)
  /\ UNCHANGED <<pState, votes, crashes>>

Crash ==
  /\ cState # "crashed"
  /\ crashes < MaxCrashes
  /\ crashes' = crashes + 1
  /\ cState' = "crashed"
  /\ votes' = {}
  /\ UNCHANGED <<pState, cLog, msgs>>

Recover ==
  /\ cState = "crashed"
  /\ cState' = IF cLog = "none" THEN "collecting" ELSE "done"
  /\ UNCHANGED <<pState, votes, cLog, msgs, crashes>>

Learn(p) ==
  /\ pState[p] = "waiting"
  /\ \E m \in msgs :
       /\ m.type = "decision"
       /\ pState' = [pState EXCEPT ![p] = IF m.commit THEN "committed" ELSE "aborted"]
  /\ UNCHANGED <<cState, votes, cLog, msgs, crashes>>

AskPeer(p, q) ==
  /\ pState[p] = "waiting"
  /\ pState[q] \in {"committed", "aborted"}
  /\ pState' = [pState EXCEPT ![p] = pState[q]]
  /\ UNCHANGED <<cState, votes, cLog, msgs, crashes>>

Next ==
  \/ \E p \in Parts : VoteYes(p) \/ VoteNo(p) \/ CollectVote(p) \/ Learn(p)
  \/ \E p, q \in Parts : AskPeer(p, q)
  \/ CommitAll \/ GiveUp \/ Crash \/ Recover

\* Nobody commits while somebody aborts.
Agreement == \A p, q \in Parts : ~(pState[p] = "committed" /\ pState[q] = "aborted")

\* A commit is always backed by the durable log.
CommitLogged == \A p \in Parts : pState[p] = "committed" => cLog = "commit"
=============================================================================
