import assert from "node:assert/strict";
import { asObject, canonicalJson, type JsonValue, objectShapeProblem, parseJson } from "../src/core/_json.ts";

/** Copies a parsed value into ordinary objects, so it can be compared with `JSON.parse` output. */
function plain(value: JsonValue): unknown {
  return JSON.parse(JSON.stringify(value));
}

function nested(open: string, close: string, depth: number): string {
  return open.repeat(depth) + close.repeat(depth);
}

Deno.test("parseJson agrees with JSON.parse on valid documents", () => {
  const docs = [
    "null",
    "true",
    "false",
    "0",
    "-0.5",
    "1e3",
    "-1.25E-2",
    "123456789012345678901234567890",
    '""',
    '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\uD83D\\uDE00"',
    "[]",
    "{}",
    '{"a":[1,"x",null,true,false,-1.5e3],"b":{"c":{}}}',
    ' \t\r\n{ "a" : [ 1 , 2 ] , "b" : { } } \n',
    '{"":1,"é":2,"😀":3}',
  ];
  for (const text of docs) {
    assert.deepEqual(plain(parseJson(text)), JSON.parse(text), text);
  }
});

Deno.test("parseJson returns objects with a null prototype", () => {
  const value = parseJson('{"a":{"b":[{"c":1}]}}');
  const top = asObject(value);
  assert.equal(Object.getPrototypeOf(top), null);
  const a = asObject(top.a);
  assert.equal(Object.getPrototypeOf(a), null);
  const inner = (a.b as JsonValue[])[0];
  assert.equal(Object.getPrototypeOf(inner), null);
  assert.equal(asObject(inner).c, 1);
});

Deno.test("parseJson rejects duplicate keys, also nested and via escapes", () => {
  const docs: [string, number][] = [
    ['{"a":1,"a":2}', 7],
    ['{"a":1,"b":2,"a":3}', 13],
    ['{"x":{"a":1,"a":2}}', 12],
    ['[{"a":1,"a":1}]', 8],
    ['{"a":1,"\\u0061":2}', 7], // the same key after unescaping
    ['{"__proto__":1,"__proto__":2}', 15],
    ['{"constructor":1,"constructor":2}', 17],
    ['{"":1,"":2}', 6],
  ];
  for (const [text, offset] of docs) {
    assert.throws(
      () => parseJson(text),
      (e: Error) => e instanceof SyntaxError && e.message.includes("duplicate key") && e.message.endsWith(`${offset}`),
      text,
    );
  }
  // The same key in different objects is fine.
  assert.deepEqual(plain(parseJson('{"a":{"a":1},"b":{"a":2}}')), { a: { a: 1 }, b: { a: 2 } });
  assert.deepEqual(plain(parseJson('[{"a":1},{"a":2}]')), [{ a: 1 }, { a: 2 }]);
});

Deno.test("parseJson rejects trailing garbage", () => {
  for (const text of ["{} x", "{}{}", "1 2", "[1],", "[1]]", "null null", '"a""b"', "0 0", "{}\u0000", "1 //"]) {
    assert.throws(
      () => parseJson(text),
      (e: Error) => e instanceof SyntaxError && /offset \d+/.test(e.message),
      JSON.stringify(text),
    );
  }
  assert.throws(() => parseJson("{} x"), /unexpected text after the JSON value at offset 3/);
});

Deno.test("parseJson rejects bad escapes and raw control characters", () => {
  const docs = [
    '"\\x"',
    '"\\a"',
    '"\\0"',
    '"\\\'"',
    '"\\U0041"',
    '"\\u12"',
    '"\\u12G4"',
    '"\\u"',
    '"\\',
    '"abc',
    '"a\nb"',
    '"a\tb"',
    '"a\u0000b"',
    '"a\u001fb"',
    '{"a\\q":1}',
  ];
  for (const text of docs) {
    assert.throws(() => parseJson(text), SyntaxError, JSON.stringify(text));
  }
  // DEL and non-ASCII are allowed raw; \u escapes of control characters are allowed.
  assert.equal(parseJson('"a\u007fb"'), "a\u007fb");
  assert.equal(parseJson('"\\u0000"'), "\u0000");
});

Deno.test("parseJson rejects everything outside RFC 8259", () => {
  const docs = [
    "",
    "   ",
    "01",
    "-01",
    "00",
    "1.",
    ".5",
    "+1",
    "-",
    "1e",
    "1e+",
    "0x10",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400", // out of range
    "tru",
    "nul",
    "True",
    "undefined",
    "[1,]",
    "[,1]",
    "{,}",
    '{"a":1,}',
    '{"a" 1}',
    '{"a":}',
    "{'a':1}",
    "{a:1}",
    "'a'",
    "[",
    "{",
    '{"a":1',
    "/**/1",
    "\u00a01", // no-break space is not JSON whitespace
    "\f1",
    "\ufeff{}", // byte order mark
  ];
  for (const text of docs) {
    assert.throws(() => parseJson(text), SyntaxError, JSON.stringify(text));
  }
});

