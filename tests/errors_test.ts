import assert from "node:assert/strict";
import { ERROR_CODES, FormatError, InputError } from "../src/core/errors.ts";

Deno.test("ERROR_CODES: the SPEC §12 codes are all present, never renamed, and unique", () => {
  const design = [
    "SIGNATURE_INVALID",
    "SIGNATURE_THRESHOLD",
    "PAYLOAD_TYPE",
    "NON_CANONICAL",
    "STATEMENT_INVALID",
    "ARITHMETIC",
    "LEAF_INVALID",
    "LEAF_ORDER",
    "LEAF_COUNT_MISMATCH",
    "ROOT_MISMATCH",
    "TOTAL_MISMATCH",
    "HAIRCUT_EXCEEDS_BASE",
    "HAIRCUT_MISMATCH",
    "ROUNDING_ORDER",
    "PROOF_INVALID",
    "PROOF_ROOT_MISMATCH",
    "STATEMENT_DIGEST_MISMATCH",
    "CHAIN_BROKEN",
  ];
  for (const code of design) assert.ok((ERROR_CODES as readonly string[]).includes(code), code);
  assert.deepEqual(ERROR_CODES.slice(0, design.length), design);
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
});

Deno.test("FormatError carries its finding, with the leaf only when given; InputError is separate", () => {
  const withLeaf = new FormatError("LEAF_ORDER", "line 4: account key repeats", 2);
  assert.deepEqual(withLeaf.finding, { code: "LEAF_ORDER", message: "line 4: account key repeats", leaf: 2 });
  assert.equal(withLeaf.name, "FormatError");
  const without = new FormatError("ARITHMETIC", "shortfall 1 != 2");
  assert.equal("leaf" in without.finding, false);
  const input = new InputError("keys file: threshold must be an integer from 1 to 2");
  assert.equal(input.name, "InputError");
  assert.ok(!(input instanceof FormatError));
});
