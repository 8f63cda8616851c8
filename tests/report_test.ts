/**
 * Text, JSON and JUnit rendering of verification reports, on the example
 * fixture. Assertions target stable content: verdicts, amounts, codes and
 * numbers, not whole-output snapshots.
 */

import assert from "node:assert/strict";
import {
  parseKeysFile,
  type ProofReport,
  type PublicationReport,
  renderJson,
  renderJunit,
  renderMarkdown,
  renderProofText,
  renderPublicationText,
  verifyProof,
  verifyPublication,
} from "../mod.ts";
import { buildPublication, parseSigningKey } from "../publish.ts";
import { envelopeToJson } from "../src/format/dsse.ts";
import { formatRate, formatRatio, terminalSafe } from "../src/report/report.ts";
import { count, everyAccount, findingMessage, fraction } from "../src/report/format.ts";

const EXAMPLE = new URL("../fixtures/example/", import.meta.url);
const EXAMPLE_DIGEST = "ba7715f34a6c2c0a35a3b7eeeb1601b71ca16c46660939c75e2e7294d754400a";
const encoder = new TextEncoder();

/** Proof files of the example fixture, by account. */
const PROOF_FILES: Record<string, string> = {
  alice: "ea09c13cf91dcfd205b273c3988412d265ef3a5a2175bad81f80c88084248f85.json", // +1 unit
  frank: "141b69b12d4753cd63a73eb62ce1d3ddcfd4d994fda3aeeafa60f5e9d8dae0ff.json", // +1 unit
  carol: "0d4ff3b8bf826b4e2c74152dbd93fe3335240b80b5ac35bf09c92d3fa2146a79.json", // rounded down
  dave: "3ebef0896dbb61fcacf90ef8153715729eac0d89f9c246f8f299b0255c725d38.json", // base 0
};

function read(name: string): string {
  return Deno.readTextFileSync(new URL(name, EXAMPLE));
}

const envelope = read("statement.dsse.json");
const leaves = read("leaves.csv");
const keys = parseKeysFile(read("keys.json"));

function verifyExample(leavesText = leaves): Promise<PublicationReport> {
  return verifyPublication({ envelope, leaves: encoder.encode(leavesText) }, keys);
}

function proofReport(account: string, edit?: (proof: Record<string, unknown>) => void): ProofReport {
  const proof = JSON.parse(read(`proofs/${PROOF_FILES[account]}`));
  edit?.(proof);
  return verifyProof({ proof: JSON.stringify(proof), envelope }, keys);
}

/** The example leaves with frank's row (leaf 1) repeated as leaf 2. */
function duplicatedLeaves(): string {
  const rows = leaves.split("\n");
  rows.splice(3, 0, rows[2]);
  return rows.join("\n");
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}

/** Lines of the text that list a finding: two-space indent, then an error code. */
function findingLines(text: string): string[] {
  return text.split("\n").filter((l) => /^\s+(?:[-*•]\s*)?[A-Z][A-Z_]{4,}\b/.test(l));
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
    return { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }[e]!;
  });
}

function assertXmlText(text: string, where: string): void {
  assert.ok(!text.includes("<"), `raw < in ${where}: ${text}`);
  assert.ok(!/&(?!(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);)/.test(text), `raw & in ${where}: ${text}`);
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text), `control character in ${where}`);
}

/**
 * A small well-formedness check: the XML declaration, then properly nested
 * tags with quoted, escaped attributes and escaped text, under one root.
 * Returns every element in document order.
 */
