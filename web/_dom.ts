/**
 * The few DOM helpers the page needs. Text from the files a user chose is
 * only ever set as text (`textContent`), never parsed as HTML, so a venue
 * name or an account id cannot inject markup; its invisible and control
 * characters are shown as escapes, as in the CLI's reports (`terminalSafe`).
 *
 * @module
 */

/// <reference lib="dom" />

import { terminalSafe } from "../src/report/format.ts";

/** A child: an element, a text, or nothing. */
export type Child = Node | string | false | null | undefined;

/** Attributes: strings, or `false`/`undefined` to leave one out. */
export type Attributes = Record<string, string | false | undefined>;

/** Appends `children` to `node`, text as text nodes. */
export function append(node: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === false || c === null || c === undefined) continue;
    node.appendChild(typeof c === "string" ? document.createTextNode(terminalSafe(c)) : c);
  }
}

function setAttributes(node: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== false && value !== undefined) node.setAttribute(name, value);
  }
}

/** An HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes and children. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

/** Replaces the children of `node`. */
export function replace(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  append(node, children);
}

/** The element with `id`, which the page's template must hold. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return node;
}
