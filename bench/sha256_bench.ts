/**
 * SHA-256 of the sum tree's two message shapes, a 65-byte leaf
 * (`0x00 || key || u128 base || u128 haircut`) and a 129-byte node
 * (`0x01 || left || right`), with every implementation considered for the
 * hot path. `deno task bench`; BENCHMARKS.md records the figures and the
 * choice.
 *
 * @module
 */

import { sha256 as nobleSha256 } from "npm:@noble/hashes@2.4.0/sha2.js";
import { createHash } from "node:crypto";
import { createSHA256 } from "hash-wasm";
import { sha256Into, sha256PrefixedInto } from "../src/core/_sha256.ts";

const leaf = crypto.getRandomValues(new Uint8Array(65));
leaf[0] = 0x00;
const node = crypto.getRandomValues(new Uint8Array(129));
node[0] = 0x01;
const out = new Uint8Array(32);
const template = nobleSha256.create();
const wasm = await createSHA256();

for (const [name, message] of [["leaf 65 B", leaf], ["node 129 B", node]] as const) {
  const group = name;
  Deno.bench({ name: `${name}: @noble/hashes sha256()`, group, baseline: true }, () => {
    nobleSha256(message);
  });
  Deno.bench({ name: `${name}: @noble/hashes, one reused instance (clone + digestInto)`, group }, () => {
    template.clone().update(message).digestInto(out);
  });
  Deno.bench({ name: `${name}: hash-wasm, one reused instance (init/update/digest)`, group }, () => {
    wasm.init();
    wasm.update(message);
    wasm.digest("binary");
  });
  Deno.bench({ name: `${name}: node:crypto createHash`, group }, () => {
    createHash("sha256").update(message).digest();
  });
  Deno.bench({ name: `${name}: src/core/_sha256.ts sha256Into (generic)`, group }, () => {
    sha256Into(message, 0, message.length, out, 0);
  });
  Deno.bench({ name: `${name}: src/core/_sha256.ts sha256PrefixedInto (the hot path)`, group }, () => {
    sha256PrefixedInto(message[0], message, 1, message.length - 1, out, 0);
  });
}
