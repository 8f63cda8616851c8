/**
 * The page's file inputs, as one table: the page draws each from its entry,
 * with its label and hint, and reads each the same way as the CLI reads the
 * file it stands for (at most `MAX_JSON_FILE` bytes, a leading byte order
 * mark dropped, and a one-line hint, never a verdict, when the file is not
 * the kind of document expected: empty, cut off, or another kind, with "did
 * you swap" when the page takes that kind from another input).
 *
 * An optional input (a log proof, a log policy...) is one more entry in
 * {@linkcode OPTIONAL_INPUTS}; its text reaches the check under its `id`.
 *
 * @module
 */

/// <reference lib="dom" />

import { MAX_JSON_FILE } from "../src/cli/_common.ts";
import { InputError } from "../src/core/errors.ts";
import { type DocumentKind, documentProblem, type Roles, withoutBom } from "../src/format/_sniff.ts";
import { h } from "./_dom.ts";

/** One file input of the page. */
export interface FileInputSpec {
  /** The element id, and the key of its text in {@linkcode InputTexts}. */
  id: string;
  /** The accessible label. */
  label: string;
  /** One line under the label: which file this is. */
  hint: string;
  /** The `accept` attribute. */
  accept: string;
  /** The kinds of document it takes (the first names it in hints). */
  kinds: readonly DocumentKind[];
  /** What the file is, in a sentence: `"proof file"`. */
  what: string;
}

/** The trader's three files, as shown. The statement and keys files also feed auditor mode. */
export const TRADER_INPUTS: readonly FileInputSpec[] = [
  {
    id: "proof-file",
    label: "Proof file",
    hint: "Your own proof, from your account page at the venue (a .json file).",
    accept: ".json,application/json",
    kinds: ["proof", "deficit-proof"],
    what: "proof file",
  },
  {
    id: "statement-file",
    label: "Statement file",
    hint: "The venue's signed statement of the event: statement.dsse.json.",
    accept: ".json,application/json",
    kinds: ["envelope"],
    what: "statement file",
  },
  {
    id: "keys-file",
    label: "Keys file",
    hint: "The venue's public keys that you saved before the event: keys.json.",
    accept: ".json,application/json",
    kinds: ["keys"],
    what: "keys file",
  },
];

/** Optional extra inputs of the trader's check: the statement log's proof and the log policy, both or neither. */
export const OPTIONAL_INPUTS: readonly FileInputSpec[] = [
  {
    id: "log-proof-file",
    label: "Log proof file (optional)",
    hint: "The statement's .tlog-proof from the venue's transparency log, if the venue gave you one.",
    accept: ".tlog-proof,text/plain",
    kinds: ["tlog-proof"],
    what: "log proof file",
  },
  {
    id: "log-policy-file",
    label: "Log policy file (optional)",
    hint: "The log-policy.json you pinned: the log's key, the witnesses' keys and how many must cosign.",
    accept: ".json,application/json",
    kinds: ["log-policy"],
    what: "log policy file",
  },
];

/** Auditor mode's own input: read in slices by the Worker, not here. */
export const AUDITOR_INPUTS: readonly FileInputSpec[] = [
  {
    id: "leaves-file",
    label: "Leaves file",
    hint: "The venue's leaves.csv: one line per account, in tree order.",
    accept: ".csv,text/csv",
    kinds: ["leaves-csv"],
    what: "leaves file",
  },
];

/** The input of `id`, which the tables above must hold. */
export function inputSpec(id: string): FileInputSpec {
  const spec = [...TRADER_INPUTS, ...OPTIONAL_INPUTS, ...AUDITOR_INPUTS].find((s) => s.id === id);
  if (!spec) throw new Error(`no input ${id}`);
  return spec;
}

/** Which input takes each kind of document, for "did you swap" hints: `"the Proof file"`. */
function roles(): Roles {
  const out: Roles = {};
  for (const spec of [...TRADER_INPUTS, ...OPTIONAL_INPUTS, ...AUDITOR_INPUTS]) {
    for (const kind of spec.kinds) out[kind] = `the ${spec.label}`;
  }
  return out;
}

/** The texts of the chosen files, by input id; a file not chosen is absent. */
export type InputTexts = Record<string, string | undefined>;

/** The label, hint and input of one entry. */
export function fileField(spec: FileInputSpec): HTMLDivElement {
  const hintId = `${spec.id}-hint`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: spec.id }, spec.label),
    h("input", { type: "file", id: spec.id, name: spec.id, accept: spec.accept, "aria-describedby": hintId }),
    h("p", { class: "hint", id: hintId }, spec.hint),
  );
}

/** The file chosen in the input `id`, if any. */
export function chosenFile(id: string): File | undefined {
  const input = document.getElementById(id);
  if (!(input instanceof HTMLInputElement)) throw new Error(`the page has no input #${id}`);
  return input.files?.[0];
}

/**
 * Reads a chosen JSON file as the CLI reads one: at most `MAX_JSON_FILE`
 * bytes, UTF-8, a leading byte order mark dropped, and the same one-line
 * hint when it is not the kind of document expected.
 *
 * @throws {InputError} When the file is too large or not the kind expected.
 */
export async function readJsonFile(spec: FileInputSpec, file: File): Promise<string> {
  if (file.size > MAX_JSON_FILE) {
    throw new InputError(`the ${spec.what} ${file.name} is larger than the limit of ${MAX_JSON_FILE} bytes`);
  }
  const text = withoutBom(new TextDecoder("utf-8", { ignoreBOM: true }).decode(await file.arrayBuffer()));
  const problem = documentProblem(text, file.name, { kinds: spec.kinds, what: spec.what, roles: roles() });
  if (problem) throw new InputError(problem);
  return text;
}

/** Reads every chosen file of `specs`, in that order (the first file that is not what it should be throws). */
export async function readInputs(specs: readonly FileInputSpec[]): Promise<InputTexts> {
  const texts: InputTexts = {};
  for (const spec of specs) {
    const file = chosenFile(spec.id);
    if (file) texts[spec.id] = await readJsonFile(spec, file);
  }
  return texts;
}
