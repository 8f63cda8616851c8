/**
 * Unit tests of src/rules/allocation.ts: the target, the exact share, the pro-rata
 * allocation under both rounding rules (hand-computed cases), and the
 * streaming RoundingChecker.
 */

import assert from "node:assert/strict";
import { allocate, computeTarget, type Finding, type Rounding, share } from "../mod.ts";
import { RoundingChecker, type RoundingState } from "../src/rules/allocation.ts";

const LR: { rounding: Rounding } = { rounding: "largest-remainder" };
const FLOOR: { rounding: Rounding } = { rounding: "floor" };

/** Feeds `haircuts` to a fresh checker; returns every finding from add() and finish(). */
function check(bases: readonly bigint[], haircuts: readonly bigint[], target: bigint, rounding: Rounding): Finding[] {
  const totalBase = bases.reduce((a, b) => a + b, 0n);
  const checker = new RoundingChecker({ target: target, totalBase: totalBase, rounding: rounding });
  const findings: Finding[] = [];
  bases.forEach((base, i) => {
    const f = checker.add(i, base, haircuts[i]);
    if (f) findings.push(f);
  });
  return [...findings, ...checker.finish()];
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

// ---------------------------------------------------------------- computeTarget

Deno.test("computeTarget: no cap, shortfall below the total base is socialized in full", () => {
  assert.equal(computeTarget(80000n, { totalBase: 1156790n, cap: null }), 80000n);
  assert.equal(computeTarget(0n, { totalBase: 1156790n, cap: null }), 0n);
});

Deno.test("computeTarget: no cap, shortfall above the total base is limited to the base", () => {
  assert.equal(computeTarget(2000n, { totalBase: 1500n, cap: null }), 1500n);
  assert.equal(computeTarget(1500n, { totalBase: 1500n, cap: null }), 1500n);
  assert.equal(computeTarget(5n, { totalBase: 0n, cap: null }), 0n);
});

Deno.test("computeTarget: a binding cap takes floor(totalBase * num / den)", () => {
  // 100000 * 2 / 5 = 40000 < 80000
  assert.equal(computeTarget(80000n, { totalBase: 100000n, cap: { num: 2n, den: 5n } }), 40000n);
  // 10 * 1 / 3 = 3.33.. -> 3
  assert.equal(computeTarget(100n, { totalBase: 10n, cap: { num: 1n, den: 3n } }), 3n);
  // 7 * 2 / 3 = 4.66.. -> 4 (floor, never rounded up)
  assert.equal(computeTarget(100n, { totalBase: 7n, cap: { num: 2n, den: 3n } }), 4n);
  // num = den: the whole base
  assert.equal(computeTarget(100n, { totalBase: 7n, cap: { num: 9n, den: 9n } }), 7n);
});

Deno.test("computeTarget: a cap above the shortfall does not bind", () => {
  assert.equal(computeTarget(30000n, { totalBase: 100000n, cap: { num: 2n, den: 5n } }), 30000n);
  // exactly at the limit
  assert.equal(computeTarget(40000n, { totalBase: 100000n, cap: { num: 2n, den: 5n } }), 40000n);
});

Deno.test("computeTarget: exact with amounts near 2^128", () => {
  const p = (1n << 127n) + 12345n;
  assert.equal(computeTarget(1n << 127n, { totalBase: p, cap: null }), 1n << 127n);
  assert.equal(computeTarget(p, { totalBase: p, cap: { num: 1n, den: 2n } }), p / 2n);
  assert.equal(
    computeTarget(p, { totalBase: p, cap: { num: (1n << 64n) - 1n, den: 1n << 64n } }),
    p * ((1n << 64n) - 1n) / (1n << 64n),
  );
});

// ---------------------------------------------------------------- share

Deno.test("share: quotient and remainder of T * base / P", () => {
  // 80000 * 750000 = 60,000,000,000 = 51867 * 1,156,790 + 773,070
  assert.deepEqual(share(750000n, { target: 80000n, totalBase: 1156790n }), { q: 51867n, r: 773070n });
  // 80000 * 250001 = 20,000,080,000 = 17289 * 1,156,790 + 337,690
  assert.deepEqual(share(250001n, { target: 80000n, totalBase: 1156790n }), { q: 17289n, r: 337690n });
  assert.deepEqual(share(1n, { target: 2n, totalBase: 3n }), { q: 0n, r: 2n });
  assert.deepEqual(share(2n, { target: 5n, totalBase: 10n }), { q: 1n, r: 0n });
  assert.deepEqual(share(7n, { target: 0n, totalBase: 10n }), { q: 0n, r: 0n });
  assert.deepEqual(share(0n, { target: 10n, totalBase: 10n }), { q: 0n, r: 0n });
});

Deno.test("share: P = 0 requires T = 0", () => {
  assert.deepEqual(share(0n, { target: 0n, totalBase: 0n }), { q: 0n, r: 0n });
  assert.throws(
    () => share(0n, { target: 3n, totalBase: 0n }),
    (e: unknown) => e instanceof RangeError && /target 3 /.test(e.message),
  );
});

Deno.test("share: exact for products far beyond 2^128", () => {
  const t = (1n << 100n) + 7n;
  const b = (1n << 100n) - 3n;
  const p = (1n << 101n) + 1n;
  const { q, r } = share(b, { target: t, totalBase: p });
  assert.equal(q * p + r, t * b);
  assert.ok(r >= 0n && r < p);
});

// ---------------------------------------------------------------- allocate

Deno.test("allocate: [1,1,1], T=2, largest-remainder gives [1,1,0] (ties go to the lower index)", () => {
  // q = [0,0,0], r = [2,2,2], R = 2: indices 0 and 1 get the units.
  assert.deepEqual(allocate([1n, 1n, 1n], 2n, LR), [1n, 1n, 0n]);
  assert.deepEqual(allocate([1n, 1n, 1n], 1n, LR), [1n, 0n, 0n]);
});

Deno.test("allocate: [1,1,1], T=2, floor gives [0,0,0]", () => {
  assert.deepEqual(allocate([1n, 1n, 1n], 2n, FLOOR), [0n, 0n, 0n]);
});

Deno.test("allocate: a larger remainder wins over a lower index", () => {
  // bases [1,2], T=1, P=3: shares 1/3 and 2/3, r = [1,2]: index 1 gets the unit.
  assert.deepEqual(allocate([1n, 2n], 1n, LR), [0n, 1n]);
  // bases [3,3,4], T=5, P=10: shares 1.5, 1.5, 2 -> q=[1,1,2], r=[5,5,0], R=1 -> [2,1,2]
  assert.deepEqual(allocate([3n, 3n, 4n], 5n, LR), [2n, 1n, 2n]);
  // bases [1,3,2,4], T=7, P=10: shares .7, 2.1, 1.4, 2.8 -> q=[0,2,1,2], r=[7,1,4,8], R=2 -> +1 at 3 then 0
  assert.deepEqual(allocate([1n, 3n, 2n, 4n], 7n, LR), [1n, 2n, 1n, 3n]);
  assert.deepEqual(allocate([1n, 3n, 2n, 4n], 7n, FLOOR), [0n, 2n, 1n, 2n]);
});

Deno.test("allocate: the Crypto.com-style example collects exactly the deficit", () => {
  // Six winners, a 10,000.00 USD deficit, no insurance: T = 1,000,000 cents.
  // Their profits (the bases, in cents) add up to P = 10,000,000 cents (100,000.00 USD),
  // so each exact share is base / 10 cents:
  //   base        exact share     per-account round   q        r = (T*b) mod P
  //   3,000,006   300,000.6       300,001             300,000  6,000,000
  //   2,000,006   200,000.6       200,001             200,000  6,000,000
  //   1,500,006   150,000.6       150,001             150,000  6,000,000
  //   1,000,002   100,000.2       100,000             100,000  2,000,000
  //   1,500,000   150,000.0       150,000             150,000  0
  //     999,980    99,998.0        99,998              99,998  0
  // Per-account rounding: 300,001+200,001+150,001+100,000+150,000+99,998 = 1,000,001 (10,000.01 USD).
  // Largest remainder: sum(q) = 999,998, R = 2; the three 6,000,000 remainders tie,
  // so indices 0 and 1 get +1: [300,001, 200,001, 150,000, 100,000, 150,000, 99,998] = 1,000,000.
  const bases = [3000006n, 2000006n, 1500006n, 1000002n, 1500000n, 999980n];
  const P = sum(bases);
  assert.equal(P, 10000000n);
  const T = computeTarget(1000000n, { totalBase: P, cap: null });
  assert.equal(T, 1000000n);

  const perAccountRounding = bases.map((b) => (2n * T * b + P) / (2n * P)); // round half up
  assert.deepEqual(perAccountRounding, [300001n, 200001n, 150001n, 100000n, 150000n, 99998n]);
  assert.equal(sum(perAccountRounding), 1000001n, "per-account rounding over-collects one cent");

  const lr = allocate(bases, T, LR);
  assert.deepEqual(lr, [300001n, 200001n, 150000n, 100000n, 150000n, 99998n]);
  assert.equal(sum(lr), 1000000n);
  assert.deepEqual(check(bases, lr, T, "largest-remainder"), []);

  const floor = allocate(bases, T, FLOOR);
  assert.deepEqual(floor, [300000n, 200000n, 150000n, 100000n, 150000n, 99998n]);
  assert.equal(sum(floor), 999998n);
});

Deno.test("allocate: P = 0 gives all zeros; T > 0 with P = 0 throws", () => {
  assert.deepEqual(allocate([0n, 0n, 0n], 0n, LR), [0n, 0n, 0n]);
  assert.deepEqual(allocate([0n], 0n, FLOOR), [0n]);
  assert.deepEqual(allocate([], 0n, LR), []);
  assert.throws(
    () => allocate([0n, 0n], 1n, LR),
    (e: unknown) => e instanceof RangeError && e.message.includes("1") && e.message.includes("[0, 0]"),
  );
  assert.throws(() => allocate([0n, 0n], 1n, FLOOR), RangeError);
});

Deno.test("allocate: rejects a target above the total base, a negative target or a negative base", () => {
  assert.throws(
    () => allocate([1n, 2n], 4n, LR),
    (e: unknown) => e instanceof RangeError && e.message.includes("4") && e.message.includes("[0, 3]"),
  );
  assert.throws(() => allocate([1n, 2n], -1n, LR), RangeError);
  assert.throws(
    () => allocate([1n, -2n], 0n, LR),
    (e: unknown) => e instanceof RangeError && e.message.includes("-2"),
  );
});

Deno.test("allocate: T = 0 charges nobody; T = P charges every base in full", () => {
  assert.deepEqual(allocate([5n, 0n, 9n], 0n, LR), [0n, 0n, 0n]);
  assert.deepEqual(allocate([5n, 0n, 9n], 14n, LR), [5n, 0n, 9n]);
  assert.deepEqual(allocate([5n, 0n, 9n], 14n, FLOOR), [5n, 0n, 9n]);
});

Deno.test("allocate: a zero remainder never gets +1", () => {
  // bases [5,3,2], T=5, P=10: shares 2.5, 1.5, 1 -> q=[2,1,1], r=[5,5,0], R=1 -> index 0.
  assert.deepEqual(allocate([5n, 3n, 2n], 5n, LR), [3n, 1n, 1n]);
  // exact shares: bases [2,4,4], T=5: 1, 2, 2 with r=0 everywhere, R=0.
  assert.deepEqual(allocate([2n, 4n, 4n], 5n, LR), [1n, 2n, 2n]);
  // zero bases (r = 0) at the lowest indices never take a tied unit.
  // bases [0,0,1,1,1], T=2: q=0, r=[0,0,2,2,2], R=2 -> indices 2 and 3.
  assert.deepEqual(allocate([0n, 0n, 1n, 1n, 1n], 2n, LR), [0n, 0n, 1n, 1n, 0n]);
  // an exact share at index 0 next to fractional ones: bases [4,3,3], T=5: 2, 1.5, 1.5
  // q=[2,1,1], r=[0,5,5], R=1 -> index 1 (index 0 has r = 0).
  assert.deepEqual(allocate([4n, 3n, 3n], 5n, LR), [2n, 2n, 1n]);
});

Deno.test("allocate: exact with bases near 2^100", () => {
  const big = 1n << 100n;
  // three equal huge bases, T = 2: r equal, units to indices 0 and 1.
  assert.deepEqual(allocate([big, big, big], 2n, LR), [1n, 1n, 0n]);
  // T = P - 1 over [big, big + 1]: P = 2big+1, shares (P-1)*b/P = b - b/P
  // -> q = [big - 1, big], r = [P - big, P - big - 1] = [big + 1, big], R = 1 -> index 0.
  assert.deepEqual(allocate([big, big + 1n], 2n * big, LR), [big, big]);
  assert.deepEqual(allocate([big, big + 1n], 2n * big, FLOOR), [big - 1n, big]);
});

// ---------------------------------------------------------------- RoundingChecker

Deno.test("RoundingChecker: accepts allocate()'s output and counts the rounding units", () => {
  const cases: [bigint[], bigint][] = [
    [[1n, 1n, 1n], 2n],
    [[1n, 2n], 1n],
    [[3n, 3n, 4n], 5n],
    [[1n, 3n, 2n, 4n], 7n],
    [[5n, 3n, 2n], 5n],
    [[0n, 0n, 1n, 1n, 1n], 2n],
    [[750000n, 250001n, 123456n, 0n, 33333n], 80000n],
    [[3000006n, 2000006n, 1500006n, 1000002n, 1500000n, 999980n], 1000000n],
    [[0n, 0n], 0n],
  ];
  for (const [bases, target] of cases) {
    for (const rounding of ["largest-remainder", "floor"] as const) {
      const haircuts = allocate(bases, target, { rounding });
      const P = sum(bases);
      const checker = new RoundingChecker({ target: target, totalBase: P, rounding: rounding });
      bases.forEach((b, i) => assert.equal(checker.add(i, b, haircuts[i]), undefined, `${bases} ${rounding} ${i}`));
      assert.deepEqual(checker.finish(), [], `${bases} T=${target} ${rounding}`);
      const qs = P === 0n ? 0n : sum(bases.map((b) => target * b / P));
      assert.equal(checker.roundingUnits, rounding === "floor" ? 0 : Number(target - qs));
    }
  }
});

Deno.test("RoundingChecker: refuses T > 0 with P = 0", () => {
  assert.throws(
    () => new RoundingChecker({ target: 1n, totalBase: 0n, rounding: "floor" }),
    (e: unknown) => e instanceof RangeError && /1/.test(e.message),
  );
});

Deno.test("RoundingChecker: HAIRCUT_MISMATCH for a haircut that is neither q nor q+1", () => {
  // T=2, P=3, base 1: q = 0, r = 2.
  const c = new RoundingChecker({ target: 2n, totalBase: 3n, rounding: "largest-remainder" });
  const f = c.add(0, 1n, 5n);
  assert.ok(f);
  assert.equal(f.code, "HAIRCUT_MISMATCH");
  assert.equal(f.leaf, 0);
  assert.match(f.message, /haircut 5 on base 1/);
  assert.match(f.message, /allows 0 or 1/);
  assert.match(f.message, /= 0 remainder 2\/3/);

  // below q: T=7, P=10, base 4: q = 2, r = 8.
  const c2 = new RoundingChecker({ target: 7n, totalBase: 10n, rounding: "largest-remainder" });
  const g = c2.add(3, 4n, 1n);
  assert.ok(g);
  assert.equal(g.code, "HAIRCUT_MISMATCH");
  assert.equal(g.leaf, 3);
  assert.match(g.message, /leaf 3: haircut 1 on base 4/);
  assert.match(g.message, /allows 2 or 3/);
  assert.match(g.message, /remainder 8\/10/);
});

Deno.test("RoundingChecker: HAIRCUT_MISMATCH for q+1 when r = 0", () => {
  // T=5, P=10, base 2: q = 1, r = 0 -> only 1 is allowed.
  const c = new RoundingChecker({ target: 5n, totalBase: 10n, rounding: "largest-remainder" });
  const f = c.add(2, 2n, 2n);
  assert.ok(f);
  assert.equal(f.code, "HAIRCUT_MISMATCH");
  assert.equal(f.leaf, 2);
  assert.match(f.message, /haircut 2 on base 2/);
  assert.match(f.message, /allows 1 /);
  assert.doesNotMatch(f.message, /1 or 2/);
  assert.match(f.message, /remainder 0\/10/);
});

Deno.test("RoundingChecker: HAIRCUT_MISMATCH for q+1 under floor", () => {
  // T=2, P=3, base 1: q = 0, r = 2, but floor allows only 0.
  const c = new RoundingChecker({ target: 2n, totalBase: 3n, rounding: "floor" });
  const f = c.add(1, 1n, 1n);
  assert.ok(f);
  assert.equal(f.code, "HAIRCUT_MISMATCH");
  assert.equal(f.leaf, 1);
  assert.match(f.message, /haircut 1 on base 1, but floor allows 0 /);
  assert.deepEqual(c.finish(), []);
});

Deno.test("RoundingChecker: finish() reports too few rounding units", () => {
  // bases [1,1,1], T=2: R = 2, only one +1 given.
  const findings = check([1n, 1n, 1n], [1n, 0n, 0n], 2n, "largest-remainder");
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, "HAIRCUT_MISMATCH");
  assert.equal(findings[0].leaf, undefined);
  assert.equal(findings[0].message, "1 leaves got a rounding unit, but T - sum(q) = 2 - 0 = 2");
});

