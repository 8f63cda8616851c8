/**
 * The page's file inputs, as one table: the page draws each from its entry,
 * with its label and hint, and reads each the same way. An optional input
 * (a log proof, a log policy...) is one more entry in
 * {@linkcode OPTIONAL_INPUTS}; its text reaches the check under its `id`.
 *
 * @module
 */

/// <reference lib="dom" />

import { MAX_JSON_FILE } from "../src/cli/_common.ts";
import { InputError } from "../src/core/errors.ts";
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
}

/** The trader's three files. The statement and keys files also feed auditor mode. */
export const TRADER_INPUTS: readonly FileInputSpec[] = [
  {
    id: "proof-file",
    label: "Proof file",
    hint: "Your own proof, from your account page at the venue (a .json file).",
    accept: ".json,application/json",
  },
  {
    id: "statement-file",
    label: "Statement file",
    hint: "The venue's signed statement of the event: statement.dsse.json.",
    accept: ".json,application/json",
  },
  {
    id: "keys-file",
    label: "Keys file",
    hint: "The venue's public keys that you saved before the event: keys.json.",
    accept: ".json,application/json",
  },
];

/** Optional extra inputs of the trader's check (none yet). */
export const OPTIONAL_INPUTS: readonly FileInputSpec[] = [];

/** Auditor mode's own input. */
export const AUDITOR_INPUTS: readonly FileInputSpec[] = [
  {
    id: "leaves-file",
    label: "Leaves file",
    hint: "The venue's leaves.csv: one line per account, in tree order.",
    accept: ".csv,text/csv",
  },
];

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
 * bytes, UTF-8, a byte order mark kept (the strict JSON reader decides).
 *
 * @throws {InputError} When the file is larger than the limit.
 */
export async function readJsonFile(spec: FileInputSpec, file: File): Promise<string> {
  if (file.size > MAX_JSON_FILE) {
    throw new InputError(`${spec.label} ${file.name} is larger than the limit of ${MAX_JSON_FILE} bytes`);
  }
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await file.arrayBuffer());
}

/** Reads every chosen file of `specs`. */
export async function readInputs(specs: readonly FileInputSpec[]): Promise<InputTexts> {
  const texts: InputTexts = {};
  for (const spec of specs) {
    const file = chosenFile(spec.id);
    if (file) texts[spec.id] = await readJsonFile(spec, file);
  }
  return texts;
}
