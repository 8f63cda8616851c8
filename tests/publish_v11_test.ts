/**
 * `haircut publish` under format v1.1: rate policies (exact and automatic)
 * and `--bankrupt` (bankrupt.csv and deficit proofs, as files or ndjson),
 * and what it refuses to sign.
 */

import assert from "node:assert/strict";
import { runCli } from "../src/cli/main.ts";
import { fixedKeyJson } from "../scripts/fixture_common.ts";

const enc = new TextEncoder();

async function inputs(dir: string, event: Record<string, unknown>, bankrupt?: string): Promise<string[]> {
  await Deno.writeTextFile(`${dir}/accounts.csv`, "account,base\nalice,750000\nbob,250001\ncarol,123456\ndave,0\n");
  await Deno.writeTextFile(`${dir}/event.json`, JSON.stringify(event));
  await Deno.writeTextFile(`${dir}/venue.key.json`, fixedKeyJson("venue"));
  await Deno.writeFile(`${dir}/salt-secret`, enc.encode("publish v1.1 test salt secret"));
  const args = ["--accounts", `${dir}/accounts.csv`, "--event", `${dir}/event.json`];
  if (bankrupt !== undefined) {
    await Deno.writeTextFile(`${dir}/bankrupt.csv`, bankrupt);
    args.push("--bankrupt", `${dir}/bankrupt.csv`);
  }
  return [...args, "--signing-key", `${dir}/venue.key.json`, "--salt-secret", `${dir}/salt-secret`];
}

const EVENT = {
  venue: "Example Exchange",
  event: "2026-11-03/ETH-PERP",
  asset: "USDT",
  decimals: 2,
  snapshotTime: "2026-11-03T08:00:00Z",
  policy: { base: "profit", rounding: "rate-floor", cap: null, rate: { decimals: 4 } },
  insuranceFund: "120000",
};

Deno.test("publish v1.1: an automatic rate and a deficit tree, as proof files and as ndjson, verify", async () => {
  for (const mode of ["files", "ndjson"]) {
    const dir = await Deno.makeTempDir({ prefix: "haircut-publish-v11-" });
    try {
      const args = await inputs(dir, EVENT, "account,loss\nmallory,150000\noscar,50000\n");
      const r = await runCli(["publish", ...args, "--proofs", mode, "--out", `${dir}/out`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\n {2}rate 712\/10000 \(rate-floor\)\n/);
      assert.match(r.stdout, /\n {2}deficit tree: 2 bankrupt accounts, losses 200000 = deficit\n/);
      const bankrupt = await Deno.readTextFile(`${dir}/out/bankrupt.csv`);
      assert.equal(bankrupt.split("\n")[0], "account_key,loss");
      assert.equal(bankrupt.split("\n").length, 4);
      const v = await runCli(["verify", `${dir}/out`, "--keys", `${dir}/out/keys.json`, "--format", "json"]);
      assert.equal(v.code, 0, v.stdout);
      const s = JSON.parse(v.stdout).statement;
      assert.deepEqual(s.policy.rate, { den: "10000", num: "712" });
      assert.equal(s.deficit, "200000");
      if (mode === "ndjson") {
        const lines = (await Deno.readTextFile(`${dir}/out/proofs.ndjson`)).split("\n").filter((l) => l);
        assert.deepEqual(lines.map((l) => JSON.parse(l).type).sort(), [
          ...Array(2).fill("socialized-loss/deficit-proof/v1"),
          ...Array(4).fill("socialized-loss/proof/v1"),
        ]);
      } else {
        const names = [...Deno.readDirSync(`${dir}/out/proofs`)].map((e) => e.name);
        assert.equal(names.filter((n) => n.startsWith("deficit-")).length, 2);
        for (const name of names) {
          const p = await runCli([
            "proof",
            `${dir}/out/proofs/${name}`,
            "--statement",
            `${dir}/out/statement.dsse.json`,
            "--keys",
            `${dir}/out/keys.json`,
          ]);
          assert.equal(p.code, 0, `${name}: ${p.stdout}`);
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("publish v1.1: refuses what verify would reject, naming the problem", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haircut-publish-v11-" });
  try {
    const refused = async (event: Record<string, unknown>, bankrupt?: string): Promise<string> => {
      const out = `${dir}/out-${crypto.randomUUID()}`;
      const r = await runCli(["publish", ...(await inputs(dir, event, bankrupt)), "--out", out]);
      assert.equal(r.code, 2, r.stdout);
      return r.stderr;
    };
    // An exact rate rounded up that collects more than the target: the excess in money.
    assert.match(
      await refused({
        ...EVENT,
        deficit: "200000",
        policy: { ...EVENT.policy, rounding: "rate-ceil", rate: { num: "7121", den: "100000" } },
      }),
      /rate-ceil at 7121\/100000 collected 800\.03 USDT, 0\.03 USDT more than the target 800\.00 USDT/,
    );
    assert.match(
      await refused({
        ...EVENT,
        deficit: "200000",
        policy: { ...EVENT.policy, cap: { num: "1", den: "20" }, rate: { num: "6", den: "100" } },
      }),
      /the rate 6\/100 exceeds the cap 1\/20/,
    );
    assert.match(await refused(EVENT), /deficit is required unless the bankrupt accounts \(--bankrupt\) give it/);
    assert.match(
      await refused({ ...EVENT, deficit: "199999" }, "account,loss\nmallory,200000\n"),
      /deficit 199999 differs from the bankrupt accounts' losses, which add up to 200000/,
    );
    assert.match(
      await refused({ ...EVENT, policy: { ...EVENT.policy, rate: { decimals: 19 } } }),
      /decimals must be an integer from 0 to 18/,
    );
    assert.match(
      await refused({ ...EVENT, deficit: "1", policy: { ...EVENT.policy, rounding: "floor" } }),
      /policy.rate is allowed only with the rate roundings/,
    );
    assert.match(
      await refused({ ...EVENT, deficit: "1" }, "account,base\nmallory,5\n"),
      /header must be exactly account,loss/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
