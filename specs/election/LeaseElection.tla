---------------------------- MODULE LeaseElection ----------------------------
(***************************************************************************)
(* Lease-based leader election with generation numbers (fencing tokens)   *)
(* and a stated clock-drift bound; packages/election's LeaseNode takes the *)
(* same actions under the same names.                                      *)
(*                                                                         *)
(* Generations. A candidate takes generation promised+1 and promises it to *)
(* itself; a voter grants a generation only if it is newer than every one *)
(* it has promised (durably). Majorities intersect, so no two leaders      *)
(* share a generation: the generation is a fencing token.                  *)
(*                                                                         *)
(* Leases. A leader renews its lease in numbered rounds (the campaign is   *)
(* round 0). A round's lease lasts LeaseUnits of the LEADER'S clock from   *)
(* the moment it SENT the round, once a majority acknowledged the round.   *)
(* A node acknowledges rounds of generations at least as new as its        *)
(* promise only, so once a majority promised a newer generation no older   *)
(* leader can extend its lease.                                            *)
(*                                                                         *)
(* Waiting out the old lease. A new leader uses its lease only after       *)
(* WaitUnits of its own clock: the old leader's last acknowledged round    *)
(* was sent before the win, and lasts at most LeaseUnits/(Nominal-Drift)   *)
(* real time; WaitUnits = ceil(LeaseUnits*(Nominal+Drift)/(Nominal-Drift)) *)
(* takes at least that long on a clock that runs fast.                     *)
(*                                                                         *)
(* Time. Real time advances in Ticks; in each, every node's clock advances *)
(* by a whole number of units in Nominal-ActualDrift .. Nominal+ActualDrift*)
(* (chosen per node and per tick: a rate that wanders within the bound).   *)
(* The protocol assumes the bound Drift (rho = Drift/Nominal); a model     *)
(* whose clocks drift more (ActualDrift > Drift) shows the split brain.    *)
(* Clocks appear only as countdowns (units left of a lease, a wait, a      *)
(* round), so the state space is finite without a bound on time.           *)
(*                                                                         *)
(* Messages are a set that only grows, as in Lamport's Paxos.tla: loss,    *)
(* duplication and reordering at once. A restart (Restart) loses every     *)
(* volatile belief, and keeps the promise.                                 *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Server,       \* the nodes
    Nominal,      \* clock units per tick of a perfect clock
    Drift,        \* the drift bound the protocol assumes, in units per tick
    ActualDrift,  \* how far the clocks really drift, in units per tick
    LeaseUnits,   \* a lease's length on the leader's clock
    NoWait        \* TRUE only in the broken model: a new leader does not wait out the old lease

ASSUME /\ Nominal \in Nat \ {0} /\ Drift \in Nat /\ Drift < Nominal
       /\ ActualDrift \in Nat /\ ActualDrift < Nominal
       /\ LeaseUnits \in Nat \ {0} /\ NoWait \in BOOLEAN

VARIABLES
    promised,   \* promised[i]: the newest generation i has granted or acknowledged (durable)
    role,       \* role[i]: "follower", "candidate" or "leader" (volatile, as all below)
    gen,        \* gen[i]: the generation i campaigns for or leads (0 for a follower)
    round,      \* round[i]: the leader's current lease round (0: the campaign)
    acks,       \* acks[i]: who granted the campaign or acknowledged the current round
    roundLeft,  \* roundLeft[i]: units of i's clock left of the current round's lease
    waitLeft,   \* waitLeft[i]: units of i's clock a new leader still waits
    leaseLeft,  \* leaseLeft[i]: units of i's clock left of the lease a majority granted
    msgs        \* every message ever sent

vars == <<promised, role, gen, round, acks, roundLeft, waitLeft, leaseLeft, msgs>>

WaitUnits ==
    IF NoWait THEN 0
    ELSE (LeaseUnits * (Nominal + Drift) + (Nominal - Drift) - 1) \div (Nominal - Drift)

Rates == (Nominal - ActualDrift) .. (Nominal + ActualDrift)

IsMajority(S) == 2 * Cardinality(S) > Cardinality(Server)

\* A node believes it holds a valid lease: it leads, has waited, and a majority granted a lease.
HoldsLease(i) == role[i] = "leader" /\ waitLeft[i] = 0 /\ leaseLeft[i] > 0

Message ==
         [type : {"Campaign"}, gen : Nat, from : Server]
    \cup [type : {"Grant"}, gen : Nat, from : Server, to : Server]
    \cup [type : {"Renew"}, gen : Nat, round : Nat, from : Server]
    \cup [type : {"Ack"}, gen : Nat, round : Nat, from : Server, to : Server]

Init ==
    /\ promised = [i \in Server |-> 0]
    /\ role = [i \in Server |-> "follower"]
    /\ gen = [i \in Server |-> 0]
    /\ round = [i \in Server |-> 0]
    /\ acks = [i \in Server |-> {}]
    /\ roundLeft = [i \in Server |-> 0]
    /\ waitLeft = [i \in Server |-> 0]
    /\ leaseLeft = [i \in Server |-> 0]
    /\ msgs = {}

\* i forgets any campaign or leadership (a step-down or a restart).
Forget(i) ==
    /\ role' = [role EXCEPT ![i] = "follower"]
    /\ gen' = [gen EXCEPT ![i] = 0]
    /\ round' = [round EXCEPT ![i] = 0]
    /\ acks' = [acks EXCEPT ![i] = {}]
    /\ roundLeft' = [roundLeft EXCEPT ![i] = 0]
    /\ waitLeft' = [waitLeft EXCEPT ![i] = 0]
    /\ leaseLeft' = [leaseLeft EXCEPT ![i] = 0]

---------------------------------------------------------------------------
(* Elections *)

\* i's election timeout fires: it campaigns for a new generation (its own vote is a promise).
Campaign(i) ==
    /\ role[i] # "leader"
    /\ promised' = [promised EXCEPT ![i] = promised[i] + 1]
    /\ role' = [role EXCEPT ![i] = "candidate"]
    /\ gen' = [gen EXCEPT ![i] = promised[i] + 1]
    /\ round' = [round EXCEPT ![i] = 0]
    /\ acks' = [acks EXCEPT ![i] = {i}]
    /\ roundLeft' = [roundLeft EXCEPT ![i] = LeaseUnits]
    /\ waitLeft' = [waitLeft EXCEPT ![i] = 0]
    /\ leaseLeft' = [leaseLeft EXCEPT ![i] = 0]
    /\ msgs' = msgs \cup {[type |-> "Campaign", gen |-> promised[i] + 1, from |-> i]}

\* i receives j's campaign for generation g, newer than its promise: it promises g and grants it.
HandleCampaign(i, j, g) ==
    /\ [type |-> "Campaign", gen |-> g, from |-> j] \in msgs
    /\ g > promised[i]
    /\ promised' = [promised EXCEPT ![i] = g]
    /\ Forget(i)
    /\ msgs' = msgs \cup {[type |-> "Grant", gen |-> g, from |-> i, to |-> j]}

\* Candidate i receives j's grant; with a majority it leads, and starts waiting out the old lease.
HandleGrant(i, j) ==
    /\ role[i] = "candidate"
    /\ [type |-> "Grant", gen |-> gen[i], from |-> j, to |-> i] \in msgs
    /\ acks' = [acks EXCEPT ![i] = acks[i] \cup {j}]
    /\ IF IsMajority(acks'[i])
         THEN /\ role' = [role EXCEPT ![i] = "leader"]
              /\ waitLeft' = [waitLeft EXCEPT ![i] = WaitUnits]
              /\ leaseLeft' = [leaseLeft EXCEPT ![i] = roundLeft[i]]
         ELSE UNCHANGED <<role, waitLeft, leaseLeft>>
    /\ UNCHANGED <<promised, gen, round, roundLeft, msgs>>

---------------------------------------------------------------------------
(* Leases *)

\* Leader i starts a new lease round; its lease runs from now, once a majority acknowledges.
Renew(i) ==
    /\ role[i] = "leader"
    /\ round' = [round EXCEPT ![i] = round[i] + 1]
    /\ acks' = [acks EXCEPT ![i] = {i}]
    /\ roundLeft' = [roundLeft EXCEPT ![i] = LeaseUnits]
    /\ msgs' = msgs \cup {[type |-> "Renew", gen |-> gen[i], round |-> round[i] + 1, from |-> i]}
    /\ UNCHANGED <<promised, role, gen, waitLeft, leaseLeft>>

\* i receives j's round r of generation g, not older than its promise: it acknowledges (a newer
\* generation than its own campaign or leadership makes it step down).
HandleRenew(i, j, g, r) ==
    /\ j # i
    /\ [type |-> "Renew", gen |-> g, round |-> r, from |-> j] \in msgs
    /\ g >= promised[i]
    /\ promised' = [promised EXCEPT ![i] = g]
    /\ IF role[i] # "follower" /\ gen[i] < g
         THEN Forget(i)
         ELSE UNCHANGED <<role, gen, round, acks, roundLeft, waitLeft, leaseLeft>>
    /\ msgs' = msgs \cup {[type |-> "Ack", gen |-> g, round |-> r, from |-> i, to |-> j]}

\* Leader i receives j's acknowledgement of its current round; with a majority the round's lease holds.
HandleAck(i, j) ==
    /\ role[i] = "leader"
    /\ [type |-> "Ack", gen |-> gen[i], round |-> round[i], from |-> j, to |-> i] \in msgs
    /\ acks' = [acks EXCEPT ![i] = acks[i] \cup {j}]
    /\ leaseLeft' = [leaseLeft EXCEPT ![i] = IF IsMajority(acks'[i]) THEN roundLeft[i] ELSE leaseLeft[i]]
    /\ UNCHANGED <<promised, role, gen, round, roundLeft, waitLeft, msgs>>

---------------------------------------------------------------------------
(* Faults and time *)

\* i crashes and restarts: every belief is lost, the promise is kept.
Restart(i) ==
    /\ Forget(i)
    /\ UNCHANGED <<promised, msgs>>

Dec(x, by) == IF x > by THEN x - by ELSE 0

\* The nodes whose clocks matter now: those counting something down.
Counting == {i \in Server : roundLeft[i] + waitLeft[i] + leaseLeft[i] > 0}

\* One tick of real time: each clock advances by its own rate r[i], within the actual drift (only
\* the rates of clocks that count something down are chosen: the others' make no difference).
Tick ==
    \E r \in [Counting -> Rates] :
        /\ roundLeft' = [i \in Server |-> IF i \in Counting THEN Dec(roundLeft[i], r[i]) ELSE 0]
        /\ waitLeft' = [i \in Server |-> IF i \in Counting THEN Dec(waitLeft[i], r[i]) ELSE 0]
        /\ leaseLeft' = [i \in Server |-> IF i \in Counting THEN Dec(leaseLeft[i], r[i]) ELSE 0]
        /\ UNCHANGED <<promised, role, gen, round, acks, msgs>>

\* The generations and rounds messages carry (finite domains for the receive actions' parameters).
SentGens == {m.gen : m \in msgs}
SentRounds == {m.round : m \in {x \in msgs : x.type = "Renew"}}

Next ==
    \/ \E i \in Server : Campaign(i)
    \/ \E i, j \in Server, g \in SentGens : HandleCampaign(i, j, g)
    \/ \E i, j \in Server : HandleGrant(i, j)
    \/ \E i \in Server : Renew(i)
    \/ \E i, j \in Server, g \in SentGens, r \in SentRounds : HandleRenew(i, j, g, r)
    \/ \E i, j \in Server : HandleAck(i, j)
    \/ \E i \in Server : Restart(i)
    \/ Tick

Spec == Init /\ [][Next]_vars

---------------------------------------------------------------------------
(* Invariants *)

TypeOK ==
    /\ promised \in [Server -> Nat]
    /\ role \in [Server -> {"follower", "candidate", "leader"}]
    /\ gen \in [Server -> Nat]
    /\ round \in [Server -> Nat]
    /\ acks \in [Server -> SUBSET Server]
    /\ roundLeft \in [Server -> 0 .. LeaseUnits]
    /\ waitLeft \in [Server -> 0 .. WaitUnits]
    /\ leaseLeft \in [Server -> 0 .. LeaseUnits]
    /\ msgs \subseteq Message

\* The property the whole design is for: at any real time (any state) at most one node believes
\* it holds a valid lease. It holds when the clocks drift within the bound the protocol assumes.
LeaseSafety ==
    \A i, j \in Server : i # j => ~(HoldsLease(i) /\ HoldsLease(j))

\* Fencing order: once a newer leader has waited out the old lease, no older leader holds one,
\* so the generations of lease holders only increase in real time.
NoStaleLease ==
    \A i, j \in Server :
        (HoldsLease(i) /\ role[j] = "leader" /\ waitLeft[j] = 0) => gen[j] <= gen[i]

\* A generation has at most one leader: it is a fencing token.
OneLeaderPerGeneration ==
    \A i, j \in Server : (i # j /\ role[i] = "leader" /\ role[j] = "leader") => gen[i] # gen[j]

\* A leader's generation was promised by a majority, and a node's generation never exceeds its promise.
LeaderHasMajority ==
    \A i \in Server :
        /\ gen[i] <= promised[i]
        /\ role[i] = "leader" => IsMajority({k \in Server : promised[k] >= gen[i]})

\* k granted (round 0) or acknowledged round r of leader i's generation g.
Acked(k, i, g, r) ==
    IF r = 0 THEN [type |-> "Grant", gen |-> g, from |-> k, to |-> i] \in msgs
             ELSE [type |-> "Ack", gen |-> g, round |-> r, from |-> k, to |-> i] \in msgs

\* A lease is only held on the strength of a round of its generation a majority acknowledged.
LeaseNeedsMajority ==
    \A i \in Server : leaseLeft[i] > 0 =>
        /\ role[i] = "leader"
        /\ \E r \in 0 .. round[i] : IsMajority({i} \cup {k \in Server : Acked(k, i, gen[i], r)})

---------------------------------------------------------------------------
(* Liveness *)

\* With time moving (weak fairness of Tick), a leader's wait ends: it comes to use its lease, or
\* loses its leadership, never waits forever.
LiveSpec == Spec /\ WF_vars(Tick)

WaitEnds ==
    \A i \in Server : (role[i] = "leader" /\ waitLeft[i] > 0) ~> (waitLeft[i] = 0 \/ role[i] # "leader")
=============================================================================
