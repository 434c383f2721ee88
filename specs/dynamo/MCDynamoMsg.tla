------------------------------ MODULE MCDynamoMsg ------------------------------
(***************************************************************************)
(* Models of DynamoMsg.tla; the constants are in the .cfg files (README.md *)
(* lists every model and what it shows).                                   *)
(***************************************************************************)
EXTENDS DynamoMsg, TLC

\* The servers, as model values.
CONSTANTS s1, s2, s3

\* Every server is an owner (N = 3 of 3) in these models: the servers are interchangeable.
ServerSymmetry == Permutations(Server)

\* Bounds of the models (as a CONSTRAINT): the messages sent, and those of anti-entropy among them
\* (the set of messages grows with every store anti-entropy sends).
CONSTANTS MaxMsgs, MaxAe
MsgBound == Cardinality(msgs) <= MaxMsgs /\ Cardinality({m \in msgs : m.type = "AE"}) <= MaxAe
=============================================================================
