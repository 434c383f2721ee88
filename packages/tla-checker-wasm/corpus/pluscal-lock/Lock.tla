-------------------------------- MODULE Lock --------------------------------
(***************************************************************************)
(* Fairness on labels: two strongly fair processes ("fair+") share a lock  *)
(* with a weakly fair one whose acquiring step is excluded from its        *)
(* fairness (label "w2:-") and whose release is strongly fair ("w3:+").    *)
(* The strong ones always get in again; the weak one may starve.           *)
(***************************************************************************)
EXTENDS Naturals

(* --algorithm Lock
variables lock = FALSE, inside = 0;
fair+ process Strong \in {1, 2}
begin
  try: while TRUE do
    acq:   await ~lock;
           lock := TRUE;
    cs:    inside := inside + 1;
    leave: inside := inside - 1;
           lock := FALSE;
  end while;
end process;
fair process Weak = 3
begin
  w1: while TRUE do
    w2:- await ~lock;
         lock := TRUE;
    w3:+ lock := FALSE;
  end while;
end process;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "fd5c4dd0" /\ chksum(tla) = "1d6b5ef2")
VARIABLES pc, lock, inside

vars == << pc, lock, inside >>

ProcSet == ({1, 2}) \cup {3}

Init == (* Global variables *)
        /\ lock = FALSE
        /\ inside = 0
        /\ pc = [self \in ProcSet |-> CASE self \in {1, 2} -> "try"
                                        [] self = 3 -> "w1"]

try(self) == /\ pc[self] = "try"
             /\ pc' = [pc EXCEPT ![self] = "acq"]
             /\ UNCHANGED << lock, inside >>

acq(self) == /\ pc[self] = "acq"
             /\ ~lock
             /\ lock' = TRUE
             /\ pc' = [pc EXCEPT ![self] = "cs"]
             /\ UNCHANGED inside

cs(self) == /\ pc[self] = "cs"
            /\ inside' = inside + 1
            /\ pc' = [pc EXCEPT ![self] = "leave"]
            /\ lock' = lock

leave(self) == /\ pc[self] = "leave"
               /\ inside' = inside - 1
               /\ lock' = FALSE
               /\ pc' = [pc EXCEPT ![self] = "try"]

Strong(self) == try(self) \/ acq(self) \/ cs(self) \/ leave(self)

w1 == /\ pc[3] = "w1"
      /\ pc' = [pc EXCEPT ![3] = "w2"]
      /\ UNCHANGED << lock, inside >>

w2 == /\ pc[3] = "w2"
      /\ ~lock
      /\ lock' = TRUE
      /\ pc' = [pc EXCEPT ![3] = "w3"]
      /\ UNCHANGED inside

w3 == /\ pc[3] = "w3"
      /\ lock' = FALSE
      /\ pc' = [pc EXCEPT ![3] = "w1"]
      /\ UNCHANGED inside

Weak == w1 \/ w2 \/ w3

Next == Weak
           \/ (\E self \in {1, 2}: Strong(self))

Spec == /\ Init /\ [][Next]_vars
        /\ \A self \in {1, 2} : SF_vars(Strong(self))
        /\ WF_vars((pc[3] # "w2") /\ Weak) /\ SF_vars(w3)

\* END TRANSLATION 

Exclusion == inside <= 1
StrongProgress == \A i \in {1, 2} : []<>(pc[i] = "cs")
WeakProgress == []<>(pc[3] = "w3")
=============================================================================
