/**
 * The venue's side of haircut: build, sign and write a publication.
 *
 * {@linkcode buildPublication} computes everything in memory;
 * {@linkcode publishToDirectory} streams the same bytes to a directory for
 * millions of accounts. Signing keys are generated, read and written here,
 * and signatures added to a statement: a co-signer's ({@linkcode cosignEnvelope})
 * or one made by an HSM or a cloud KMS ({@linkcode decodeSignature},
 * {@linkcode addSignature}). The verifier's side is in the package's main
 * entry point.
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
export {
  generateSigningKey,
  keysFileJson,
  parsePublicKey,
  parseSigningKey,
  publicKeyJson,
  signingKeyJson,
} from "./src/format/keys.ts";
export type { SigningKey } from "./src/format/keys.ts";
export { addSignature, cosignEnvelope, signEnvelope } from "./src/format/dsse.ts";

// Signatures made elsewhere (an HSM, a cloud KMS, OpenSSL): their encodings, DER and high S.
export { decodeSignature } from "./src/format/external_signature.ts";
export type { DecodedSignature, SignatureEncoding } from "./src/format/external_signature.ts";
