------------------------------ MODULE MCDynamoMsg ------------------------------
(***************************************************************************)
(* Models of DynamoMsg.tla; the constants are in the .cfg files (README.md *)
(* lists every model and what it shows).                                   *)
(***************************************************************************)
EXTENDS DynamoMsg, TLC

\* The servers, as model values (s4 only in the sloppy models: a node beyond the preference list).
CONSTANTS s1, s2, s3, s4

\* In the strict models every server is an owner (N = 3 of 3) and the ring walk is never read:
\* the servers are interchangeable. (The sloppy models read Walk, so they use no symmetry.)
ServerSymmetry == Permutations(Server)

\* The ring walk of the models' key on the implementation's ring (8 virtual nodes each): on
\* s1..s4 it is s3, s1, s2, s4 (the preference list s3, s1, s2 for N = 3, s4 the next node).
RingWalk == IF s4 \in Server THEN <<s3, s1, s2, s4>> ELSE <<s3, s1, s2>>

\* Bounds of the models (as a CONSTRAINT): the messages sent, and those of anti-entropy among them
\* (the set of messages grows with every store anti-entropy sends).
CONSTANTS MaxMsgs, MaxAe
MsgBound == Cardinality(msgs) <= MaxMsgs /\ Cardinality({m \in msgs : m.type = "AE"}) <= MaxAe
=============================================================================
