/**
 * A strict JSON reader and the RFC 8785 (JCS) canonical form.
 *
 * The reader rejects duplicate keys, nesting deeper than a limit and
 * anything outside RFC 8259. Objects have a null prototype, so keys such as
 * `__proto__` and `constructor` are plain data.
 *
 * @module
 */

/** A parsed JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A parsed JSON object (null prototype). */
export type JsonObject = { [key: string]: JsonValue };

/** Options for {@linkcode parseJson}. */
export interface ParseJsonOptions {
  /** The deepest nesting of arrays and objects allowed. Default 16. */
  maxDepth?: number;
  /** Accept numbers only as integer digits (`7`, `-3`), never with a fraction or an exponent (`7.0`, `7e0`). */
  integersOnly?: boolean;
}

/**
 * A JSON syntax error and the offset, in UTF-16 code units, where the reader
 * stopped. An offset at or past the end of the text means the text was cut off.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonSyntaxError, parseJson } from "./_json.ts";
 * assert.throws(() => parseJson('{"a":'), (e) => e instanceof JsonSyntaxError && e.offset === 5);
 * ```
 */
export class JsonSyntaxError extends SyntaxError {
  /** Where the reader stopped. */
  readonly offset: number;

  /** Creates the error; its message ends with `at offset <offset>`. */
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = "SyntaxError";
    this.offset = offset;
  }
}

/**
 * Parses JSON text strictly.
 *
 * @throws {JsonSyntaxError} With the offset of the problem, including duplicate keys.
 */
export function parseJson(text: string, options: ParseJsonOptions = {}): JsonValue {
  const parser = new Parser(text, options.maxDepth ?? 16, options.integersOnly ?? false);
  parser.skipWhitespace();
  const value = parser.value(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) parser.fail("unexpected text after the JSON value");
  return value;
}

class Parser {
  pos = 0;
  /** The key whose value is being read, for messages. */
  key: string | undefined;
  constructor(readonly text: string, readonly maxDepth: number, readonly integersOnly: boolean) {}

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.pos);
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.pos++;
    }
  }

  value(depth: number): JsonValue {
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth + 1);
    if (c === "[") return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? "unexpected end of JSON" : `unexpected character ${JSON.stringify(c)}`);
  }

  object(depth: number): JsonObject {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const out: JsonObject = Object.create(null);
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const keyAt = this.pos;
      const key = this.string();
      if (Object.hasOwn(out, key)) {
        this.pos = keyAt;
        this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      this.skipWhitespace();
      if (this.text[this.pos] !== ":") this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      this.key = key;
      Object.defineProperty(out, key, {
        value: this.value(depth),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === "}") return out;
      if (c !== ",") this.fail("expected ',' or '}'");
      this.skipWhitespace();
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const out: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === "]") return out;
      if (c !== ",") this.fail("expected ',' or ']'");
      this.skipWhitespace();
    }
  }

  string(): string {
    const start = this.pos;
    const t = this.text;
    this.pos++;
    for (;;) {
      if (this.pos >= t.length) this.fail("unterminated string");
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c < 0x20) this.fail("control character in string");
      if (c === 0x5c) {
        const e = t[this.pos + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) this.fail("bad \\u escape");
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail("bad escape");
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    this.pos++;
    const value: string = JSON.parse(t.slice(start, this.pos));
    if (!value.isWellFormed()) {
      this.pos = start;
      this.fail("string has a lone surrogate (not I-JSON)");
    }
    return value;
  }

  number(): number {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) return this.fail("bad number");
    if (this.integersOnly && /[.eE]/.test(m[0])) {
      const where = this.key === undefined ? "" : `${JSON.stringify(this.key)}: `;
      this.fail(`${where}${m[0]} is not written as integer digits (no fraction or exponent allowed)`);
    }
    this.pos += m[0].length;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail("number out of range");
    return n;
  }
}

/**
 * Serializes a JSON value in its RFC 8785 canonical form: keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as `JSON.stringify` does,
 * and numbers in ECMAScript's shortest form.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("JCS cannot encode a non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  const keys = Object.keys(value).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(value[k])).join(",") + "}";
}

/**
 * Checks that `value` is a JSON object with exactly the `required` keys plus
 * any of the `optional` ones.
 *
 * @returns A one-line problem, or `undefined` when the shape fits.
 */
export function objectShapeProblem(
  value: JsonValue | undefined,
  fields: { required: readonly string[]; optional?: readonly string[] },
): string | undefined {
  const { required, optional = [] } = fields;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "expected a JSON object";
  for (const k of required) if (!Object.hasOwn(value, k)) return `missing field ${JSON.stringify(k)}`;
  for (const k of Object.keys(value)) {
    if (!required.includes(k) && !optional.includes(k)) return `unexpected field ${JSON.stringify(k)}`;
  }
  return undefined;
}

/**
 * Narrows a value already checked by {@linkcode objectShapeProblem}.
 */
export function asObject(value: JsonValue | undefined): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError("expected a JSON object");
  }
  return value;
}
