--------------------------------- MODULE Flag ----------------------------------
(* Abstract: workers finish one by one; once none is busy, "done" is announced
   (weakly fair). *)
CONSTANT W

VARIABLES busy, done

vars == <<busy, done>>

Init == busy \subseteq W /\ done = FALSE

\* Worker w finishes.
Finish(w) == w \in busy /\ busy' = busy \ {w} /\ UNCHANGED done

\* Completion is announced.
Announce == busy = {} /\ ~done /\ done' = TRUE /\ UNCHANGED busy

Next == (\E w \in W : Finish(w)) \/ Announce

Spec == Init /\ [][Next]_vars /\ WF_vars(Announce)

\* Completion is eventually announced.
Live == <>done
================================================================================
