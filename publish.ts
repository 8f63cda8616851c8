/**
 * The venue's side of haircut: build, sign and write a publication.
 *
 * {@linkcode buildPublication} computes everything in memory;
 * {@linkcode publishToDirectory} streams the same bytes to a directory for
 * millions of accounts. Signing keys are generated, read and written here;
 * the verifier's side is in the package's main entry point.
 *
 * @module
 */

export { buildPublication, parseAccountsCsv } from "./src/publish/build.ts";
export type { AccountInput, BankruptInput, ProofFile, Publication, PublishOptions } from "./src/publish/build.ts";
export { parseEventFile } from "./src/publish/event.ts";
export type { AutomaticRatePolicy, EventPolicy, EventSpec } from "./src/publish/event.ts";
export { automaticRate } from "./src/rules/rate.ts";
export { publishToDirectory } from "./src/publish/directory.ts";
export type { ProofsMode, PublishedDirectory, PublishToDirectoryOptions } from "./src/publish/directory.ts";
export { generateSigningKey, keysFileJson, parseSigningKey, signingKeyJson } from "./src/format/keys.ts";
export type { SigningKey } from "./src/format/keys.ts";
export { signEnvelope } from "./src/format/dsse.ts";
