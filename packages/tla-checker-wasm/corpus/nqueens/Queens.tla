------------------------------- MODULE Queens -------------------------------
(* N queens on an N x N board, three ways: as a search that places one      *)
(* queen per row (the state machine), as the set of all solutions written   *)
(* as functions (used by the invariant and by CHOOSE), and as subsets of    *)
(* the board (checked by an ASSUME on the 4 x 4 board).                     *)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANT N
ASSUME N \in 1..8

Cols == 1..N

Attacks(r1, c1, r2, c2) ==
  \/ r1 = r2
  \/ c1 = c2
  \/ r1 - r2 = c1 - c2
  \/ r1 - r2 = c2 - c1

\* q maps rows to columns; no two placed queens attack each other.
Safe(q) == \A i, j \in DOMAIN q : i < j => ~Attacks(i, q[i], j, q[j])

Solutions == {q \in [1..N -> Cols] : Safe(q)}

LexLess(p, q) == \E i \in 1..N : p[i] < q[i] /\ \A j \in 1..(i - 1) : p[j] = q[j]

\* The same puzzle as a set of occupied squares on an n x n board.
SetSolutions(n) ==
  LET Board == (1..n) \X (1..n)
  IN  {S \in SUBSET Board :
         /\ Cardinality(S) = n
         /\ \A <<r1, c1>> \in S, <<r2, c2>> \in S :
              <<r1, c1>> # <<r2, c2>> => ~Attacks(r1, c1, r2, c2)}

ASSUME Cardinality(SetSolutions(4)) = 2

VARIABLES queens, first

Init ==
  /\ queens = <<>>
  /\ first = CHOOSE q \in Solutions : \A p \in Solutions \ {q} : LexLess(q, p)

Place ==
  /\ Len(queens) < N
  /\ \E c \in Cols :
       /\ Safe(Append(queens, c))
       /\ queens' = Append(queens, c)
  /\ UNCHANGED first

Next == Place

\* A full board is a solution, and never smaller than the first one.
Sound == Len(queens) = N => (queens \in Solutions /\ (queens = first \/ LexLess(first, queens)))

NotFull == Len(queens) < N
=============================================================================
