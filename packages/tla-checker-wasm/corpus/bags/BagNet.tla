------------------------------ MODULE BagNet ------------------------------
(* Clients send numbered requests to a server over a network that is a bag  *)
(* (multiset) of messages: duplicates are possible, order is not kept. The  *)
(* server answers each request it takes out; clients count replies.        *)
EXTENDS Naturals, Bags

CONSTANTS Clients, MaxReq

VARIABLES net, sent, replies, dupsLeft

Req(c) == [kind |-> "req", from |-> c]
Rep(c) == [kind |-> "rep", to |-> c]

Init ==
  /\ net = EmptyBag
  /\ sent = [c \in Clients |-> 0]
  /\ replies = [c \in Clients |-> 0]
  /\ dupsLeft = 1

Send(c) ==
  /\ sent[c] < MaxReq
  /\ net' = net (+) SetToBag({Req(c)})
  /\ sent' = [sent EXCEPT ![c] = @ + 1]
  /\ UNCHANGED <<replies, dupsLeft>>

\* The network duplicates a request in flight, at most once per run.
Duplicate ==
  \E m \in BagToSet(net) :
    /\ m.kind = "req"
    /\ dupsLeft > 0
    /\ CopiesIn(m, net) < 2
    /\ net' = net (+) SetToBag({m})
    /\ dupsLeft' = dupsLeft - 1
    /\ UNCHANGED <<sent, replies>>

Serve ==
  \E m \in BagToSet(net) :
    /\ m.kind = "req"
    /\ net' = (net (-) SetToBag({m})) (+) SetToBag({Rep(m.from)})
    /\ UNCHANGED <<sent, replies, dupsLeft>>

Receive(c) ==
  /\ BagIn(Rep(c), net)
  /\ net' = net (-) SetToBag({Rep(c)})
  /\ replies' = [replies EXCEPT ![c] = @ + 1]
  /\ UNCHANGED <<sent, dupsLeft>>

Next == \/ \E c \in Clients : Send(c) \/ Receive(c)
        \/ Duplicate
        \/ Serve

TypeOK == IsABag(net) /\ BagCardinality(net) <= MaxReq * 2 + 1 /\ dupsLeft \in 0..1

\* One duplicate can cause at most one extra reply.
RepliesBounded == \A c \in Clients : replies[c] <= sent[c] + 1
\* Nothing is lost: requests sent = requests and replies in flight + replies received,
\* up to the one duplicate.
Conservation ==
  LET inFlight(c) == CopiesIn(Req(c), net) + CopiesIn(Rep(c), net)
  IN  \A c \in Clients : sent[c] <= inFlight(c) + replies[c]

\* Wrong on purpose: with duplication a client can get more replies than it sent requests.
NoExtraReplies == \A c \in Clients : replies[c] <= sent[c]
=============================================================================
