/**
 * The heat map: a node's colour says how much of the model's MACs it costs. Levels grow with the square
 * root of the layer's MACs relative to the heaviest layer, so mid-weight layers stay distinguishable from
 * the few dominant ones. The panel draws levels with theme colours (CSS `color-mix`); an exported SVG gets
 * the same mix computed here from the theme's resolved colours.
 */

/** Level 0 is "no MACs"; levels 1..HEAT_LEVELS-1 are increasingly heavy. */
export const HEAT_LEVELS = 6;

/** How much of the hot colour each level mixes into the background, in percent (media/common.css matches). */
const HEAT_MIX = [0, 12, 24, 36, 48, 60] as const;

/** The heat level of a layer with `macs`, when the heaviest layer has `maxMacs`. */
export function heatLevel(macs: number, maxMacs: number): number {
  if (macs <= 0 || maxMacs <= 0) return 0;
  const relative = Math.sqrt(Math.min(1, macs / maxMacs));
  return Math.max(1, Math.ceil(relative * (HEAT_LEVELS - 1)));
}

/** The smallest MAC share (of the heaviest layer) of each level, for the legend. */
export function heatThresholds(): number[] {
  return Array.from({ length: HEAT_LEVELS - 1 }, (_, i) => (i / (HEAT_LEVELS - 1)) ** 2);
}

export type Rgb = readonly [number, number, number];

/** Parses "#rgb", "#rrggbb", "#rrggbbaa" and "rgb(a)(r, g, b…)"; null for anything else. */
export function parseColor(css: string): Rgb | null {
  const text = css.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(text);
  if (hex) {
    const h = hex[1]!;
    if (h.length === 3) return [0, 1, 2].map((i) => parseInt(h[i]! + h[i]!, 16)) as unknown as Rgb;
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  const rgb = /^rgba?\(\s*(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)/i.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])].map((v) => Math.round(Math.min(255, v))) as unknown as Rgb;
  return null;
}

/** `percent` of `hot` mixed into `background`, as "#rrggbb" (what CSS color-mix in srgb gives). */
export function mixColor(background: Rgb, hot: Rgb, percent: number): string {
  const p = Math.max(0, Math.min(100, percent)) / 100;
  const channel = (i: 0 | 1 | 2): string =>
    Math.round(background[i] * (1 - p) + hot[i] * p)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

/** The fill of each level, from a resolved background and hot colour. */
export function heatFills(background: Rgb, hot: Rgb): string[] {
  return HEAT_MIX.map((p) => mixColor(background, hot, p));
}
