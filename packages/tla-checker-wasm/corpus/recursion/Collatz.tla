------------------------------ MODULE Collatz ------------------------------
(* Collatz trajectories from every start in 1..Max, checked against step   *)
(* counts computed by RECURSIVE operators and recursive functions.          *)
EXTENDS Naturals, FiniteSets

CONSTANT Max

Step(k) == IF k % 2 = 0 THEN k \div 2 ELSE 3 * k + 1

RECURSIVE StopTime(_)
StopTime(k) == IF k = 1 THEN 0 ELSE 1 + StopTime(Step(k))

\* Mutual recursion.
RECURSIVE IsEven(_), IsOdd(_)
IsEven(k) == IF k = 0 THEN TRUE ELSE IsOdd(k - 1)
IsOdd(k) == IF k = 0 THEN FALSE ELSE IsEven(k - 1)

\* Sum of a finite set of numbers, one CHOOSE at a time.
RECURSIVE SetSum(_)
SetSum(S) == IF S = {} THEN 0 ELSE LET x == CHOOSE y \in S : TRUE IN x + SetSum(S \ {x})

\* A recursive function: factorial, and the number of steps by recursion on
\* a bounded domain.
fact[k \in 0..10] == IF k = 0 THEN 1 ELSE k * fact[k - 1]

ASSUME /\ fact[5] = 120
       /\ SetSum(1..10) = 55
       /\ IsEven(10) /\ IsOdd(7)

VARIABLES start, n, steps

Init ==
  /\ start \in 1..Max
  /\ n = start
  /\ steps = 0

Next ==
  /\ n # 1
  /\ n' = Step(n)
  /\ steps' = steps + 1
  /\ UNCHANGED start

StepsAgree == steps + StopTime(n) = StopTime(start)
ParityAgree == IsEven(n % 16) <=> (n % 2 = 0)
=============================================================================