function parseXml(xml: string): XmlElement[] {
  const decl = '<?xml version="1.0" encoding="UTF-8"?>';
  assert.ok(xml.startsWith(decl), "XML declaration first");
  const body = xml.slice(decl.length);
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"]*")*)\s*(\/?)>/y;
  const stack: XmlElement[] = [];
  const all: XmlElement[] = [];
  let roots = 0;
  let pos = 0;
  for (;;) {
    const lt = body.indexOf("<", pos);
    const text = lt === -1 ? body.slice(pos) : body.slice(pos, lt);
    assertXmlText(text, "text");
    if (stack.length > 0) stack[stack.length - 1].text += decodeXml(text);
    else assert.equal(text.trim(), "", "no text outside the root element");
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    assert.ok(m, `malformed tag at ${lt}: ${body.slice(lt, lt + 60)}`);
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      assert.equal(attrText, "");
      assert.equal(stack.pop()?.name, name, `mismatched </${name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
        assert.ok(!(a[1] in attrs), `duplicate attribute ${a[1]}`);
        assertXmlText(a[2], `attribute ${a[1]}`);
        attrs[a[1]] = decodeXml(a[2]);
      }
      const el: XmlElement = { name, attrs, text: "" };
      if (stack.length === 0) roots++;
      all.push(el);
      if (!selfClose) stack.push(el);
    }
    pos = tag.lastIndex;
  }
  assert.equal(stack.length, 0, "every element is closed");
  assert.equal(roots, 1, "one root element");
  return all;
}

// ---------------------------------------------------------------------------
// formatRatio and formatRate

Deno.test("formatRate: exact percentages drop trailing zeros; truncated ones end in …", () => {
  assert.equal(formatRate(1300000n, 11205005n), "11.60195…%");
  assert.equal(formatRate(80000n, 1156790n), "6.91568…%"); // 6.915689...: truncated, not rounded
  assert.equal(formatRate(1n, 4n), "25%");
  assert.equal(formatRate(1n, 8n), "12.5%");
  assert.equal(formatRate(10n, 10n), "100%");
  assert.equal(formatRate(1000n, 1n), "100000%");
  assert.equal(formatRate(0n, 5n), "0%");
  assert.equal(formatRate(0n, 0n), "0%");
  assert.equal(formatRate(1n, 3n), "33.33333…%");
  assert.equal(formatRate(2n, 3n, 2), "66.66…%");
  assert.equal(formatRate(1n, 3n, 1), "33.3…%");
  assert.equal(formatRate(1n, 400000n), "0.00025%");
  assert.equal(formatRate(1n, 10000000n), "0.00001%");
  assert.equal(formatRate(1n, 10000001n), "0.00000…%");
});

Deno.test("formatRate: with 0 digits there is no decimal point", () => {
  assert.equal(formatRate(1n, 4n, 0), "25%");
  assert.equal(formatRate(1n, 3n, 0), "33…%");
});

Deno.test("formatRatio: exact values in the asset's units", () => {
  assert.equal(formatRatio(2n, 3n, { decimals: 2, digits: 4 }), "0.006666…");
  assert.equal(formatRatio(1n, 1n, { decimals: 2, digits: 6 }), "0.01");
  assert.equal(formatRatio(3n, 2n, { decimals: 0, digits: 2 }), "1.5");
  assert.equal(formatRatio(4n, 2n, { decimals: 0, digits: 2 }), "2");
  assert.equal(formatRatio(1n, 8n, { decimals: 0, digits: 3 }), "0.125");
  assert.equal(formatRatio(1n, 8n, { decimals: 0, digits: 2 }), "0.12…");
  assert.equal(formatRatio(0n, 7n, { decimals: 2, digits: 4 }), "0.00");
  assert.equal(formatRatio(123456789n, 1n, { decimals: 2, digits: 3 }), "1,234,567.89");
  assert.equal(formatRatio(100n, 1n, { decimals: 2, digits: 3 }), "1.00", "the asset's own decimals are kept");
  // alice's exact share in the example: 1300000 * 750000 / 11205005 minor units.
  assert.equal(formatRatio(1300000n * 750000n, 11205005n, { decimals: 2, digits: 6 }), "870.14686740…");
  // The golden example: carol's share 80000 * 123456 / 1156790.
  assert.equal(formatRatio(80000n * 123456n, 1156790n, { decimals: 2, digits: 6 }), "85.37833141…");
});

// ---------------------------------------------------------------------------
// Publication text

Deno.test("renderPublicationText: the example fixture is VALID with amounts in USDT", async () => {
  const r = await verifyExample();
  const text = renderPublicationText(r);
  assert.ok(firstLine(text).startsWith("VALID"), firstLine(text));
  assert.ok(firstLine(text).includes("Example Exchange"));
  assert.ok(firstLine(text).includes("2026-11-03/ETH-PERP"));
  assert.ok(firstLine(text).includes("8 leaves"));
  assert.ok(!text.includes("NOT VALID"));
  assert.ok(text.includes(EXAMPLE_DIGEST));
  for (const amount of ["25,000.00 USDT", "12,000.00 USDT", "13,000.00 USDT", "112,050.05 USDT", "0.00 USDT"]) {
    assert.ok(text.includes(amount), `missing ${amount}`);
  }
  assert.match(text, /Rate.*11\.60195…%/);
  assert.match(text, /8 read, 6 charged/);
  assert.match(text, /\n {2}Rounding {16}largest-remainder, 3 minor units \(0\.03 USDT\) distributed\n/);
  assert.equal(text.match(/trusted, valid/g)?.length, 2);
  assert.deepEqual(findingLines(text), []);
  for (const c of r.checks) assert.ok(text.includes(c.name), `check ${c.name} is listed`);
  assert.ok(!/\d\.\d{3,}\s*USDT/.test(text.replace(/…/g, "")), "no raw minor-unit floats");
});

Deno.test("renderPublicationText: a tampered publication is NOT VALID and lists the codes with leaf indices", async () => {
  const r = await verifyExample(duplicatedLeaves());
  assert.equal(r.ok, false);
  const text = renderPublicationText(r);
  assert.ok(firstLine(text).startsWith("NOT VALID"), firstLine(text));
  assert.ok(firstLine(text).includes(`${r.errorCount}`));
  const lines = findingLines(text);
  const order = lines.find((l) => l.includes("LEAF_ORDER"));
  assert.ok(order, text);
  assert.ok(order.includes("leaf 2") || order.includes("line 4"), order);
  assert.ok(lines.some((l) => l.includes("LEAF_COUNT_MISMATCH") && l.includes("9") && l.includes("8")), text);
  assert.match(text, /fail\W+leaf order/i);

  const limited = renderPublicationText(r, { maxErrors: 1 });
  assert.equal(findingLines(limited).length, 1);
  assert.ok(limited.includes(`${r.errorCount}`));
});

Deno.test("renderPublicationText: an untrusted signer is reported without a statement", async () => {
  const other = parseKeysFile(
    JSON.stringify({ keys: [JSON.parse(read("keys.json")).keys[0]], threshold: 1 }),
  );
  const env = JSON.parse(envelope);
  env.signatures = [env.signatures[1]]; // only the auditor, who is not in `other`
  const r = await verifyPublication({ envelope: JSON.stringify(env), leaves: encoder.encode(leaves) }, other);
  const text = renderPublicationText(r);
  assert.ok(firstLine(text).startsWith("NOT VALID"));
  assert.ok(text.includes("SIGNATURE_THRESHOLD"));
  assert.ok(text.includes("db49e2f39070bfd9"), "the unknown signer's keyid is shown");
  assert.ok(!text.includes("13,000.00 USDT"), "figures of an untrusted statement are not shown");
});

// ---------------------------------------------------------------------------
// Proof text

Deno.test("renderProofText: alice got a rounding unit, explained with her own numbers", () => {
  const r = proofReport("alice");
  assert.equal(r.ok, true);
  const text = renderProofText(r, {
    files: { proof: "alice.json", statement: "statement.dsse.json", keys: "keys.json" },
  });
  const first = firstLine(text);
  assert.equal(
    first,
    'VALID: account "alice" is in the statement the venue signed, and its charge of 870.15 USDT is exactly the share ' +
      "the published rule gives.",
  );
  assert.ok(text.includes(EXAMPLE_DIGEST));
  assert.match(text, /\n {2}Shortfall {15}13,000\.00 USDT +what the fund did not cover\n/);
  assert.match(text, /\n {2}Insurance used {10}12,000\.00 USDT +the fund pays first\n/);
  assert.match(text, /\n {2}Rate {20}11\.60195…% +target ÷ total base: /);
  assert.match(text, /\n {2}Your base {15}7,500\.00 USDT +your profit at the snapshot/);
  assert.match(text, /\n {2}Charged {17}870\.15 USDT +you paid 11\.6% of your profit at the snapshot\n/);
  assert.match(text, /\n {2}Exact share {13}870\.14686740… USDT +target × your base ÷ total base; /);
  assert.ok(text.includes("in minor units of 0.01 USDT: 87014 + 1538986/2241001"), "the share in minor units");
  assert.ok(text.includes("position 8 of the 8 accounts in the tree (leaf index 7)"));
  assert.match(
    text,
    /\n {2}Allowed charges {9}870\.14 or 870\.15 USDT +your exact share rounded down, or 0\.01 USDT more\n/,
  );
  assert.match(text, /\n {2}Rounding {16}rounding added 0\.01 USDT +to your share rounded down, 870\.14 USDT: /);
  assert.ok(
    text.includes(
      "  - check that your base, 7,500.00 USDT, is your profit on 2026-11-03 at 08:00 UTC: haircut cannot know it\n",
    ),
  );
  assert.ok(text.includes("  - the statement is signed by enough of the keys in keys.json\n"));
  assert.ok(!text.includes("Keep as evidence"), "nothing to keep after VALID");
  assert.deepEqual(findingLines(text), []);
});

Deno.test("renderProofText: accounts without a rounding unit are not told they got one", () => {
  const frank = renderProofText(proofReport("frank"));
  assert.ok(frank.includes("rounding added 0.01 USDT"), "frank got one too");
  assert.ok(frank.includes("11,601.96 USDT"));

  const carol = renderProofText(proofReport("carol"));
  assert.ok(firstLine(carol).startsWith("VALID"));
  assert.ok(firstLine(carol).includes("143.23 USDT"));
  assert.ok(carol.includes("1,234.56 USDT"));
  assert.ok(carol.includes("14323 + 702677/2241001"));
  assert.match(carol, /\n {2}Rounding {16}rounded down by 0\.00313554… USDT +the largest remainder rule gave /);
  assert.ok(!carol.includes("rounding added"));

  const dave = renderProofText(proofReport("dave"));
  assert.ok(firstLine(dave).startsWith("VALID"));
  assert.ok(firstLine(dave).includes("0.00 USDT"));
  assert.match(dave, /\n {2}Charged {17}0\.00 USDT +your base is zero, so nothing is taken\n/);
  assert.ok(dave.includes("in minor units of 0.01 USDT: exactly 0\n"));
  assert.match(dave, /\n {2}Rounding {16}none +your share is a whole number of minor units\n/);
});

Deno.test("renderProofText: a tampered proof is NOT VALID in plain words, its code in the list below", () => {
  const r = proofReport("alice", (p) => {
    p.haircut = "87014";
  });
  const text = renderProofText(r);
  assert.ok(firstLine(text).startsWith("NOT VALID: your account with the figures in the proof is not in the tree"));
  assert.deepEqual(findingLines(text).map((l) => l.trim().split(" ")[0]), ["PROOF_ROOT_MISMATCH"]);
  assert.ok(text.includes("\nError codes, for the venue or an auditor (1 of 1 shown):\n"));
  assert.ok(!text.includes("rounding added"));
  assert.ok(!text.includes("Exact share"), "no share is explained for figures outside the signed tree");
  assert.match(text, /fail\W+inclusion/i);
});

// ---------------------------------------------------------------------------
// JSON

Deno.test("renderJson: a publication report keeps exact integer strings and the digest", async () => {
  const r = await verifyExample();
  const json = JSON.parse(renderJson(r));
  assert.equal(json.ok, true);
  assert.equal(json.kind, "publication");
  assert.equal(json.statement.digest, EXAMPLE_DIGEST);
  assert.equal(json.statement.venue, "Example Exchange");
  assert.equal(json.statement.event, "2026-11-03/ETH-PERP");
  assert.equal(json.statement.asset, "USDT");
  assert.equal(json.statement.decimals, 2);
  assert.equal(json.statement.deficit, "2500000");
  assert.equal(json.statement.insuranceFund, "1200000");
  assert.equal(json.statement.insuranceUsed, "1200000");
  assert.equal(json.statement.shortfall, "1300000");
  assert.equal(json.statement.target, "1300000");
  assert.equal(json.statement.uncovered, "0");
  assert.equal(json.statement.tree.root, "ba33aacffef59302a49fe592c5c9f968d459780c15310ea1ce6728e77d49dd17");
  assert.equal(json.statement.tree.leafCount, 8);
  assert.equal(json.statement.tree.totalBase, "11205005");
  assert.equal(json.summary.leaves, 8);
  assert.equal(json.summary.charged, 6);
  assert.equal(json.summary.totalBase, "11205005");
  assert.equal(json.summary.collected, "1300000");
  assert.equal(json.summary.roundingUnits, 3);
  assert.deepEqual(json.errors, []);
  assert.equal(json.errorCount, 0);
  assert.ok(!renderJson(r).includes("13,000"), "no human formatting in machine output");
});

Deno.test("renderJson: a tampered publication lists every finding with code, message and leaf", async () => {
  const r = await verifyExample(duplicatedLeaves());
  const json = JSON.parse(renderJson(r));
  assert.equal(json.ok, false);
  assert.equal(json.errorCount, r.errorCount);
  assert.deepEqual(json.errors, r.errors);
  const order = json.errors.find((e: { code: string }) => e.code === "LEAF_ORDER");
  assert.equal(order.leaf, 2);
  assert.equal(typeof order.message, "string");
  assert.equal(json.statement.digest, EXAMPLE_DIGEST);
});

Deno.test("renderJson: amounts above 2^53 stay exact", async () => {
  const big = 2n ** 100n + 1n;
  const venue = parseSigningKey(read("input/venue.key.json"));
  const pub = buildPublication(
    {
      accounts: [{ account: "whale", base: big }, { account: "minnow", base: 3n }],
      event: {
        venue: "Big Exchange",
        event: "big",
        asset: "WEI",
        decimals: 18,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: { base: "profit", rounding: "largest-remainder", cap: null },
        deficit: 2n ** 99n,
        insuranceFund: 0n,
        previous: null,
      },
    },
    [venue],
    { saltSecret: encoder.encode("big-salt-secret-0123") },
  );
  const r = await verifyPublication(
    { envelope: envelopeToJson(pub.envelope), leaves: encoder.encode(pub.leavesCsv) },
    parseKeysFile(pub.keysJson),
  );
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  const json = JSON.parse(renderJson(r));
  assert.equal(json.summary.totalBase, `${big + 3n}`);
  assert.equal(json.summary.collected, `${2n ** 99n}`);
  assert.equal(json.statement.target, "633825300114114700748351602688");
  const text = renderPublicationText(r);
  assert.ok(text.includes("633,825,300,114.114700748351602688 WEI"), text);
});

Deno.test("renderJson: a proof report carries the trader's exact numbers", () => {
  const json = JSON.parse(renderJson(proofReport("alice")));
  assert.equal(json.ok, true);
  assert.equal(json.kind, "proof");
  assert.equal(json.statement.digest, EXAMPLE_DIGEST);
  assert.equal(json.summary.account, "alice");
  assert.equal(json.summary.index, 7);
  assert.equal(json.summary.base, "750000");
  assert.equal(json.summary.haircut, "87015");
  assert.equal(json.summary.q, "87014");
  assert.equal(json.summary.r, "7694930");
  assert.equal(json.summary.roundedUp, true);
  assert.deepEqual(json.errors, []);

  const carol = JSON.parse(renderJson(proofReport("carol")));
  assert.equal(carol.summary.roundedUp, false);
  assert.equal(carol.summary.haircut, "14323");

  const bad = JSON.parse(renderJson(proofReport("carol", (p) => {
    p.statement = "00".repeat(32);
  })));
  assert.equal(bad.ok, false);
  assert.deepEqual(bad.errors.map((e: { code: string }) => e.code), ["STATEMENT_DIGEST_MISMATCH"]);
  assert.ok(bad.errors[0].message.includes("00".repeat(32)));
});

// ---------------------------------------------------------------------------
// JUnit

Deno.test("renderJunit: well-formed XML with one passing testcase per check", async () => {
  const r = await verifyExample();
  const xml = renderJunit(r);
  const elements = parseXml(xml);
  const cases = elements.filter((e) => e.name === "testcase");
  assert.equal(cases.length, r.checks.length);
  assert.equal(cases.length, 12);
  assert.deepEqual(cases.map((c) => c.attrs.name), r.checks.map((c) => c.name));
  assert.equal(elements.filter((e) => e.name === "failure").length, 0);
  assert.equal(elements.filter((e) => e.name === "skipped").length, 0);
  const suite = elements.find((e) => e.name === "testsuite");
  assert.ok(suite);
  assert.equal(suite.attrs.tests, "12");
  assert.equal(suite.attrs.failures, "0");
  assert.ok(suite.attrs.name.includes("Example Exchange"));
  assert.equal(elements[0].name, "testsuites");
});

Deno.test("renderJunit: a tampered input gives a <failure> with the code and message", async () => {
  const r = await verifyExample(duplicatedLeaves());
  const elements = parseXml(renderJunit(r));
  const failed = r.checks.filter((c) => c.status === "fail");
  assert.ok(failed.length >= 3, JSON.stringify(r.checks));
  const failures = elements.filter((e) => e.name === "failure");
  assert.equal(failures.length, failed.length);
  const suite = elements.find((e) => e.name === "testsuite")!;
  assert.equal(suite.attrs.failures, `${failed.length}`);
  const order = failures.find((f) => f.attrs.type === "LEAF_ORDER");
  assert.ok(order, JSON.stringify(failures));
  assert.ok(order.text.includes("LEAF_ORDER"));
  assert.ok(order.attrs.message.includes("line 4") || order.attrs.message.includes("leaf 2"));
  const count = failures.find((f) => f.attrs.type === "LEAF_COUNT_MISMATCH");
  assert.ok(count);
  assert.ok(count.text.includes("9") && count.text.includes("8"), count.text);
  // Checks not reached are skipped, not passed.
  const sigFail = await verifyPublication(
    { envelope: envelope.replace(/"sig": "[A-Za-z0-9+/]/, '"sig": "A'), leaves: encoder.encode(leaves) },
    keys,
  );
  const sigElements = parseXml(renderJunit(sigFail));
  assert.ok(sigElements.filter((e) => e.name === "skipped").length >= 5);
  assert.ok(sigElements.some((e) => e.name === "failure" && e.attrs.type?.startsWith("SIGNATURE_")));
});

Deno.test("renderJunit: markup in venue names and messages is escaped", async () => {
  const venueKey = parseSigningKey(read("input/venue.key.json"));
  const venue = `Tom & Jerry's <Exchange> "X"`;
  const pub = buildPublication(
    {
      accounts: [{ account: "a", base: 10n }, { account: "b", base: 5n }],
      event: {
        venue,
        event: "<script>&amp;",
        asset: "USDT",
        decimals: 2,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: { base: "profit", rounding: "largest-remainder", cap: null },
        deficit: 7n,
        insuranceFund: 0n,
        previous: null,
      },
    },
    [venueKey],
    { saltSecret: encoder.encode("xml-salt-secret-0123") },
  );
  const pubKeys = parseKeysFile(pub.keysJson);
  const env = envelopeToJson(pub.envelope);
  const ok = await verifyPublication({ envelope: env, leaves: encoder.encode(pub.leavesCsv) }, pubKeys);
  assert.equal(ok.ok, true, JSON.stringify(ok.errors));
  const xml = renderJunit(ok);
  assert.ok(!xml.includes("<Exchange>"));
  assert.ok(!xml.includes("<script>"));
  const suite = parseXml(xml).find((e) => e.name === "testsuite")!;
  assert.ok(suite.attrs.name.includes(venue), suite.attrs.name);
  assert.ok(suite.attrs.name.includes("<script>&amp;"), suite.attrs.name);

  // A predecessor the statement does not name gives a failure in the chain testcase.
  const bad = await verifyPublication(
    { envelope: env, leaves: encoder.encode(pub.leavesCsv) },
    pubKeys,
    { previous: envelope },
  );
  const failure = parseXml(renderJunit(bad)).find((e) => e.name === "failure");
  assert.ok(failure);
  assert.equal(failure.attrs.type, "CHAIN_BROKEN");

  const proof = verifyProof({ proof: pub.proofs[0].json, envelope: env }, pubKeys);
  assert.equal(proof.ok, true);
  const proofXml = parseXml(renderJunit(proof));
  assert.equal(proofXml.filter((e) => e.name === "testcase").length, proof.checks.length);
});