Deno.test("parseJson enforces the nesting depth limit (default 16)", () => {
  assert.deepEqual(plain(parseJson(nested("[", "]", 16))), JSON.parse(nested("[", "]", 16)));
  assert.throws(() => parseJson(nested("[", "]", 17)), /nesting deeper than 16/);
  const objects16 = '{"a":'.repeat(15) + "{}" + "}".repeat(15);
  assert.equal(typeof parseJson(objects16), "object");
  const objects17 = '{"a":'.repeat(16) + "{}" + "}".repeat(16);
  assert.throws(() => parseJson(objects17), /nesting deeper than 16/);
  // Mixed arrays and objects count together.
  assert.throws(() => parseJson('[{"a":[{"b":[1]}]}]', { maxDepth: 4 }), /nesting deeper than 4/);
  assert.equal(typeof parseJson('[{"a":[{"b":1}]}]', { maxDepth: 4 }), "object");
  assert.deepEqual(parseJson("[[1]]", { maxDepth: 2 }), [[1]]);
  assert.throws(() => parseJson("[[[1]]]", { maxDepth: 2 }), SyntaxError);
  // Scalars need no depth at all.
  assert.equal(parseJson("1", { maxDepth: 0 }), 1);
  assert.throws(() => parseJson("[]", { maxDepth: 0 }), SyntaxError);
});

Deno.test("parseJson fails cleanly (SyntaxError, no stack overflow) on very deep input", () => {
  assert.throws(() => parseJson("[".repeat(200_000)), SyntaxError);
  assert.throws(() => parseJson('{"a":'.repeat(200_000)), SyntaxError);
});

Deno.test("__proto__ and constructor keys are plain data and do not pollute Object.prototype", () => {
  const text = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted2":1}},"toString":"x"}';
  const value = asObject(parseJson(text));
  assert.equal(Object.getPrototypeOf(value), null);
  assert.deepEqual(Object.keys(value), ["__proto__", "constructor", "toString"]);
  assert.ok(Object.hasOwn(value, "__proto__"));
  assert.equal(asObject(value["__proto__"]).polluted, true);
  assert.equal(asObject(asObject(value["constructor"]).prototype).polluted2, 1);
  assert.equal(value.toString, "x");
  const probe: Record<string, unknown> = {};
  assert.equal(probe.polluted, undefined);
  assert.equal(probe.polluted2, undefined);
  assert.equal(Object.hasOwn(Object.prototype, "polluted"), false);
  assert.equal(Object.prototype.constructor, Object);
  // The value keeps the key through canonicalization.
  assert.equal(
    canonicalJson(value),
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted2":1}},"toString":"x"}',
  );
  // A key missing from the parsed object is not found on a prototype.
  assert.equal(Object.hasOwn(asObject(parseJson("{}")), "constructor"), false);
  assert.equal(asObject(parseJson("{}")).constructor, undefined);
});

Deno.test("canonicalJson sorts keys, drops whitespace and recurses", () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
  assert.equal(
    canonicalJson(parseJson(' { "z" : { "y" : 1 , "x" : [ { "b" : 2 , "a" : 3 } ] } , "a" : "" } ')),
    '{"a":"","z":{"x":[{"a":3,"b":2}],"y":1}}',
  );
  assert.equal(canonicalJson([]), "[]");
  assert.equal(canonicalJson({}), "{}");
  assert.equal(canonicalJson(null), "null");
  assert.equal(canonicalJson(false), "false");
  // Array order is kept.
  assert.equal(canonicalJson([3, 1, 2]), "[3,1,2]");
  // Integer-like keys sort as strings, not numbers.
  assert.equal(canonicalJson({ "10": 1, "9": 2, "1": 3 }), '{"1":3,"10":1,"9":2}');
});

