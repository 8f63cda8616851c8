import assert from "node:assert/strict";
import { FindingCollector } from "../src/verify/_findings.ts";

Deno.test("FindingCollector: keeps the first limit findings in order, counts all, and records every code", () => {
  const c = new FindingCollector(2);
  c.add({ code: "LEAF_ORDER", message: "a", leaf: 1 });
  c.addAll([{ code: "ROOT_MISMATCH", message: "b" }, { code: "TOTAL_MISMATCH", message: "c" }]);
  c.add({ code: "LEAF_ORDER", message: "d" });
  assert.deepEqual(c.kept.map((f) => f.message), ["a", "b"]);
  assert.equal(c.count, 4);
  assert.deepEqual([...c.codes].sort(), ["LEAF_ORDER", "ROOT_MISMATCH", "TOTAL_MISMATCH"]);
  const none = new FindingCollector(0);
  none.add({ code: "LEAF_ORDER", message: "x" });
  assert.deepEqual(none.kept, []);
  assert.equal(none.count, 1);
  assert.ok(none.codes.has("LEAF_ORDER"));
});