Deno.test("RoundingChecker: finish() reports too many rounding units", () => {
  // bases [1,1,1], T=1: R = 1, two +1s given (each one alone is allowed).
  const findings = check([1n, 1n, 1n], [1n, 1n, 0n], 1n, "largest-remainder");
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, "HAIRCUT_MISMATCH");
  assert.equal(findings[0].message, "2 leaves got a rounding unit, but T - sum(q) = 1 - 0 = 1");
  // bases [1,3,2,4], T=7: q=[0,2,1,2], r=[7,1,4,8], sum(q) 5, R = 2; three +1s, to the three
  // largest remainders (so the order is right and only the count is wrong).
  const more = check([1n, 3n, 2n, 4n], [1n, 2n, 2n, 3n], 7n, "largest-remainder");
  assert.deepEqual(more.map((f) => f.code), ["HAIRCUT_MISMATCH"]);
  assert.match(more[0].message, /^3 leaves got a rounding unit, but T - sum\(q\) = 7 - 5 = 2$/);
});

Deno.test("RoundingChecker: ROUNDING_ORDER when a unit moves to a lower remainder (skipped leaf after)", () => {
  // bases [1,2], T=1, P=3: r = [1,2], the unit belongs to leaf 1; give it to leaf 0.
  const findings = check([1n, 2n], [1n, 0n], 1n, "largest-remainder");
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, "ROUNDING_ORDER");
  assert.equal(findings[0].leaf, 1);
  assert.equal(findings[0].message, "leaf 1 (remainder 2) got no rounding unit, but leaf 0 (remainder 1) did");
});

