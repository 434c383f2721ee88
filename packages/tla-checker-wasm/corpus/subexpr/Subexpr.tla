--------------------------- MODULE Subexpr ---------------------------
\* Subexpression references, as SANY names the parts of a definition: `Op!n` is the n-th
\* conjunct, disjunct or operand, `Op(a)!n` binds Op's parameters, `!<<`/`!>>` the operands of
\* an infix operator, `!:` the body; they nest (`TypeOK(5)!3!1`).
EXTENDS Ring

Init == token = 0 /\ hops = 0

TokenInRange == TypeOK(5)!1
HopsBounded  == TypeOK(5)!2
Either       == TypeOK(5)!3!1 \/ TypeOK(5)!3!2
Body         == TypeOK(5)!:

Limit == hops <= 3
LimitHops == Limit!<< < 4 /\ Limit!>> = 3

OnlyPass == Next!1
HopsSmall == TypeOK(2)!2

Spec == Init /\ [][Next]_<<token, hops>>
Constr == hops < 5
=============================================================================
