------------------------------ MODULE Channel -------------------------------
(***************************************************************************)
(* A sender that may lose messages, and two receivers: single processes    *)
(* and a process set, either/or, with (both \in and =), goto (also to      *)
(* Done), a process variable, and skip.  A receiver can wait forever for a *)
(* message that was lost or taken by the other one: the model deadlocks.   *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANT Msgs

(* --algorithm Channel
variables chan = << >>, got = {};
process Sender = "sender"
variable toSend = Msgs;
begin
  s1: while toSend # {} do
        with m \in toSend do
          either chan := Append(chan, m);
          or     skip;  \* the message is lost
          end either;
          toSend := toSend \ {m};
        end with;
      end while;
end process;
process Receiver \in {"r1", "r2"}
variable last = "none";
begin
  r1: await chan # << >>;
      with m = Head(chan) do
        got := got \cup {m};
        last := m;
      end with;
      chan := Tail(chan);
  r2: if got = Msgs then goto Done else goto r1 end if;
end process;
end algorithm *)
\* BEGIN TRANSLATION (chksum(pcal) = "1858bf1b" /\ chksum(tla) = "afc931a5")
VARIABLES pc, chan, got, toSend, last

vars == << pc, chan, got, toSend, last >>

ProcSet == {"sender"} \cup ({"r1", "r2"})

Init == (* Global variables *)
        /\ chan = << >>
        /\ got = {}
        (* Process Sender *)
        /\ toSend = Msgs
        (* Process Receiver *)
        /\ last = [self \in {"r1", "r2"} |-> "none"]
        /\ pc = [self \in ProcSet |-> CASE self = "sender" -> "s1"
                                        [] self \in {"r1", "r2"} -> "r1"]

s1 == /\ pc["sender"] = "s1"
      /\ IF toSend # {}
            THEN /\ \E m \in toSend:
                      /\ \/ /\ chan' = Append(chan, m)
                         \/ /\ TRUE
                            /\ chan' = chan
                      /\ toSend' = toSend \ {m}
                 /\ pc' = [pc EXCEPT !["sender"] = "s1"]
            ELSE /\ pc' = [pc EXCEPT !["sender"] = "Done"]
                 /\ UNCHANGED << chan, toSend >>
      /\ UNCHANGED << got, last >>

Sender == s1

r1(self) == /\ pc[self] = "r1"
            /\ chan # << >>
            /\ LET m == Head(chan) IN
                 /\ got' = (got \cup {m})
                 /\ last' = [last EXCEPT ![self] = m]
            /\ chan' = Tail(chan)
            /\ pc' = [pc EXCEPT ![self] = "r2"]
            /\ UNCHANGED toSend

r2(self) == /\ pc[self] = "r2"
            /\ IF got = Msgs
                  THEN /\ pc' = [pc EXCEPT ![self] = "Done"]
                  ELSE /\ pc' = [pc EXCEPT ![self] = "r1"]
            /\ UNCHANGED << chan, got, toSend, last >>

Receiver(self) == r1(self) \/ r2(self)

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == Sender
           \/ (\E self \in {"r1", "r2"}: Receiver(self))
           \/ Terminating

Spec == Init /\ [][Next]_vars

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION 

\* What was received was sent.
Received == got \subseteq Msgs
=============================================================================
