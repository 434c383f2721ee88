------------------------------ MODULE Peterson ------------------------------
(***************************************************************************)
(* Peterson's mutual exclusion for two processes, in PlusCal's C-syntax:   *)
(* a process set, a define block (read by the invariant), await, and weak  *)
(* fairness of each process ("fair process"), under which no process       *)
(* starves.                                                                *)
(***************************************************************************)
EXTENDS Naturals

(* --algorithm Peterson {
  variables flag = [i \in {0, 1} |-> FALSE], turn = 0;
  define {
    Other(i) == 1 - i
    \* Never both in the critical section.
    MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")
  }
  fair process (proc \in {0, 1}) {
    a0: while (TRUE) {
      a1: flag[self] := TRUE;
      a2: turn := Other(self);
      a3: await ~flag[Other(self)] \/ turn = self;
      cs: skip;
      a4: flag[self] := FALSE;
    }
  }
} *)
\* BEGIN TRANSLATION (chksum(pcal) = "ff6f1f36" /\ chksum(tla) = "d6f7b1e6")
VARIABLES pc, flag, turn

(* define statement *)
Other(i) == 1 - i

MutualExclusion == ~(pc[0] = "cs" /\ pc[1] = "cs")


vars == << pc, flag, turn >>

ProcSet == ({0, 1})

Init == (* Global variables *)
        /\ flag = [i \in {0, 1} |-> FALSE]
        /\ turn = 0
        /\ pc = [self \in ProcSet |-> "a0"]

a0(self) == /\ pc[self] = "a0"
            /\ pc' = [pc EXCEPT ![self] = "a1"]
            /\ UNCHANGED << flag, turn >>

a1(self) == /\ pc[self] = "a1"
            /\ flag' = [flag EXCEPT ![self] = TRUE]
            /\ pc' = [pc EXCEPT ![self] = "a2"]
            /\ turn' = turn

a2(self) == /\ pc[self] = "a2"
            /\ turn' = Other(self)
            /\ pc' = [pc EXCEPT ![self] = "a3"]
            /\ flag' = flag

a3(self) == /\ pc[self] = "a3"
            /\ ~flag[Other(self)] \/ turn = self
            /\ pc' = [pc EXCEPT ![self] = "cs"]
            /\ UNCHANGED << flag, turn >>

cs(self) == /\ pc[self] = "cs"
            /\ TRUE
            /\ pc' = [pc EXCEPT ![self] = "a4"]
            /\ UNCHANGED << flag, turn >>

a4(self) == /\ pc[self] = "a4"
            /\ flag' = [flag EXCEPT ![self] = FALSE]
            /\ pc' = [pc EXCEPT ![self] = "a0"]
            /\ turn' = turn

proc(self) == a0(self) \/ a1(self) \/ a2(self) \/ a3(self) \/ cs(self)
                 \/ a4(self)

Next == (\E self \in {0, 1}: proc(self))

Spec == /\ Init /\ [][Next]_vars
        /\ \A self \in {0, 1} : WF_vars(proc(self))

\* END TRANSLATION 

\* A process that asks to enter eventually enters.
NoStarvation == \A i \in {0, 1} : (pc[i] = "a1") ~> (pc[i] = "cs")
=============================================================================
