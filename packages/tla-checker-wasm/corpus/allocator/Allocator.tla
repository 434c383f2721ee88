----------------------------- MODULE Allocator -----------------------------
(* Clients request sets of resources and are granted all of a request at   *)
(* once, or nothing. Clients and resources are interchangeable model       *)
(* values, so the model may be checked under symmetry of both sets.        *)
EXTENDS FiniteSets, TLC

CONSTANTS Clients, Resources

VARIABLES unsat, alloc
vars == <<unsat, alloc>>

Available == Resources \ UNION {alloc[c] : c \in Clients}

Init ==
  /\ unsat = [c \in Clients |-> {}]
  /\ alloc = [c \in Clients |-> {}]

Request(c, S) ==
  /\ unsat[c] = {} /\ alloc[c] = {}
  /\ S # {}
  /\ unsat' = [unsat EXCEPT ![c] = S]
  /\ UNCHANGED alloc

Allocate(c) ==
  /\ unsat[c] # {}
  /\ unsat[c] \subseteq Available
  /\ alloc' = [alloc EXCEPT ![c] = unsat[c]]
  /\ unsat' = [unsat EXCEPT ![c] = {}]

Return(c, S) ==
  /\ S # {} /\ S \subseteq alloc[c]
  /\ alloc' = [alloc EXCEPT ![c] = @ \ S]
  /\ UNCHANGED unsat

Next ==
  \E c \in Clients :
    \/ \E S \in SUBSET Resources : Request(c, S) \/ Return(c, S)
    \/ Allocate(c)

Spec == Init /\ [][Next]_vars

TypeOK ==
  /\ unsat \in [Clients -> SUBSET Resources]
  /\ alloc \in [Clients -> SUBSET Resources]

\* No resource is held by two clients.
Mutex == \A c1, c2 \in Clients : c1 # c2 => alloc[c1] \cap alloc[c2] = {}

\* The product group: every permutation of clients combined with every permutation
\* of resources. (A plain union of the two sets is not a group, and TLC's result
\* would then depend on its fingerprint function.)
Symmetry == {p @@ q : p \in Permutations(Clients), q \in Permutations(Resources)}
=============================================================================
