// CommunityModules operators TLC replaces by a Java override are evaluated natively with the
// override's meaning (src/modules/community-overrides.ts). DyadicRationals' Reduce: the override
// reduces zero to [num |-> 0, den |-> 1], where the TLA+ definition below (CommunityModules'
// own) fails on the maximum of an empty set: so these results come from the native form.
import { describe, expect, it } from "vitest";
import { formatValue } from "../../src/values/format.js";
import type { Val } from "../../src/values/value.js";
import { load } from "./helpers.js";

const DYADIC = `---- MODULE DyadicRationals ----
LOCAL INSTANCE Integers
LOCAL INSTANCE FiniteSets
LOCAL Divides(p, q) == \\E d \\in 1..q : q = p * d
LOCAL Divisors(q) == {d \\in 1..q : Divides(d, q)}
LOCAL Max(S) == CHOOSE x \\in S : \\A y \\in S : x >= y
LOCAL GCD(n, m) == Max(Divisors(n) \\cap Divisors(m))
LOCAL Rational(num, den) == [num |-> num, den |-> den]
LOCAL Reduce(p) ==
    LET gcd == GCD(p.num, p.den)
    IN  IF gcd = 1 THEN p ELSE Rational(p.num \\div gcd, p.den \\div gcd)
Zero == Rational(0, 1)
Half(p) == Reduce(Rational(p.num, p.den * 2))
Add(p, q) ==
    IF p = Zero THEN q ELSE
    LET lcn == IF p.den > q.den THEN p.den ELSE q.den
        qq == Rational(q.num * (lcn \\div q.den), q.den * (lcn \\div q.den))
        pp == Rational(p.num * (lcn \\div p.den), p.den * (lcn \\div p.den))
    IN Reduce(Rational(qq.num + pp.num, lcn))
====
`;

describe("CommunityModules' Java overrides", () => {
  it("DyadicRationals' Reduce has the override's meaning", async () => {
    const model = await load(
      `---- MODULE Dy ----
EXTENDS Naturals, DyadicRationals
VARIABLE x
Init == x = <<Add([num |-> 1, den |-> 4], [num |-> 1, den |-> 4]), Half([num |-> 0, den |-> 3]), Add([num |-> 3, den |-> 8], [num |-> 1, den |-> 8])>>
Next == UNCHANGED x
====
`,
      "INIT Init\nNEXT Next\n",
      { DyadicRationals: DYADIC },
    );
    const [s] = model.initStates({ level: 0 }).map((t) => t.state);
    expect(formatValue(s![0] as Val)).toBe("<<[num |-> 1, den |-> 2], [num |-> 0, den |-> 1], [num |-> 1, den |-> 2]>>");
  });
});
