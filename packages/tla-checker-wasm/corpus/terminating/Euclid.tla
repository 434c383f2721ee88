------------------------------ MODULE Euclid ------------------------------
(* Euclid's algorithm by subtraction, from every pair of starting values.   *)
(* Each run stops when the numbers are equal: without CHECK_DEADLOCK FALSE   *)
(* TLC would report that as a deadlock.                                      *)
EXTENDS Integers

CONSTANT N

Divides(d, n) == \E k \in 0..n : n = d * k
GCD(a, b) == CHOOSE d \in 1..N : /\ Divides(d, a) /\ Divides(d, b)
                                 /\ \A e \in 1..N : Divides(e, a) /\ Divides(e, b) => e <= d

VARIABLES x, y, a0, b0

Init == /\ a0 \in 1..N /\ b0 \in 1..N
        /\ x = a0 /\ y = b0

Next == \/ x > y /\ x' = x - y /\ UNCHANGED <<y, a0, b0>>
        \/ y > x /\ y' = y - x /\ UNCHANGED <<x, a0, b0>>

Done == x = y

\* The gcd is preserved by every step, and is the result at the end.
GCDPreserved == GCD(x, y) = GCD(a0, b0)
ResultOK == Done => x = GCD(a0, b0)
=============================================================================
