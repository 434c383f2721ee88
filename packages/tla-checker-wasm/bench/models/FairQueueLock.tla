---- MODULE FairQueueLock ----
\* A FIFO queue lock for N processes, each counting (mod M) how often it was served. Liveness
\* bench: every waiting process eventually enters, under weak fairness of Enter and Exit.
EXTENDS Naturals, Sequences
CONSTANTS N, M
VARIABLES pc, queue, served
vars == <<pc, queue, served>>
Procs == 1..N
Init == /\ pc = [p \in Procs |-> "idle"]
        /\ queue = <<>>
        /\ served = [p \in Procs |-> 0]
Try(p) == /\ pc[p] = "idle"
          /\ pc' = [pc EXCEPT ![p] = "wait"]
          /\ queue' = Append(queue, p)
          /\ UNCHANGED served
Enter(p) == /\ pc[p] = "wait"
            /\ queue # <<>>
            /\ Head(queue) = p
            /\ pc' = [pc EXCEPT ![p] = "cs"]
            /\ served' = [served EXCEPT ![p] = (@ + 1) % M]
            /\ UNCHANGED queue
Exit(p) == /\ pc[p] = "cs"
           /\ pc' = [pc EXCEPT ![p] = "idle"]
           /\ queue' = Tail(queue)
           /\ UNCHANGED served
Next == \E p \in Procs : Try(p) \/ Enter(p) \/ Exit(p)
Spec == Init /\ [][Next]_vars /\ \A p \in Procs : WF_vars(Enter(p)) /\ WF_vars(Exit(p))
MutualExclusion == \A p, q \in Procs : (pc[p] = "cs" /\ pc[q] = "cs") => p = q
NoStarvation == \A p \in Procs : pc[p] = "wait" ~> pc[p] = "cs"
====
