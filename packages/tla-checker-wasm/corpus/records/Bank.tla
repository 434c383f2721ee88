------------------------------- MODULE Bank -------------------------------
(* A toy bank: accounts are records inside a record, updated with nested   *)
(* EXCEPT paths; fees are chosen by CASE; totals use a recursive function  *)
(* and counts a LAMBDA passed to a higher-order operator.                   *)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS Accts, Cap

VARIABLE bank

\* How many accounts satisfy P: P is passed as a LAMBDA.
Count(P(_)) == Cardinality({a \in Accts : P(a)})

Fee(amt) ==
  CASE amt >= 3 -> 1
    [] amt = 2  -> 0
    [] OTHER    -> 0

\* The sum of all balances, by a recursive function over sets of accounts.
Total ==
  LET sum[S \in SUBSET Accts] ==
        IF S = {} THEN 0
        ELSE LET x == CHOOSE y \in S : TRUE IN bank.accounts[x].bal + sum[S \ {x}]
  IN  sum[Accts]

Init ==
  bank = [accounts |-> [a \in Accts |-> [bal |-> 1, frozen |-> FALSE, ops |-> 0]],
          fees |-> 0,
          moved |-> [p \in Accts \X Accts |-> 0]]

Transfer(from, to, amt) ==
  LET fee == Fee(amt)
      acct == bank.accounts[from]
  IN  /\ from # to
      /\ ~acct.frozen /\ ~bank.accounts[to].frozen
      /\ acct.bal >= amt + fee
      /\ bank.accounts[to].bal + amt <= Cap
      /\ bank' = [bank EXCEPT !.accounts[from].bal = @ - (amt + fee),
                              !.accounts[from].ops = IF @ < 2 THEN @ + 1 ELSE 2,
                              !.accounts[to].bal = @ + amt,
                              !.fees = @ + fee,
                              !.moved[<<from, to>>] = 1]

Freeze(a) ==
  /\ bank.accounts[a].ops > 0
  /\ bank' = [bank EXCEPT !.accounts[a] = [@ EXCEPT !.frozen = TRUE]]

Thaw(a) ==
  /\ bank.accounts[a].frozen
  /\ bank' = [bank EXCEPT !["accounts"][a]["frozen"] = FALSE, !.accounts[a].ops = 0]

Next ==
  \/ \E from, to \in Accts, amt \in 1..3 : Transfer(from, to, amt)
  \/ \E a \in Accts : Freeze(a) \/ Thaw(a)

Account == [bal : 0..Cap, frozen : BOOLEAN, ops : 0..2]

TypeOK ==
  /\ DOMAIN bank = {"accounts", "fees", "moved"}
  /\ bank.accounts \in [Accts -> Account]
  /\ bank.moved \in [Accts \X Accts -> {0, 1}]

\* Money is neither made nor lost: balances plus fees stay at the start total.
Conserved == Total + bank.fees = Cardinality(Accts)
\* Only accounts that have moved money get frozen.
FrozenHaveOps == Count(LAMBDA a : bank.accounts[a].frozen /\ bank.accounts[a].ops = 0) = 0
=============================================================================
