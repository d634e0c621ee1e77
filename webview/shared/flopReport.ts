/**
 * The FLOP report's figures, from a finished report: MACs by layer kind, the heaviest layers, MACs per
 * block and the 1×1 savings. Pure; the view in `webview/report/` draws them.
 */
import type { AnalysisReport, LayerResult } from '../../extension/core/result';

/** The kinds the chart groups layers into. */
export type LayerKind = 'k×k conv' | '1×1 conv' | 'dense' | 'other';
export const LAYER_KINDS: readonly LayerKind[] = ['k×k conv', '1×1 conv', 'dense', 'other'];

const CONVS = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'Conv1D']);

export function kindOf(layer: Pick<LayerResult, 'type' | 'kernel'>): LayerKind {
  if (CONVS.has(layer.type)) {
    const k = layer.kernel;
    return k !== null && k[0] === 1 && k[1] === 1 ? '1×1 conv' : 'k×k conv';
  }
  if (layer.type === 'Dense') return 'dense';
  return 'other';
}

export interface Bar {
  label: string;
  macs: number;
  /** Share of the model's MACs, 0..1. */
  share: number;
}

/** MACs per kind, in the fixed order of LAYER_KINDS (kinds with no MACs included, as zero bars). */
export function macsByKind(layers: readonly LayerResult[]): Bar[] {
  const total = layers.reduce((a, l) => a + l.macs, 0);
  const sums = new Map<LayerKind, number>(LAYER_KINDS.map((k) => [k, 0]));
  for (const l of layers) {
    const kind = kindOf(l);
    sums.set(kind, (sums.get(kind) ?? 0) + l.macs);
  }
  return LAYER_KINDS.map((k) => ({ label: k, macs: sums.get(k) ?? 0, share: total > 0 ? (sums.get(k) ?? 0) / total : 0 }));
}

/** The `n` layers with the most MACs, heaviest first (ties keep layer order). */
export function heaviestLayers(layers: readonly LayerResult[], n = 10): (Bar & { layer: string; type: string })[] {
  const total = layers.reduce((a, l) => a + l.macs, 0);
  return [...layers]
    .filter((l) => l.macs > 0)
    .sort((a, b) => b.macs - a.macs || a.index - b.index)
    .slice(0, n)
    .map((l) => ({ label: l.name, layer: l.name, type: l.type, macs: l.macs, share: total > 0 ? l.macs / total : 0 }));
}

/** MACs per block, in model order, with the 1×1 savings inside each. */
export function blockBars(report: Pick<AnalysisReport, 'blocks' | 'totals'>): (Bar & { type: string; savedMacs: number })[] {
  const total = report.totals.macs;
  return report.blocks.map((b) => ({ label: b.name, type: b.type, macs: b.macs, share: total > 0 ? b.macs / total : 0, savedMacs: b.savedMacs }));
}

/**
 * Splits a name for middle truncation: the head may shrink behind an ellipsis, the tail always shows. Names
 * in one model share their starts (`inception_4e/…`) and differ towards the end, so the tail is the
 * shortest ending of at least `keep` characters that starts after a separator ("/", "_", "."), else the
 * last `keep` characters: "inception_4e/3x3_reduce" → "inception_" + "4e/3x3_reduce".
 */
export function middleTruncation(name: string, keep = 12): { head: string; tail: string } {
  if (name.length <= keep + 8) return { head: '', tail: name };
  let cut = name.length - keep;
  for (let i = name.length - keep; i > 0; i--) {
    if ('/_.'.includes(name[i - 1]!)) {
      cut = i;
      break;
    }
  }
  return { head: name.slice(0, cut), tail: name.slice(cut) };
}
