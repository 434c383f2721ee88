------------------------------- MODULE MCDynamo -------------------------------
(***************************************************************************)
(* Models of Dynamo.tla; the constants are in the .cfg files (README.md   *)
(* lists every model and what it shows).                                   *)
(***************************************************************************)
EXTENDS Dynamo, TLC

\* The servers, as model values.
CONSTANTS s1, s2, s3, s4

\* The key's walk around the ring for three and four servers.
Ring3 == <<s1, s2, s3>>
Ring4 == <<s1, s2, s3, s4>>

\* With N = 3 of 3 servers and strict quorums every server is an owner and the ring order is never
\* read: the servers are interchangeable (used only by such models).
ServerSymmetry == Permutations(Server)
=============================================================================
