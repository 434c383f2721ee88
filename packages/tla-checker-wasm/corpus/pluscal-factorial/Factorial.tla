------------------------------ MODULE Factorial ------------------------------
(***************************************************************************)
(* Procedures: a recursive one with a local variable (the stack holds its  *)
(* frames), a call followed by return, a call followed by goto, a macro,   *)
(* and a parameter without a default (defaultInitValue).                   *)
(***************************************************************************)
EXTENDS Naturals, Sequences, TLC

(* --algorithm Factorial
variables result = 0, log = << >>;
macro Log(v) begin log := Append(log, v) end macro;
procedure Fact(n = 0)
variable depth = 1;
begin
  f1: if n <= 1 then
        result := 1;
        return;
      else
        call Fact(n - 1);
      end if;
  f2: result := n * result;
      return;
end procedure;
procedure Twice(k)
begin
  t1: Log(k);
      call Fact(k);
      return;
end procedure;
begin
  m1: call Twice(3);
  m2: Log(result);
      call Fact(2);
      goto m3;
  m3: assert result = 2 /\ log = << 3, 6 >>;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "f1aea66e" /\ chksum(tla) = "195969c4")
CONSTANT defaultInitValue
VARIABLES pc, result, log, stack, n, depth, k

vars == << pc, result, log, stack, n, depth, k >>

Init == (* Global variables *)
        /\ result = 0
        /\ log = << >>
        (* Procedure Fact *)
        /\ n = 0
        /\ depth = 1
        (* Procedure Twice *)
        /\ k = defaultInitValue
        /\ stack = << >>
        /\ pc = "m1"

f1 == /\ pc = "f1"
      /\ IF n <= 1
            THEN /\ result' = 1
                 /\ pc' = Head(stack).pc
                 /\ depth' = Head(stack).depth
                 /\ n' = Head(stack).n
                 /\ stack' = Tail(stack)
            ELSE /\ /\ n' = n - 1
                    /\ stack' = << [ procedure |->  "Fact",
                                     pc        |->  "f2",
                                     depth     |->  depth,
                                     n         |->  n ] >>
                                 \o stack
                 /\ depth' = 1
                 /\ pc' = "f1"
                 /\ UNCHANGED result
      /\ UNCHANGED << log, k >>

f2 == /\ pc = "f2"
      /\ result' = n * result
      /\ pc' = Head(stack).pc
      /\ depth' = Head(stack).depth
      /\ n' = Head(stack).n
      /\ stack' = Tail(stack)
      /\ UNCHANGED << log, k >>

Fact == f1 \/ f2

t1 == /\ pc = "t1"
      /\ log' = Append(log, k)
      /\ /\ n' = k
         /\ stack' = << [ procedure |->  "Fact",
                          pc        |->  Head(stack).pc,
                          depth     |->  depth,
                          n         |->  n ] >>
                      \o Tail(stack)
      /\ depth' = 1
      /\ pc' = "f1"
      /\ UNCHANGED << result, k >>

Twice == t1

m1 == /\ pc = "m1"
      /\ /\ k' = 3
         /\ stack' = << [ procedure |->  "Twice",
                          pc        |->  "m2",
                          k         |->  k ] >>
                      \o stack
      /\ pc' = "t1"
      /\ UNCHANGED << result, log, n, depth >>

m2 == /\ pc = "m2"
      /\ log' = Append(log, result)
      /\ /\ n' = 2
         /\ stack' = << [ procedure |->  "Fact",
                          pc        |->  "m3",
                          depth     |->  depth,
                          n         |->  n ] >>
                      \o stack
      /\ depth' = 1
      /\ pc' = "f1"
      /\ UNCHANGED << result, k >>

m3 == /\ pc = "m3"
      /\ Assert(result = 2 /\ log = << 3, 6 >>, 
                "Failure of assertion at line 35, column 7.")
      /\ pc' = "Done"
      /\ UNCHANGED << result, log, stack, n, depth, k >>

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == pc = "Done" /\ UNCHANGED vars

Next == Fact \/ Twice \/ m1 \/ m2 \/ m3
           \/ Terminating

Spec == Init /\ [][Next]_vars

Termination == <>(pc = "Done")

\* END TRANSLATION 

\* The stack never holds more frames than the recursion needs.
StackBound == Len(stack) <= 5
=============================================================================
