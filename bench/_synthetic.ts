/**
 * The synthetic publications the benchmarks (and the browser tests)
 * verify: N accounts with deterministic bases, published with the library's
 * own streaming publisher and signed by a fixed Ed25519 test key.
 *
 * @module
 */

import { parseEventFile, publishToDirectory } from "../publish.ts";
import { signingKeyFromSecret } from "../src/format/keys.ts";

/** A deterministic xorshift32 stream. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return function next(): number {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** `accounts.csv` for `n` synthetic accounts, in chunks: ids acct0.., bases below 10^9, about 1 in 16 zero. */
export async function* syntheticAccounts(n: number): AsyncGenerator<Uint8Array> {
  const random = xorshift(20261103);
  const encoder = new TextEncoder();
  let text = "account,base\n";
  for (let i = 0; i < n; i++) {
    const r = random();
    text += `acct${i},${(r & 15) === 0 ? 0 : r % 1_000_000_000}\n`;
    if (text.length > 1 << 20) {
      yield encoder.encode(text);
      text = "";
    }
  }
  yield encoder.encode(text);
}

/** The synthetic event of `n` accounts. */
export function eventJson(n: number): string {
  return JSON.stringify({
    venue: "Bench Exchange",
    event: `bench/${n}`,
    asset: "USDT",
    decimals: 2,
    snapshotTime: "2026-11-03T08:00:00Z",
    policy: { base: "profit", rounding: "largest-remainder", cap: null },
    deficit: `${BigInt(n) * 40_000_000n}`,
    insuranceFund: `${BigInt(n) * 10_000_000n}`,
  });
}

/**
 * Generates the publication of `n` accounts into `dir` unless it is there
 * already: statement.dsse.json, keys.json, leaves.csv and `proof.json`, the
 * proof of the account in the middle of the tree.
 */
export async function ensurePublication(n: number, dir: string): Promise<void> {
  try {
    await Deno.stat(`${dir}/proof.json`);
    return;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  console.log(`generating a publication of ${n} leaves in ${dir} ...`);
  const tmp = `${dir}.tmp`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  const event = parseEventFile(eventJson(n));
  const signer = signingKeyFromSecret("ed25519", new Uint8Array(32).fill(1));
  const middle = Math.floor(n / 2);
  const started = performance.now();
  const published = await publishToDirectory({ accounts: syntheticAccounts(n), event, out: tmp }, [signer], {
    proofs: "ndjson",
    proofFor: (index) => index === middle,
    saltSecret: new TextEncoder().encode("bench-salt-secret-do-not-use"),
  });
  const line = (await Deno.readTextFile(`${tmp}/proofs.ndjson`)).trimEnd();
  await Deno.writeTextFile(`${tmp}/proof.json`, line + "\n");
  await Deno.remove(`${tmp}/proofs.ndjson`);
  await Deno.rename(tmp, dir);
  const seconds = (performance.now() - started) / 1000;
  console.log(`  generated ${published.accounts} leaves in ${seconds.toFixed(1)} s, digest ${published.digest}`);
}