Deno.test("RoundingChecker: ROUNDING_ORDER when a unit moves to a lower remainder (skipped leaf before)", () => {
  // bases [1,3,2,4], T=7: r = [7,1,4,8], R = 2: units belong to 3 and 0. Move 0's unit to 2 (r=4).
  const findings = check([1n, 3n, 2n, 4n], [0n, 2n, 2n, 3n], 7n, "largest-remainder");
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, "ROUNDING_ORDER");
  assert.equal(findings[0].leaf, 0);
  assert.match(findings[0].message, /^leaf 0 \(remainder 7\) got no rounding unit, but leaf 2 \(remainder 4\) did$/);
});

Deno.test("RoundingChecker: ROUNDING_ORDER for equal remainders given to a higher index", () => {
  // bases [1,1,1], T=2: r all 2; the units must go to 0 and 1.
  const skip0 = check([1n, 1n, 1n], [0n, 1n, 1n], 2n, "largest-remainder");
  assert.equal(skip0.length, 1);
  assert.equal(skip0[0].code, "ROUNDING_ORDER");
  assert.equal(skip0[0].leaf, 0);
  assert.equal(skip0[0].message, "leaf 0 (remainder 2) got no rounding unit, but leaf 2 (remainder 2) did");

  const skip1 = check([1n, 1n, 1n], [1n, 0n, 1n], 2n, "largest-remainder");
  assert.equal(skip1.length, 1);
  assert.equal(skip1[0].code, "ROUNDING_ORDER");
  assert.equal(skip1[0].leaf, 1);
  assert.equal(skip1[0].message, "leaf 1 (remainder 2) got no rounding unit, but leaf 2 (remainder 2) did");

  // The Crypto.com-style case: the tied 6,000,000 remainders at 0,1,2 must give units to 0 and 1.
  const bases = [3000006n, 2000006n, 1500006n, 1000002n, 1500000n, 999980n];
  const wrong = [300000n, 200001n, 150001n, 100000n, 150000n, 99998n];
  const f = check(bases, wrong, 1000000n, "largest-remainder");
  assert.deepEqual(f.map((x) => [x.code, x.leaf]), [["ROUNDING_ORDER", 0]]);
  assert.match(f[0].message, /leaf 0 \(remainder 6000000\).*leaf 2 \(remainder 6000000\)/);
});

