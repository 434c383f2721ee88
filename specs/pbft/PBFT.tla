-------------------------------- MODULE PBFT --------------------------------
(***************************************************************************)
(* Practical Byzantine Fault Tolerance (Castro and Liskov, OSDI 1999; the  *)
(* view change with signed certificates of that paper).                    *)
(*                                                                         *)
(* N = 3F+1 replicas order client requests in a sequence of views. The     *)
(* primary of a view assigns sequence numbers (PrePrepare); backups agree  *)
(* on the assignment (Prepare, 2F matching prepares from distinct backups  *)
(* besides the primary's pre-prepare: a "prepared certificate" of 2F+1),   *)
(* then commit (2F+1 Commit) and execute in sequence order. Every K        *)
(* requests a replica multicasts a Checkpoint of its state; 2F+1 matching  *)
(* ones make the checkpoint stable, which moves the low watermark and      *)
(* discards the log below it (garbage collection). A replica accepts       *)
(* sequence numbers only within the window (h, h + L]. A replica that      *)
(* suspects the primary moves to the next view and multicasts a            *)
(* ViewChange with its stable checkpoint and its prepared certificates;    *)
(* the new primary gathers 2F+1 of them into a NewView that re-proposes,   *)
(* for every sequence number above the highest checkpoint, the request of  *)
(* the highest-view prepared certificate (or the null request).            *)
(*                                                                         *)
(* Byzantine replicas and authentication. The replicas of Byz may do       *)
(* anything a holder of their keys can do: send any message, equivocate    *)
(* (two pre-prepares for one sequence number), send conflicting prepares   *)
(* or commits, replay, stay silent. What they cannot do is produce a       *)
(* message that verifies as a correct replica's: every message carries the *)
(* authenticator (MAC vector or signature) of its `sender`, and a correct  *)
(* replica's key never leaves it. So `Signed(m)` below, "m carries a valid *)
(* authenticator of m.sender", is true of exactly the messages a correct   *)
(* replica sent (they are in `msgs`) and of every message whose sender is  *)
(* Byzantine. The spec does not store Byzantine messages: they are all     *)
(* available at any time, in every version, and correct replicas choose    *)
(* among them nondeterministically. This loses no behaviour and adds none: *)
(* every guard of the spec is monotone in the set of available messages,   *)
(* so "the adversary sent everything at once" covers every schedule of     *)
(* sends, silence included (a message may never be used).                  *)
(*                                                                         *)
(* Certificates carried inside ViewChange messages (a stable-checkpoint    *)
(* proof, prepared certificates) are verified the same way: a correct      *)
(* replica accepts a certificate only if each of its signed constituents   *)
(* satisfies Signed. The spec carries a certificate as its summary and     *)
(* verifies the summary against Signed, which is what checking the         *)
(* signatures of the shipped messages establishes. (MACs and signatures    *)
(* are not told apart: an implementation that forwards a certificate must  *)
(* make it verifiable by third parties, i.e. sign it.)                     *)
(*                                                                         *)
(* As in Lamport's Paxos.tla, `msgs` is the set of all messages correct    *)
(* replicas ever sent: a message is never removed, so loss, delay,         *)
(* duplication, reordering and replay are all behaviours of the spec, and  *)
(* receiving a message is not a step: an action is enabled when the        *)
(* messages it needs have been sent. Digests are the requests themselves   *)
(* (digests are collision-free), and a state digest is the sequence of     *)
(* requests executed.                                                      *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Replica,        \* all replicas
    Byz,            \* the Byzantine ones
    F,              \* faults tolerated: N = 3F+1, quorums of 2F+1
    ReplicaOrder,   \* a sequence of the replicas: the primary of view v is ReplicaOrder[v % N + 1]
    Request,        \* client requests (each signed by its client)
    Null,           \* the null request a new primary puts in a gap
    Bogus,          \* a request no client signed: a Byzantine replica can name it, not sign it
    MaxView,        \* views are 0..MaxView
    MaxSeq,         \* sequence numbers are 1..MaxSeq
    K,              \* checkpoint period
    L               \* log size: sequence numbers accepted are h+1..h+L (h = low watermark)

N == Cardinality(Replica)

ASSUME /\ N = 3 * F + 1
       /\ F \in Nat \ {0}
       /\ Byz \subseteq Replica
       \* A quorum of 2F+1 always holds a correct replica (the f+1 model has 2F Byzantine
       \* replicas). StableCheckpoint relies on it to look for a checkpoint's state among
       \* the correct replicas' checkpoints only.
       /\ Cardinality(Byz) <= 2 * F
       /\ ReplicaOrder \in [1..N -> Replica]
       /\ \A k \in 1..N : \A k2 \in 1..N : ReplicaOrder[k] = ReplicaOrder[k2] => k = k2
       /\ Null \notin Request
       /\ Bogus \notin Request \cup {Null}
       /\ MaxView \in Nat /\ MaxSeq \in Nat \ {0}
       /\ K \in Nat \ {0} /\ L \in Nat \ {0}

Correct == Replica \ Byz
View == 0..MaxView
SeqNum == 1..MaxSeq
\* Every request a message may carry.
AnyReq == Request \cup {Null, Bogus}

Primary(v) == ReplicaOrder[(v % N) + 1]

Max(S) == CHOOSE x \in S : \A y \in S : y <= x
Range(s) == {s[k] : k \in DOMAIN s}

(***************************************************************************)
(* Decision operators: the numbers and checks the protocol's safety rests  *)
(* on. The broken models (MCPBFTBroken*.tla) override one each.            *)
(***************************************************************************)
\* Prepares from distinct backups that, with the primary's pre-prepare, make a prepared
\* certificate (2F+1 replicas in all).
PrepareQuorum == 2 * F
\* Commits from distinct replicas before a replica executes.
CommitQuorum == 2 * F + 1
\* A correct replica accepts a request only with its client's valid signature.
ClientSigned(r) == r \in Request

(***************************************************************************)
(* Messages. Every message has a `type` and the `sender` whose             *)
(* authenticator it carries.                                               *)
(***************************************************************************)
PrePrepareMsg(v, n, r, s) == [type |-> "PrePrepare", view |-> v, seq |-> n, req |-> r, sender |-> s]
PrepareMsg(v, n, r, s) == [type |-> "Prepare", view |-> v, seq |-> n, req |-> r, sender |-> s]
CommitMsg(v, n, r, s) == [type |-> "Commit", view |-> v, seq |-> n, req |-> r, sender |-> s]
\* `state`: the requests executed in 1..n, the digest of the service state at n.
CheckpointMsg(n, d, s) == [type |-> "Checkpoint", seq |-> n, state |-> d, sender |-> s]
\* A view change to view v: the sender's stable checkpoint (h, its state) and its
\* prepared certificates above h, as summaries [view, seq, req].
ViewChangeMsg(v, h, d, P, s) ==
    [type |-> "ViewChange", view |-> v, ckpt |-> h, state |-> d, prepared |-> P, sender |-> s]
\* V: the 2F+1 view changes it is computed from; O: the pre-prepares [seq, req] of view v.
NewViewMsg(v, V, O, s) == [type |-> "NewView", view |-> v, vcs |-> V, pps |-> O, sender |-> s]

\* An entry of a replica's log (an accepted pre-prepare, a prepared certificate).
Entry(v, n, r) == [view |-> v, seq |-> n, req |-> r]

VARIABLES
    view,         \* view[i]: replica i's current view
    status,       \* status[i]: "normal", or "viewchange" (waiting for the NewView of view[i])
    prePrepared,  \* prePrepared[i]: the pre-prepares i accepted (a primary: sent) in its view
    prepared,     \* prepared[i]: per sequence number, the highest-view entry i is prepared for
    executed,     \* executed[i]: the requests i executed, in order (its service state)
    stable,       \* stable[i]: its last stable checkpoint, the low watermark
    msgs          \* every message a correct replica sent

vars == <<view, status, prePrepared, prepared, executed, stable, msgs>>

(***************************************************************************)
(* Authentication.                                                         *)
(***************************************************************************)
\* m carries a valid authenticator of m.sender: a correct replica sent it, or its sender is
\* Byzantine (the adversary holds that key and can authenticate anything with it).
Signed(m) == m \in msgs \/ m.sender \in Byz

\* A prepared certificate for (v, n, r) verifies: the pre-prepare of v's primary and 2F
\* prepares from distinct other replicas, all signed.
PrepareCert(v, n, r) ==
    /\ Signed(PrePrepareMsg(v, n, r, Primary(v)))
    /\ Cardinality({q \in Replica \ {Primary(v)} : Signed(PrepareMsg(v, n, r, q))}) >= PrepareQuorum

\* 2F+1 signed commits for (v, n, r).
CommitCert(v, n, r) == Cardinality({q \in Replica : Signed(CommitMsg(v, n, r, q))}) >= CommitQuorum

\* 2F+1 signed checkpoints for (n, d).
CheckpointCert(n, d) == Cardinality({q \in Replica : Signed(CheckpointMsg(n, d, q))}) >= 2 * F + 1

\* The states a certificate for a checkpoint at n can carry. A certificate holds a correct
\* replica's checkpoint (2F+1 > Cardinality(Byz)), so these are the correct replicas' states.
CheckpointStates(n) == {m.state : m \in {m \in msgs : m.type = "Checkpoint" /\ m.seq = n}}

\* Checkpoints that can be proven stable ([seq, state]); the initial state needs no proof.
CertifiedCheckpoints ==
    {[seq |-> 0, state |-> << >>]} \cup
    {[seq |-> m.seq, state |-> m.state] :
        m \in {m \in msgs : m.type = "Checkpoint" /\ CheckpointCert(m.seq, m.state)}}

\* A prepared-certificate summary c in a view change verifies.
VerifiedPrepared(c) == PrepareCert(c.view, c.seq, c.req)

\* A view change's stable-checkpoint proof verifies.
VerifiedCheckpoint(h, d) == (h = 0 /\ d = << >>) \/ CheckpointCert(h, d)

\* The prepared part of a view change to view v with checkpoint h is well formed and verifies.
ValidPrepared(P, v, h) ==
    /\ \A c \in P : c.view < v /\ c.seq > h /\ VerifiedPrepared(c)
    /\ \A c, c2 \in P : c.seq = c2.seq => c = c2

\* What a correct replica checks of a view change before using it.
ValidViewChange(m) ==
    /\ Signed(m)
    /\ VerifiedCheckpoint(m.ckpt, m.state)
    /\ ValidPrepared(m.prepared, m.view, m.ckpt)

(***************************************************************************)
(* View changes a Byzantine replica can send for view v: any stable        *)
(* checkpoint it can prove and any set of prepared certificates it can     *)
(* prove (one per sequence number). Those that do not verify are dropped   *)
(* by every correct replica, so they need not be generated.                *)
(***************************************************************************)
Claims(v, h) ==
    {c \in [view : 0..(v - 1), seq : (h + 1)..MaxSeq, req : AnyReq] : VerifiedPrepared(c)}
ClaimSets(v, h) == {P \in SUBSET Claims(v, h) : \A c, c2 \in P : c.seq = c2.seq => c = c2}
ByzViewChangeContents(v) ==
    UNION {{[ckpt |-> ck.seq, state |-> ck.state, prepared |-> P] : P \in ClaimSets(v, ck.seq)} :
              ck \in CertifiedCheckpoints}

\* The sets of 2F+1 valid view changes for view v from distinct senders that a new primary may
\* gather: some of the correct replicas' (a correct replica sends one per view) and one of
\* every Byzantine replica of a set B.
ViewChangeSets(v) ==
    LET CV == {m \in msgs : m.type = "ViewChange" /\ m.view = v /\ ValidViewChange(m)}
        Split == {CB \in (SUBSET CV) \X (SUBSET Byz) : Cardinality(CB[1]) + Cardinality(CB[2]) = 2 * F + 1}
    IN  UNION {{CB[1] \cup {ViewChangeMsg(v, g[b].ckpt, g[b].state, g[b].prepared, b) : b \in CB[2]} :
                    g \in [CB[2] -> ByzViewChangeContents(v)]} :
                  CB \in Split}

(***************************************************************************)
(* The new view's pre-prepares (PBFT's set O). min-s is the highest stable *)
(* checkpoint in V, max-s the highest sequence number of a prepared        *)
(* certificate in V; every n in min-s+1..max-s gets the request of a       *)
(* prepared certificate for n with the highest view in V, or Null if none. *)
(* OSets is a set because two such certificates for different requests    *)
(* would both qualify; with at most F Byzantine replicas there is never    *)
(* more than one (PrepareUniqueness), so O is a function of V.             *)
(***************************************************************************)
MinS(V) == Max({m.ckpt : m \in V})
MaxS(V) == Max({MinS(V)} \cup {c.seq : c \in UNION {m.prepared : m \in V}})
OSets(V) ==
    LET claims == UNION {m.prepared : m \in V}
        S == (MinS(V) + 1)..MaxS(V)
        top(n) == {c \in claims : c.seq = n /\ \A c2 \in claims : c2.seq = n => c2.view <= c.view}
        choices(n) == IF top(n) = {} THEN {Null} ELSE {c.req : c \in top(n)}
    IN  {{[seq |-> n, req |-> g[n]] : n \in S} :
            g \in {g \in [S -> AnyReq] : \A n \in S : g[n] \in choices(n)}}

\* What a correct backup checks of a NewView (the primary's authenticator, then that the
\* view changes are 2F+1 valid ones for the view from distinct senders and O is computed from them).
ValidNewView(m) ==
    /\ Signed(m)
    /\ m.sender = Primary(m.view)
    /\ Cardinality(m.vcs) = 2 * F + 1
    /\ Cardinality({vc.sender : vc \in m.vcs}) = 2 * F + 1
    /\ \A vc \in m.vcs : vc.view = m.view /\ ValidViewChange(vc)
    /\ m.pps \in OSets(m.vcs)

\* The NewView messages for view v a correct replica may receive: the correct primary's, or
\* every one a Byzantine primary can form.
NewViews(v) ==
    {m \in msgs : m.type = "NewView" /\ m.view = v /\ ValidNewView(m)} \cup
    (IF Primary(v) \in Byz
       THEN UNION {{NewViewMsg(v, V, O, Primary(v)) : O \in OSets(V)} : V \in ViewChangeSets(v)}
       ELSE {})

(***************************************************************************)
(* Type invariant.                                                         *)
(***************************************************************************)
LogEntry == [view : View, seq : SeqNum, req : AnyReq]

TypeOK ==
    /\ view \in [Correct -> View]
    /\ status \in [Correct -> {"normal", "viewchange"}]
    /\ prePrepared \in [Correct -> SUBSET LogEntry]
    /\ prepared \in [Correct -> SUBSET LogEntry]
    /\ DOMAIN executed = Correct
    /\ \A i \in Correct : /\ Len(executed[i]) <= MaxSeq
                          /\ \A k \in 1..Len(executed[i]) : executed[i][k] \in AnyReq
    /\ stable \in [Correct -> 0..MaxSeq]
    /\ \A m \in msgs : /\ m.sender \in Correct
                       /\ m.type \in {"PrePrepare", "Prepare", "Commit", "Checkpoint", "ViewChange", "NewView"}

Init ==
    /\ view = [i \in Correct |-> 0]
    /\ status = [i \in Correct |-> "normal"]
    /\ prePrepared = [i \in Correct |-> {}]
    /\ prepared = [i \in Correct |-> {}]
    /\ executed = [i \in Correct |-> << >>]
    /\ stable = [i \in Correct |-> 0]
    /\ msgs = {}

(***************************************************************************)
(* Actions of correct replicas. Byzantine replicas, clients and the        *)
(* network have none: their messages are always available (Signed), and    *)
(* loss and replay are implicit in msgs.                                   *)
(***************************************************************************)
InWindow(i, n) == stable[i] < n /\ n <= stable[i] + L

\* The next sequence number the primary i assigns.
NextSeq(i) == 1 + Max({stable[i]} \cup {e.seq : e \in prePrepared[i]})

\* Primary i assigns the next sequence number to client request r.
SendPrePrepare(i, r) ==
    /\ status[i] = "normal"
    /\ i = Primary(view[i])
    /\ r \notin {e.req : e \in prePrepared[i]}
    /\ r \notin Range(executed[i])
    /\ LET n == NextSeq(i) IN
         /\ n \in SeqNum
         /\ InWindow(i, n)
         /\ prePrepared' = [prePrepared EXCEPT ![i] = @ \cup {Entry(view[i], n, r)}]
         /\ msgs' = msgs \cup {PrePrepareMsg(view[i], n, r, i)}
    /\ UNCHANGED <<view, status, prepared, executed, stable>>

\* Backup i accepts the pre-prepare of (v, n, r) from the primary (the first one for (v, n)
\* it accepts, of a client-signed request, within its window) and multicasts a prepare.
SendPrepare(i, v, n, r) ==
    /\ status[i] = "normal"
    /\ view[i] = v
    /\ i /= Primary(v)
    /\ InWindow(i, n)
    /\ ClientSigned(r)
    /\ Signed(PrePrepareMsg(v, n, r, Primary(v)))
    /\ ~\E e \in prePrepared[i] : e.view = v /\ e.seq = n
    /\ prePrepared' = [prePrepared EXCEPT ![i] = @ \cup {Entry(v, n, r)}]
    /\ msgs' = msgs \cup {PrepareMsg(v, n, r, i)}
    /\ UNCHANGED <<view, status, prepared, executed, stable>>

\* Replica i is prepared for (v, n, r): it accepted the pre-prepare and holds 2F matching
\* prepares from distinct backups. It records the certificate and multicasts a commit.
SendCommit(i, v, n, r) ==
    /\ status[i] = "normal"
    /\ view[i] = v
    /\ Entry(v, n, r) \in prePrepared[i]
    /\ Entry(v, n, r) \notin prepared[i]
    /\ PrepareCert(v, n, r)
    /\ prepared' = [prepared EXCEPT ![i] = {e \in @ : e.seq /= n} \cup {Entry(v, n, r)}]
    /\ msgs' = msgs \cup {CommitMsg(v, n, r, i)}
    /\ UNCHANGED <<view, status, prePrepared, executed, stable>>

\* Replica i is committed-local for (view[i], n, r), n is the next sequence number to execute:
\* it executes r, and multicasts a checkpoint of its state every K requests.
Execute(i, n, r) ==
    /\ status[i] = "normal"
    /\ n = Len(executed[i]) + 1
    /\ Entry(view[i], n, r) \in prepared[i]
    /\ CommitCert(view[i], n, r)
    /\ executed' = [executed EXCEPT ![i] = Append(@, r)]
    /\ msgs' = IF n % K = 0 THEN msgs \cup {CheckpointMsg(n, executed'[i], i)} ELSE msgs
    /\ UNCHANGED <<view, status, prePrepared, prepared, stable>>

\* Replica i holds a certificate of 2F+1 checkpoints for n above its low watermark: the
\* checkpoint is stable. The watermark moves to n, the log up to n is discarded, and a
\* replica that has not executed up to n fetches the certified state (state transfer).
StableCheckpoint(i, n) ==
    /\ n > stable[i]
    /\ \E d \in CheckpointStates(n) :
         /\ CheckpointCert(n, d)
         /\ stable' = [stable EXCEPT ![i] = n]
         /\ prePrepared' = [prePrepared EXCEPT ![i] = {e \in @ : e.seq > n}]
         /\ prepared' = [prepared EXCEPT ![i] = {e \in @ : e.seq > n}]
         /\ executed' = [executed EXCEPT ![i] = IF Len(@) < n THEN d ELSE @]
    /\ UNCHANGED <<view, status, msgs>>

\* Replica i's timer expires (it may suspect the primary at any time), or it holds F+1 view
\* changes for later views (PBFT's join rule): it moves to a later view v, stops accepting
\* normal-case messages and multicasts a view change with its stable checkpoint and its
\* prepared certificates. (Any later view: the join rule may skip views.)
StartViewChange(i, v) ==
    /\ v > view[i]
    /\ view' = [view EXCEPT ![i] = v]
    /\ status' = [status EXCEPT ![i] = "viewchange"]
    /\ prePrepared' = [prePrepared EXCEPT ![i] = {}]
    /\ msgs' = msgs \cup {ViewChangeMsg(v, stable[i], SubSeq(executed[i], 1, stable[i]), prepared[i], i)}
    /\ UNCHANGED <<prepared, executed, stable>>

\* Replica i enters the view of NewView nv: it adopts the highest checkpoint in nv (fetching
\* its state if it lacks it), takes nv's pre-prepares above its low watermark as accepted,
\* and (a backup) multicasts a prepare for each.
EnterView(i, nv, isPrimary) ==
    \E ck \in nv.vcs :
      /\ ck.ckpt = MinS(nv.vcs)
      /\ LET h == Max({stable[i], ck.ckpt})
             pps == {e \in nv.pps : e.seq > h}
         IN  /\ view' = [view EXCEPT ![i] = nv.view]
             /\ status' = [status EXCEPT ![i] = "normal"]
             /\ stable' = [stable EXCEPT ![i] = h]
             /\ executed' = [executed EXCEPT ![i] = IF Len(@) < h THEN ck.state ELSE @]
             /\ prepared' = [prepared EXCEPT ![i] = {e \in @ : e.seq > h}]
             /\ prePrepared' = [prePrepared EXCEPT ![i] = {Entry(nv.view, e.seq, e.req) : e \in pps}]
             \* The primary's NewView carries O as pre-prepares it signed (for every
             \* entry of O, also those below its own watermark).
             /\ msgs' = msgs \cup
                          (IF isPrimary
                             THEN {nv} \cup {PrePrepareMsg(nv.view, e.seq, e.req, i) : e \in nv.pps}
                             ELSE {PrepareMsg(nv.view, e.seq, e.req, i) : e \in pps})

\* Replica i, the primary of the view it is changing to, has 2F+1 valid view changes for it:
\* it multicasts the NewView and enters the view.
SendNewView(i) ==
    /\ status[i] = "viewchange"
    /\ i = Primary(view[i])
    /\ \E V \in ViewChangeSets(view[i]) :
         \E O \in OSets(V) : EnterView(i, NewViewMsg(view[i], V, O, i), TRUE)

\* Backup i receives a valid NewView for view v (its own view, or a later one) and enters v.
AcceptNewView(i, v) ==
    /\ i /= Primary(v)
    /\ \/ v > view[i]
       \/ v = view[i] /\ status[i] = "viewchange"
    /\ \E nv \in NewViews(v) : EnterView(i, nv, FALSE)

Next ==
    \/ \E i \in Correct, r \in Request : SendPrePrepare(i, r)
    \/ \E i \in Correct, v \in View, n \in SeqNum, r \in AnyReq : SendPrepare(i, v, n, r)
    \/ \E i \in Correct, v \in View, n \in SeqNum, r \in AnyReq : SendCommit(i, v, n, r)
    \/ \E i \in Correct, n \in SeqNum, r \in AnyReq : Execute(i, n, r)
    \/ \E i \in Correct, n \in SeqNum : StableCheckpoint(i, n)
    \/ \E i \in Correct, v \in View : StartViewChange(i, v)
    \/ \E i \in Correct : SendNewView(i)
    \/ \E i \in Correct, v \in View : AcceptNewView(i, v)

Spec == Init /\ [][Next]_vars

(***************************************************************************)
(* Invariants.                                                             *)
(***************************************************************************)

\* Agreement: correct replicas execute the same request at every sequence number, whatever the
\* views they executed it in and whether they executed it or fetched it by state transfer. This
\* is PBFT's safety: the replicated service behaves as one correct server.
Agreement ==
    \A i, j \in Correct :
        \A k \in 1..Len(executed[i]) : k <= Len(executed[j]) => executed[i][k] = executed[j][k]

\* Validity: correct replicas execute only requests some client signed (or the null request of
\* a view change). A Byzantine primary can name a request no client sent; it never executes.
Validity ==
    \A i \in Correct : \A k \in 1..Len(executed[i]) : executed[i][k] \in Request \cup {Null}

\* Committed at (v, n, r): 2F+1 signed commits, so some correct replica may execute r at n. The
\* number is fixed here, not CommitQuorum, so that a broken model's quorum does not change what
\* the invariants mean.
Committed(v, n, r) == Cardinality({q \in Replica : Signed(CommitMsg(v, n, r, q))}) >= 2 * F + 1

\* Prepared certificates are unique within a view: no two correct replicas are prepared for
\* different requests at one sequence number in one view, even when the primary equivocates
\* (two prepare quorums of 2F+1 share a correct replica, which accepts one pre-prepare per
\* view and sequence number).
PrepareUniqueness ==
    \A i, j \in Correct : \A e \in prepared[i], e2 \in prepared[j] :
        e.view = e2.view /\ e.seq = e2.seq => e.req = e2.req

\* View-change safety: once a request is committed at sequence number n in view v (F+1 correct
\* replicas are prepared for it), no correct replica accepts a pre-prepare or becomes prepared
\* for anything else at n in a later view: every later NewView re-proposes it (2F+1 view changes
\* include one of those F+1 replicas', whose certificate has the highest view) or covers n by a
\* stable checkpoint, so no later view can commit anything else at n.
ViewChangeSafety ==
    \A v \in View, n \in SeqNum, r \in AnyReq :
        Committed(v, n, r) =>
            \A j \in Correct : \A e \in prepared[j] \cup prePrepared[j] :
                (e.seq = n /\ e.view > v) => e.req = r

\* The view changes correct replicas send verify (their checkpoint proofs and prepared
\* certificates are made of signed messages), and so do their primaries' NewViews: a view change
\* never depends on a message a correct replica would have to drop.
CorrectViewChangesVerify ==
    \A m \in msgs : /\ m.type = "ViewChange" => ValidViewChange(m)
                   /\ m.type = "NewView" => ValidNewView(m)

(***************************************************************************)
(* Liveness. Weak fairness on every correct replica's steps: a message     *)
(* sent is eventually used, a step that stays possible is eventually       *)
(* taken. No fairness on StartViewChange (a timeout is never forced).      *)
(***************************************************************************)
Fairness ==
    \A i \in Correct :
        /\ WF_vars(\E r \in Request : SendPrePrepare(i, r))
        /\ WF_vars(\E v \in View, n \in SeqNum, r \in AnyReq : SendPrepare(i, v, n, r))
        /\ WF_vars(\E v \in View, n \in SeqNum, r \in AnyReq : SendCommit(i, v, n, r))
        /\ WF_vars(\E n \in SeqNum, r \in AnyReq : Execute(i, n, r))
        /\ WF_vars(\E n \in SeqNum : StableCheckpoint(i, n))
        /\ WF_vars(SendNewView(i))
        /\ WF_vars(\E v \in View : AcceptNewView(i, v))

LiveSpec == Spec /\ Fairness

\* Timeouts: a replica's view-change timer eventually fires while it can move to a later view.
\* With MaxView bounding the views, every correct replica ends in view MaxView; a model whose
\* last view has a correct primary checks that a view change restores progress after a
\* Byzantine (e.g. silent) primary.
TimeoutFairness == \A i \in Correct : WF_vars(\E v \in View : StartViewChange(i, v))

LiveViewChangeSpec == Spec /\ Fairness /\ TimeoutFairness

\* Every client request is eventually executed by every correct replica.
EveryRequestExecuted == \A r \in Request : <>(\A i \in Correct : r \in Range(executed[i]))
=============================================================================