Deno.test("terminalSafe: control characters and bidi overrides are escaped, LF is kept", () => {
  assert.equal(
    terminalSafe("a\u001b[2Kb\u009b\u202e\u2066\u007f\nz"),
    "a\\u{1b}[2Kb\\u{9b}\\u{202e}\\u{2066}\\u{7f}\nz",
  );
  assert.equal(terminalSafe("Example Exchange · 1,234.56 USDT"), "Example Exchange · 1,234.56 USDT");
});

Deno.test("a proof whose account id carries terminal escapes is PROOF_INVALID and never printed raw", async () => {
  const proofs = [...Deno.readDirSync(new URL("proofs/", EXAMPLE))];
  const proof = JSON.parse(await Deno.readTextFile(new URL(`proofs/${proofs[0].name}`, EXAMPLE)));
  proof.account = "alice\u001b[1A\u001b[2K\rVALID: everything is fine";
  const report = verifyProof({
    proof: JSON.stringify(proof),
    envelope: await Deno.readTextFile(new URL("statement.dsse.json", EXAMPLE)),
  }, parseKeysFile(await Deno.readTextFile(new URL("keys.json", EXAMPLE))));
  assert.equal(report.ok, false);
  assert.deepEqual(report.errors.map((e) => e.code), ["PROOF_INVALID"]);
  assert.match(report.errors[0].message, /account id must not contain control characters/);
  for (const text of [renderProofText(report), renderMarkdown(report)]) {
    assert.ok(!text.includes("\u001b"), "no raw ESC byte");
    assert.match(text, /^(NOT VALID|## ❌)/);
  }
});

Deno.test("markdown: verdict, coverage chart, figures, checks and errors for a step summary", async () => {
  const keys = parseKeysFile(await Deno.readTextFile(new URL("keys.json", EXAMPLE)));
  const envelope = await Deno.readTextFile(new URL("statement.dsse.json", EXAMPLE));
  const leaves = await Deno.readFile(new URL("leaves.csv", EXAMPLE));
  const ok = renderMarkdown(await verifyPublication({ envelope, leaves }, keys));
  assert.match(ok, /^## ✅ haircut publication: VALID\n/);
  assert.match(ok, /\| Deficit \| 25,000\.00 USDT \|/);
  assert.match(ok, /\| Rate \(T ÷ P\) \| 11\.60195…% \|/);
  // The chart: insurance 12,000 of 25,000 (48%), socialized 13,000 (52%), nothing uncovered.
  assert.match(
    ok,
    /```text\nInsurance fund {2}█{19}▏ +12,000\.00 USDT {2}48%\nSocialized {6}█{20}▊ +13,000\.00 USDT {2}52%\n/,
  );
  assert.match(ok, /Uncovered +0\.00 USDT {2}0%\n```/);
  assert.match(ok, /8 accounts read, 6 charged; largest-remainder rounding distributed 3 minor units \(0\.03 USDT\)\./);
  assert.match(ok, /\| root \| ✅ pass \|/);
  const text = new TextDecoder().decode(leaves).replace(/,87015\n/, ",87016\n");
  const bad = renderMarkdown(
    await verifyPublication({ envelope, leaves: new TextEncoder().encode(text) }, keys),
    { maxErrors: 1 },
  );
  assert.match(bad, /^## ❌ haircut publication: NOT VALID\n/);
  assert.match(bad, /⚠️ The leaves add up to base 112,050\.05 USDT and haircut 13,000\.01 USDT/);
  assert.match(bad, /### Errors \(1 of \d+ shown\)\n\n- `HAIRCUT_MISMATCH` leaf 7: /);
  assert.match(bad, /\| allocation \| ❌ fail \|/);
});

Deno.test("renderJson: a proof report gains an explanation with exact strings; the other fields are unchanged", () => {
  const json = JSON.parse(renderJson(proofReport("alice")));
  assert.deepEqual(Object.keys(json), [
    "ok",
    "kind",
    "statement",
    "signers",
    "checks",
    "explanation",
    "summary",
    "errors",
    "errorCount",
  ]);
  const e = json.explanation;
  assert.deepEqual(e.reason, { code: "valid" });
  assert.deepEqual(e.charge.exact, { q: "87014", r: "7694930", den: "11205005" });
  assert.deepEqual(e.charge.allowed, { min: "87014", max: "87015" });
  assert.equal(e.charge.roundingAdded, "1");
  assert.equal(e.waterfall.deficit, "2500000");
  assert.equal(e.rate.totalBase, "11205005");
  assert.deepEqual(e.guarantees.holds, ["signed", "arithmetic", "in-tree", "exact-share"]);
  assert.match(e.headline, /^VALID: account "alice"/);
  assert.equal(e.checks, undefined, "checks are not repeated");

  const over = JSON.parse(renderJson(proofReport("carol", (p) => {
    p.statement = "00".repeat(32);
  })));
  assert.equal(over.explanation.reason.code, "other-statement");
  assert.equal(over.explanation.charge, undefined);
});

Deno.test("markdown: a proof report shows the same words as the text, in tables", () => {
  const md = renderMarkdown(proofReport("alice"));
  assert.match(md, /^## ✅ haircut proof: VALID\n\nVALID: account "alice" is in the statement the venue signed/);
  assert.match(md, /\n\| Charged \| 870\.15 USDT \| you paid 11\.6% of your profit at the snapshot \|\n/);
  assert.match(md, /\n\| Rounding \| rounding added 0\.01 USDT \| to your share rounded down, 870\.14 USDT: /);
  assert.match(md, /\n### What it does not prove\n\n- check that your base, 7,500\.00 USDT, is your profit on /);
  const bad = renderMarkdown(proofReport("alice", (p) => void (p.statement = "00".repeat(32))));
  assert.match(bad, /^## ❌ haircut proof: NOT VALID\n\nNOT VALID: this proof belongs to another statement: /);
  assert.ok(!bad.includes("Your charge"));
  assert.match(bad, /\n### Keep as evidence\n/);
});

// ---------------------------------------------------------------------------
// Sums that differ from the signed totals, problem counts, JUnit skips

/** The example leaves with leaf 0's base or haircut moved by `delta` minor units. */
function editedLeaf0(column: "base" | "haircut", delta: bigint): string {
  const rows = leaves.split("\n");
  const [key, base, haircut] = rows[1].split(",");
  rows[1] = column === "base"
    ? `${key},${BigInt(base) + delta},${haircut}`
    : `${key},${base},${BigInt(haircut) + delta}`;
  return rows.join("\n");
}

Deno.test("renderPublicationText and markdown: leaf sums that differ from the signed totals are shown, either one", async () => {
  const valid = await verifyExample();
  assert.ok(!renderPublicationText(valid).includes("Leaves add up to"));
  assert.ok(!renderMarkdown(valid).includes("The leaves add up to"));

  const base = await verifyExample(editedLeaf0("base", 1n));
  assert.deepEqual(base.errors.map((e) => e.code), ["TOTAL_MISMATCH", "ROOT_MISMATCH"]);
  const text = renderPublicationText(base);
  assert.equal(firstLine(text), "NOT VALID: 2 problems found.");
  assert.ok(
    text.includes(
      "\n  Leaves add up to        base 112,050.06 USDT, haircut 13,000.00 USDT (differs from the signed totals)\n",
    ),
    text,
  );
  assert.ok(
    renderMarkdown(base).includes(
      "\n⚠️ The leaves add up to base 112,050.06 USDT and haircut 13,000.00 USDT, not the signed totals above.\n",
    ),
  );

  const haircut = await verifyExample(editedLeaf0("haircut", -1n));
  assert.equal(firstLine(renderPublicationText(haircut)), "NOT VALID: 3 problems found.");
  assert.ok(
    renderPublicationText(haircut).includes(
      "\n  Leaves add up to        base 112,050.05 USDT, haircut 12,999.99 USDT (differs from the signed totals)\n",
    ),
  );
  assert.ok(
    renderMarkdown(haircut).includes("⚠️ The leaves add up to base 112,050.05 USDT and haircut 12,999.99 USDT"),
  );
});

Deno.test("renderPublicationText and renderJunit: one problem, and the checks it skipped", async () => {
  const other = parseKeysFile(JSON.stringify({ keys: [JSON.parse(read("keys.json")).keys[0]], threshold: 1 }));
  const env = JSON.parse(envelope);
  env.signatures = [env.signatures[1]];
  const r = await verifyPublication({ envelope: JSON.stringify(env), leaves: encoder.encode(leaves) }, other);
  assert.equal(r.errorCount, 1);
  assert.equal(firstLine(renderPublicationText(r)), "NOT VALID: 1 problem found.");
  const markdown = renderMarkdown(r);
  assert.equal(firstLine(markdown), "## ❌ haircut publication: NOT VALID");
  assert.ok(!markdown.includes("accounts read"), "no summary without a trusted statement");
  const xml = renderJunit(r);
  assert.ok(
    xml.includes(`<testsuite name="haircut publication" tests="12" failures="1" skipped="10">`),
    xml.split("\n").slice(0, 3).join("\n"),
  );
  assert.equal(xml.split(`<skipped message="not reached: an earlier check failed"/>`).length - 1, 10);
});

Deno.test("renderJunit: a failure body names each finding's leaf", async () => {
  const xml = renderJunit(await verifyExample(duplicatedLeaves()));
  assert.ok(
    xml.includes(
      ">LEAF_ORDER [leaf 2]: line 4: account key repeats the previous one (duplicate account)</failure>",
    ),
    xml,
  );
  const untouched = renderJunit(await verifyExample(editedLeaf0("base", 1n)));
  assert.ok(
    untouched.includes(">TOTAL_MISMATCH: the bases add up to 11205006, the statement says totalBase 11205005<"),
  );
});

Deno.test("terminalSafe: invisible format characters are escaped, so alice\\u200b never passes for alice", () => {
  assert.equal(
    terminalSafe("alice\u200b \u200c\u200d\u2060\ufeff\u00ad\u{e0041}\u2028"),
    "alice\\u{200b} \\u{200c}\\u{200d}\\u{2060}\\u{feff}\\u{ad}\\u{e0041}\\u{2028}",
  );
  // Ordinary text, and the Arabic number sign that prints as a visible sign, stay as they are.
  assert.equal(terminalSafe("Zoë 😀 \u0600١٢ · 中文\n"), "Zoë 😀 \u0600١٢ · 中文\n");
});

Deno.test("report words: fractions in lowest terms, plurals, and no leaf named twice", async () => {
  assert.equal(fraction(700000n, 1000000n), "7/10");
  assert.equal(fraction(0n, 5n), "0");
  assert.equal(fraction(7694930n, 11205005n), "1538986/2241001");
  assert.equal(count(1, "minor unit"), "1 minor unit");
  assert.equal(count(3n, "minor unit"), "3 minor units");
  assert.deepEqual([0, 1, 2, 3].map(everyAccount), [
    "no account",
    "the only account",
    "both accounts",
    "all 3 accounts",
  ]);
  assert.equal(
    findingMessage({ code: "HAIRCUT_MISMATCH", leaf: 7, message: "leaf 7: haircut 1 on base 2" }),
    "haircut 1 on base 2",
  );

  const venue = parseSigningKey(read("input/venue.key.json"));
  const pub = buildPublication(
    {
      accounts: [{ account: "a", base: 1000n }, { account: "b", base: 3000n }],
      event: {
        venue: "Two Exchange",
        event: "two",
        asset: "USDT",
        decimals: 2,
        snapshotTime: "2026-11-03T08:00:00Z",
        policy: { base: "profit", rounding: "largest-remainder", cap: { num: 700000n, den: 1000000n } },
        deficit: 1001n,
        insuranceFund: 0n,
        previous: null,
      },
    },
    [venue],
    { saltSecret: encoder.encode("two-salt-secret-0123") },
  );
  const env = envelopeToJson(pub.envelope);
  const pubKeys = parseKeysFile(pub.keysJson);
  const r = await verifyPublication({ envelope: env, leaves: encoder.encode(pub.leavesCsv) }, pubKeys);
  const text = renderPublicationText(r);
  assert.match(text, /\n {2}Cap {21}7\/10 of each base\n/);
  assert.match(text, /\n {2}Target to collect \(T\) {3}10\.01 USDT\n/);
  assert.match(text, /\n {2}Total base \(P\) {10}40\.00 USDT \(profit of 2 accounts\)\n/);
  assert.match(text, /\n {2}Rate \(T ÷ P\) {12}25\.025%\n/);
  assert.match(text, /\n {2}Rounding {16}largest-remainder, 1 minor unit \(0\.01 USDT\) distributed\n/);
  const md = renderMarkdown(r);
  assert.match(md, /\n\| Cap \| 7\/10 of each base \|\n\| Target to collect \(T\) \| 10\.01 USDT \|\n/);
  assert.match(
    md,
    /\n2 accounts read, 2 charged; largest-remainder rounding distributed 1 minor unit \(0\.01 USDT\)\.\n/,
  );
  const proof = renderProofText(verifyProof({ proof: pub.proofs[0].json, envelope: env }, pubKeys));
  assert.match(proof, /\n {2}Cap {21}7\/10 of each base \(70%\) /);
  assert.match(proof, / the profit of both accounts at the snapshot\n/);

  const bad = renderPublicationText(await verifyExample(leaves.replace(/,87015\n/, ",87016\n")));
  const line = bad.split("\n").find((l) => l.startsWith("  HAIRCUT_MISMATCH"));
  assert.equal(
    line,
    "  HAIRCUT_MISMATCH [leaf 7]: haircut 87016 on base 750000, but largest-remainder allows 87014 or 87015 " +
      "(T*base/P = 87014 remainder 7694930/11205005)",
  );
});