Deno.test("RoundingChecker: exhaustively, accepts exactly allocate()'s assignment among all q / q+1 choices", () => {
  // Every base vector of length 1..4 over 0..3 and every T in [0, P]: of the 2^n vectors
  // with h_i in {q_i, q_i + 1}, the checker must accept exactly the one allocate() returns.
  let checked = 0;
  for (let n = 1; n <= 4; n++) {
    for (let code = 0; code < 4 ** n; code++) {
      const bases = Array.from({ length: n }, (_, i) => BigInt(Math.floor(code / 4 ** i) % 4));
      const P = sum(bases);
      for (let T = 0n; T <= P; T++) {
        for (const rounding of ["largest-remainder", "floor"] as const) {
          const expected = allocate(bases, T, { rounding });
          const q = bases.map((b) => P === 0n ? 0n : T * b / P);
          for (let mask = 0; mask < 2 ** n; mask++) {
            const h = q.map((x, i) => x + BigInt((mask >> i) & 1));
            const accepted = check(bases, h, T, rounding).length === 0;
            assert.equal(accepted, h.every((x, i) => x === expected[i]), `${bases} T=${T} ${rounding} h=${h}`);
            checked++;
          }
        }
      }
    }
  }
  assert.ok(checked > 10000);
});

Deno.test("RoundingChecker.merge: keeps the weakest +1 and the strongest other of both slices", () => {
  const checker = (...states: RoundingState[]): RoundingState => {
    const c = new RoundingChecker({ target: 10n, totalBase: 100n, rounding: "largest-remainder" });
    for (const s of states) c.merge(s);
    return c.state();
  };
  const head: RoundingState = {
    sumQ: 3n,
    ups: 1,
    weakestUp: { index: 0, r: 30n },
    strongestOther: { index: 1, r: 20n },
  };
  // Into an empty checker: the slice's state as it is.
  assert.deepEqual(checker(head), head);
  // A later slice with neither leaf changes only the counts.
  assert.deepEqual(checker(head, { sumQ: 2n, ups: 0 }), { ...head, sumQ: 5n });
  // A weaker +1 (smaller remainder) and a stronger other (larger remainder) in the later slice replace the earlier.
  assert.deepEqual(
    checker(head, { sumQ: 1n, ups: 2, weakestUp: { index: 5, r: 10n }, strongestOther: { index: 6, r: 25n } }),
    { sumQ: 4n, ups: 3, weakestUp: { index: 5, r: 10n }, strongestOther: { index: 6, r: 25n } },
  );
  // A stronger +1 and a weaker other do not.
  assert.deepEqual(
    checker(head, { sumQ: 1n, ups: 1, weakestUp: { index: 5, r: 40n }, strongestOther: { index: 6, r: 15n } }),
    { ...head, sumQ: 4n, ups: 2 },
  );
  // Ties go by index: the later +1 ranks last (it is the weakest), the earlier other ranks first (it stays).
  assert.deepEqual(
    checker(head, { sumQ: 0n, ups: 1, weakestUp: { index: 7, r: 30n }, strongestOther: { index: 8, r: 20n } }),
    { sumQ: 3n, ups: 2, weakestUp: { index: 7, r: 30n }, strongestOther: { index: 1, r: 20n } },
  );
});