Deno.test("canonicalJson sorts by UTF-16 code units (RFC 8785 §3.2.3), not code points", () => {
  const value: JsonValue = {
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
  };
  assert.equal(
    canonicalJson(value),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
  // The astral key (U+1F600, surrogates D83D DE00) sorts before U+FB01 by code units,
  // though by code points it would come after.
  assert.equal(canonicalJson({ "\ufb01": 1, "\u{1f600}": 2 }), '{"\u{1f600}":2,"\ufb01":1}');
  assert.equal(canonicalJson({ "\uffff": 1, "\u{10000}": 2, "\ud7ff": 3 }), '{"\ud7ff":3,"\u{10000}":2,"\uffff":1}');
});

Deno.test("canonicalJson reproduces the RFC 8785 §3.2.2 sample", () => {
  const input = String.raw`{
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  }`;
  const expected = String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],` +
    String.raw`"string":"€$\u000f\nA'B\"\\\\\"/"}`;
  assert.equal(canonicalJson(parseJson(input)), expected);
});

Deno.test("canonicalJson escapes strings exactly as JSON.stringify does", () => {
  const s = '\u0000\u0001\b\t\n\u000b\f\r\u001f "\\/\u007f\u0080é€😀\u2028\u2029';
  assert.equal(
    canonicalJson(s),
    '"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\"\\\\/\u007f\u0080é€😀\u2028\u2029"',
  );
  assert.equal(canonicalJson(s), JSON.stringify(s));
  assert.equal(canonicalJson({ [s]: s }), `{${JSON.stringify(s)}:${JSON.stringify(s)}}`);
});

Deno.test("canonicalJson writes numbers in ECMAScript shortest form and refuses non-finite ones", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [-0, "0"],
    [1, "1"],
    [-1, "-1"],
    [1e21, "1e+21"],
    [1e20, "100000000000000000000"],
    [1e-7, "1e-7"],
    [0.000001, "0.000001"],
    [4.5, "4.5"],
    [9007199254740991, "9007199254740991"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
  ];
  for (const [n, text] of cases) assert.equal(canonicalJson(n), text, `${n}`);
  assert.equal(canonicalJson(parseJson("-0")), "0");
  for (const n of [NaN, Infinity, -Infinity]) assert.throws(() => canonicalJson(n), RangeError);
  assert.throws(() => canonicalJson({ a: [NaN] }), RangeError);
});

Deno.test("canonicalJson of a parsed canonical text is the identity", () => {
  const texts = [
    '{"a":[1,2,{"b":null}],"c":"\\u0000x"}',
    '{"asset":"USDT","decimals":2,"policy":{"base":"profit","cap":null,"rounding":"floor"}}',
    "[1.5,-2,true]",
  ];
  for (const text of texts) assert.equal(canonicalJson(parseJson(text)), text);
});

Deno.test("objectShapeProblem and asObject", () => {
  assert.equal(objectShapeProblem({ a: 1 }, { required: ["a"] }), undefined);
  assert.equal(objectShapeProblem({ a: 1, n: 2 }, { required: ["a"], optional: ["n"] }), undefined);
  assert.equal(objectShapeProblem({ a: 1, z: 2 }, { required: ["a"] }), 'unexpected field "z"');
  assert.equal(objectShapeProblem({ z: 2 }, { required: ["a"] }), 'missing field "a"');
  assert.equal(objectShapeProblem([], { required: ["a"] }), "expected a JSON object");
  assert.equal(objectShapeProblem(null, { required: [] }), "expected a JSON object");
  assert.equal(objectShapeProblem("x", { required: [] }), "expected a JSON object");
  assert.equal(objectShapeProblem(undefined, { required: [] }), "expected a JSON object");
  // A parsed object without the key has no inherited "constructor" to satisfy a requirement.
  assert.equal(objectShapeProblem(parseJson("{}"), { required: ["constructor"] }), 'missing field "constructor"');
  assert.throws(() => asObject([]), TypeError);
  assert.throws(() => asObject(null), TypeError);
  assert.throws(() => asObject(1), TypeError);
});

Deno.test("parseJson names what it met where a value was expected: the end, or the character", () => {
  const cases: [string, string][] = [
    ["", "unexpected end of JSON at offset 0"],
    ["[1,", "unexpected end of JSON at offset 3"],
    ['{"a":', "unexpected end of JSON at offset 5"],
    ["@", 'unexpected character "@" at offset 0'],
    ["[1,]", 'unexpected character "]" at offset 3'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseJson(text), (e: Error) => e.message === message, JSON.stringify(text));
  }
});

Deno.test("parseJson reports a bad escape as such, at the backslash", () => {
  for (const [text, offset] of [['"\\x"', 1], ['"ab\\q"', 3], ['{"a\\0":1}', 3]] as const) {
    assert.throws(
      () => parseJson(text),
      (e: Error) => e.message === `bad escape at offset ${offset}`,
      JSON.stringify(text),
    );
  }
});

Deno.test("parseJson integersOnly: integer digits only, the key named when a fraction or exponent is written", () => {
  assert.deepEqual({ ...asObject(parseJson('{"index":7,"n":-3,"z":0}', { integersOnly: true })) }, {
    index: 7,
    n: -3,
    z: 0,
  });
  for (const written of ["7.0", "7e0", "0.7e1", "7E+0", "-1.5"]) {
    assert.throws(
      () => parseJson(`{"index": ${written}}`, { integersOnly: true }),
      {
        message: `"index": ${written} is not written as integer digits (no fraction or exponent allowed) at offset 10`,
      },
    );
    assert.equal(typeof parseJson(`{"index": ${written}}`), "object");
  }
  assert.throws(() => parseJson("[7.0]", { integersOnly: true }), {
    message: "7.0 is not written as integer digits (no fraction or exponent allowed) at offset 1",
  });
});
