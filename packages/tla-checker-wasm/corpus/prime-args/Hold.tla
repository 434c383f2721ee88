--------------------------------- MODULE Hold ----------------------------------
(* A wait that leaves the instantiating module's variables alone: `vars` is a
   VARIABLE here, substituted by a definition that is a tuple of variables. *)
EXTENDS Naturals

VARIABLES vars, waits

\* Wait once more, changing nothing else.
Wait == waits < 2 /\ UNCHANGED vars /\ waits' = waits + 1
================================================================================
