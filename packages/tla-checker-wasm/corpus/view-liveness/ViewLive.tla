---- MODULE ViewLive ----
\* A leader's log and a follower's copy of it grow without bound; the VIEW keeps only how far the
\* follower lags and the parity of the leader's length, so the model is finite (the idiom of
\* tlaplus/Examples' MCDistributedReplicatedLog, whose VIEW drops the logs' common prefix). TLC
\* keys its liveness graph by the view as well: the temporal properties are checked on the six
\* view classes, not on the unbounded behaviours.
EXTENDS Naturals, Sequences

VARIABLES log, copy
vars == <<log, copy>>

Init == log = <<>> /\ copy = <<>>

\* The leader appends while the follower lags by less than two entries.
Lead == /\ Len(log) - Len(copy) < 2
        /\ log' = Append(log, Len(log) % 2)
        /\ UNCHANGED copy

\* The follower copies the leader's next entry.
Follow == /\ Len(copy) < Len(log)
          /\ copy' = Append(copy, log[Len(copy) + 1])
          /\ UNCHANGED log

Next == Lead \/ Follow

Spec == Init /\ [][Next]_vars /\ WF_vars(Follow)

View == <<Len(log) - Len(copy), Len(log) % 2>>

\* The copy is always a prefix of the log (checked on the representatives of the view classes).
CopyIsPrefix == copy = SubSeq(log, 1, Len(copy))

\* Holds: at a lag of two only Follow is enabled, and weak fairness makes it happen.
Drains == []<>(Len(log) - Len(copy) < 2)

\* Violated: the leader may append each time the follower copies, so the follower can lag forever.
CatchesUp == []<>(Len(copy) = Len(log))

====
