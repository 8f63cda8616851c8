/**
 * The page's two pictures, as inline SVG drawn from figures the
 * explanation gives (the page computes no figure itself; it only scales
 * them to pixels): the trader's base split into what they keep and the
 * haircut, and the event's waterfall from the deficit through the
 * insurance fund and the socialized amount to the uncovered rest.
 *
 * Each picture has a text alternative (`role="img"` with a title) that
 * says the same in words.
 *
 * @module
 */

/// <reference lib="dom" />

import type { ChargeFacts, Waterfall } from "../src/report/explain.ts";
import { svg } from "./_dom.ts";

/** Formats an amount in minor units as money, with its asset. */
export type Money = (value: bigint) => string;

/** `value / total` of `pixels`, rounded down to a hundredth of a pixel; 0 when `total` is 0. */
export function scale(value: bigint, total: bigint, pixels: number): number {
  if (total <= 0n || value <= 0n) return 0;
  const clamped = value > total ? total : value;
  return Number((clamped * BigInt(Math.round(pixels * 100))) / total) / 100;
}

let pictures = 0;

function picture(width: number, height: number, title: string): SVGSVGElement {
  const id = `picture-${++pictures}`;
  return svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, width: `${width}`, height: `${height}`, role: "img", "aria-labelledby": id },
    svg("title", { id }, title),
  );
}

function text(x: number, y: number, content: string, anchor = "start", weight = "400"): SVGTextElement {
  return svg(
    "text",
    { x: `${x}`, y: `${y}`, "text-anchor": anchor, "font-size": "14", "font-weight": weight, fill: "#1b1f24" },
    content,
  );
}

/** The colours: kept or covered (green), charged (red), insurance (blue), uncovered (grey). */
const COLOURS = { kept: "#2e7d4f", charged: "#b3261e", insurance: "#1d4f91", uncovered: "#6b7280", total: "#3f3f46" };

/** The trader's figures {@linkcode baseSplitPicture} draws. */
export type BaseSplit = Pick<ChargeFacts, "base" | "kept" | "haircut">;

/**
 * One bar as wide as the base: the part the trader keeps, then the haircut.
 *
 * @example
 * ```ts ignore
 * document.body.append(baseSplitPicture({ base: 750000n, kept: 663000n, haircut: 87000n }, money));
 * ```
 */
export function baseSplitPicture(split: BaseSplit, money: Money): SVGSVGElement {
  const width = 640;
  const bar = 600;
  const keptWidth = scale(split.kept, split.base, bar);
  const cutWidth = scale(split.haircut, split.base, bar);
  const node = picture(
    width,
    96,
    `Your base of ${money(split.base)}: you keep ${money(split.kept)} and the haircut takes ${money(split.haircut)}.`,
  );
  node.append(
    svg("rect", { x: "20", y: "10", width: `${bar}`, height: "36", fill: "#eef0f3", stroke: COLOURS.total }),
    svg("rect", { x: "20", y: "10", width: `${keptWidth}`, height: "36", fill: COLOURS.kept }),
    svg("rect", { x: `${20 + bar - cutWidth}`, y: "10", width: `${cutWidth}`, height: "36", fill: COLOURS.charged }),
    text(20, 70, `You keep ${money(split.kept)}`, "start", "600"),
    text(20 + bar, 70, `Haircut ${money(split.haircut)}`, "end", "600"),
    text(20, 90, `of your base ${money(split.base)}`),
  );
  return node;
}

/** The event's figures {@linkcode waterfallPicture} draws. */
export type WaterfallFigures = Pick<Waterfall, "deficit" | "insuranceUsed" | "shortfall" | "collected" | "uncovered">;

/**
 * Four bars on one scale: the deficit; the insurance fund's part, hanging
 * from the deficit's top down to the shortfall; the socialized part, from
 * the shortfall down to the uncovered rest; the uncovered rest from zero.
 *
 * @example
 * ```ts ignore
 * document.body.append(waterfallPicture(
 *   { deficit: 150000n, insuranceUsed: 50000n, shortfall: 100000n, collected: 100000n, uncovered: 0n },
 *   money,
 * ));
 * ```
 */
export function waterfallPicture(w: WaterfallFigures, money: Money): SVGSVGElement {
  const width = 760;
  const top = 16;
  const chart = 180;
  const baseline = top + chart;
  const y = (value: bigint): number => baseline - scale(value, w.deficit, chart);
  const node = picture(
    width,
    baseline + 52,
    `How the loss was covered: a deficit of ${money(w.deficit)}; the insurance fund paid ${money(w.insuranceUsed)}; ` +
      `haircuts on traders collected ${money(w.collected)}; ${money(w.uncovered)} stayed uncovered.`,
  );
  const bars: { label: string; amount: bigint; from: bigint; to: bigint; colour: string }[] = [
    { label: "Deficit", amount: w.deficit, from: 0n, to: w.deficit, colour: COLOURS.total },
    { label: "Insurance fund", amount: w.insuranceUsed, from: w.shortfall, to: w.deficit, colour: COLOURS.insurance },
    { label: "Haircuts", amount: w.collected, from: w.uncovered, to: w.shortfall, colour: COLOURS.charged },
    { label: "Uncovered", amount: w.uncovered, from: 0n, to: w.uncovered, colour: COLOURS.uncovered },
  ];
  node.append(
    svg("line", { x1: "10", y1: `${baseline}`, x2: `${width - 10}`, y2: `${baseline}`, stroke: COLOURS.total }),
  );
  bars.forEach((b, i) => {
    const x = 20 + i * 185;
    const yTop = y(b.to);
    const height = Math.max(y(b.from) - yTop, b.amount > 0n ? 1 : 0);
    node.append(
      svg("rect", { x: `${x}`, y: `${yTop}`, width: "140", height: `${height}`, fill: b.colour }),
      text(x + 70, baseline + 20, b.label, "middle", "600"),
      text(x + 70, baseline + 40, money(b.amount), "middle"),
    );
    if (i < bars.length - 1) {
      const next = bars[i + 1];
      const joinAt = y(i === 0 ? b.to : b.from);
      if (next.amount > 0n || i === 0) {
        node.append(svg("line", {
          x1: `${x + 140}`,
          y1: `${joinAt}`,
          x2: `${x + 185}`,
          y2: `${joinAt}`,
          stroke: COLOURS.total,
          "stroke-dasharray": "4 3",
        }));
      }
    }
  });
  return node;
}
