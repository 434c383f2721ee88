--------------------------------- MODULE Grid ----------------------------------
(* Functions of one argument bound by a tuple pattern: a literal
   `[<<r, c>> \in Rows \X Cols |-> ...]`, a recursive definition
   `dist[<<r, c>> \in ...] == ...` (evaluated lazily), and a function of two
   arguments, the second a tuple pattern. A cell of the grid is switched on at
   each step. *)
EXTENDS Naturals

CONSTANT N

VARIABLE on

Cells == (1..N) \X (1..N)

\* Manhattan distance to the corner <<1, 1>>, recursively.
dist[<<r, c>> \in Cells] == IF r = 1 /\ c = 1 THEN 0
                            ELSE IF r > 1 THEN dist[<<r - 1, c>>] + 1
                            ELSE dist[<<r, c - 1>>] + 1

weight == [<<r, c>> \in Cells |-> r * c]

shifted == [k \in {0, 1}, <<r, c>> \in Cells |-> weight[<<r, c>>] + k]

Init == on = {}

\* Switch on a cell next to the corner or to a cell already on.
Switch(p) == /\ p \notin on
             /\ dist[p] = 0 \/ \E q \in on : dist[q] + 1 = dist[p]
             /\ on' = on \cup {p}

Next == \E p \in Cells : Switch(p)

\* The total weight of the cells on stays small.
Light == LET S[T \in SUBSET Cells] == IF T = {} THEN 0
                                      ELSE LET x == CHOOSE x \in T : TRUE
                                           IN shifted[1, x] - 1 + S[T \ {x}]
         IN S[on] < 12
================================================================================
