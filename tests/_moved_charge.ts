/**
 * A test publication built on the tamper corpus's base: the same statement
 * re-signed by its two trusted keys after `moved` units of one account's
 * haircut were moved to another's, with both accounts' proofs. The first is
 * then undercharged and the second overcharged, each in the signed tree.
 */

import { bytesToHex, hexToBytes } from "../src/core/encoding.ts";
import { sumHasher, sumLeaf } from "../src/core/sum_tree.ts";
import { inclusionPath, treeLevels } from "../src/core/tree.ts";
import { envelopeToJson, parseEnvelope, signEnvelope } from "../src/format/dsse.ts";
import { PROOF_TYPE } from "../src/format/proof.ts";
import { parseStatementPayload, payloadDigest, type Statement, statementBytes } from "../src/format/statement.ts";
import { fixedKey } from "../scripts/fixture_common.ts";

const BASE = new URL("../fixtures/tampered/base/", import.meta.url);

/** The keys file that trusts the re-signed statement. */
export const MOVED_KEYS: string = decodeURIComponent(new URL("keys.json", BASE).pathname);

/** The envelope JSON and the proof JSON of `from` and `to`. */
export function movedCharge(
  moves: { from: string; to: string; units: bigint },
): { envelope: string; proofs: Map<string, string> } {
  const s0 = parseStatementPayload(parseEnvelope(Deno.readTextFileSync(new URL("statement.dsse.json", BASE))).payload);
  const rows = Deno.readTextFileSync(new URL("leaves.csv", BASE)).trimEnd().split("\n").slice(1).map((line) => {
    const [key, b, h] = line.split(",");
    return { key: hexToBytes(key, 32), base: BigInt(b), haircut: BigInt(h) };
  });
  const proofs = new Map<string, { salt: string; index: number }>();
  for (const f of Deno.readDirSync(new URL("proofs/", BASE))) {
    const p = JSON.parse(Deno.readTextFileSync(new URL(`proofs/${f.name}`, BASE)));
    proofs.set(p.account, p);
  }
  rows[proofs.get(moves.from)!.index].haircut -= moves.units;
  rows[proofs.get(moves.to)!.index].haircut += moves.units;
  const levels = treeLevels(rows.map((r) => sumLeaf(r.key, r.base, r.haircut)), sumHasher);
  const root = levels[levels.length - 1][0];
  const s: Statement = { ...s0, tree: { ...s0.tree, root: root.hash } };
  const payload = statementBytes(s);
  const envelope = envelopeToJson(signEnvelope(payload, [fixedKey("venue"), fixedKey("auditor-1")]));
  const out = new Map<string, string>();
  for (const account of [moves.from, moves.to]) {
    const { salt, index } = proofs.get(account)!;
    out.set(
      account,
      JSON.stringify({
        type: PROOF_TYPE,
        statement: payloadDigest(payload),
        account,
        salt,
        index,
        base: `${rows[index].base}`,
        haircut: `${rows[index].haircut}`,
        path: inclusionPath(levels, index).map((n) => ({
          hash: bytesToHex(n.hash),
          base: `${n.base}`,
          haircut: `${n.haircut}`,
        })),
      }),
    );
  }
  return { envelope, proofs: out };
}
