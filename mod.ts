/**
 * haircut: verify socialized-loss haircuts on derivatives venues.
 *
 * A venue publishes a signed statement (a DSSE envelope) and a Merkle sum
 * tree over every account's haircut base and haircut. Each trader checks
 * their own proof and their exact pro-rata charge; auditors re-derive the
 * whole publication.
 *
 * @example Verify a trader's proof
 * ```ts
 * import { parseKeysFile, verifyProof } from "./mod.ts";
 *
 * const dir = "fixtures/example";
 * const keys = parseKeysFile(await Deno.readTextFile(`${dir}/keys.json`));
 * const [file] = [...Deno.readDirSync(`${dir}/proofs`)];
 * const report = verifyProof({
 *   proof: await Deno.readTextFile(`${dir}/proofs/${file.name}`),
 *   envelope: await Deno.readTextFile(`${dir}/statement.dsse.json`),
 * }, keys);
 * if (!report.ok) throw new Error(report.errors.map((e) => e.message).join("\n"));
 * console.log(`${report.proof?.account} pays ${report.proof?.haircut} minor units`);
 * ```
 *
 * @module
 */

export * from "./src/allocation.ts";
export * from "./src/chain.ts";
export * from "./src/der.ts";
export * from "./src/amount.ts";
export * from "./src/encoding.ts";
export * from "./src/envelope.ts";
export * from "./src/errors.ts";
export * from "./src/json.ts";
export * from "./src/leaves.ts";
export * from "./src/proof.ts";
export * from "./src/publish.ts";
export * from "./src/publish_stream.ts";
export * from "./src/report.ts";
export * from "./src/statement.ts";
export * from "./src/sum_tree.ts";
export * from "./src/tree.ts";
export * from "./src/verify.ts";
