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

export * from "./src/rules/allocation.ts";
export * from "./src/rules/rate.ts";
export * from "./src/rules/compare.ts";
export * from "./src/verify/chain.ts";
export * from "./src/format/_der.ts";
export * from "./src/core/amount.ts";
export * from "./src/core/encoding.ts";
export * from "./src/format/dsse.ts";
export * from "./src/format/keys.ts";
export * from "./src/format/signature.ts";
export * from "./src/core/errors.ts";
export * from "./src/core/_json.ts";
export * from "./src/format/leaves.ts";
export * from "./src/format/proof.ts";
export * from "./src/publish/build.ts";
export * from "./src/publish/event.ts";
export * from "./src/publish/directory.ts";
export * from "./src/report/explain.ts";
export * from "./src/report/report.ts";
export * from "./src/report/compare.ts";
export * from "./src/format/statement.ts";
export * from "./src/core/sum_tree.ts";
export * from "./src/core/tree.ts";
export type { CheckResult, CheckStatus } from "./src/verify/_statement.ts";
export * from "./src/verify/proof.ts";
export * from "./src/verify/publication.ts";
export * from "./src/verify/compare.ts";
