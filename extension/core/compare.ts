/**
 * Two analysed models side by side: totals (parameters, MACs, activations, peak memory), blocks and layers
 * matched by name, with the differences and the shapes that changed, plus `--fail-on` thresholds for CI
 * (`params>+5%,macs>+10%`). Pure: the CLI (`cnn-inspect diff`) and the extension present it.
 */
import type { AnalysisReport, BlockResult, LayerResult } from './result';
import { shapeText } from './report/shapes';

/**
 * One figure in A and B; null where that model's figure is unknown (a layer it could not analyse), and then the
 * change is unknown too. `relative` is the change in percent of A; null when A is 0 and B is not, or when unknown.
 */
export interface Delta {
  a: number | null;
  b: number | null;
  delta: number | null;
  relative: number | null;
}

export function delta(a: number | null, b: number | null): Delta {
  if (a === null || b === null) return { a, b, delta: null, relative: null };
  return { a, b, delta: b - a, relative: a === 0 ? (b === 0 ? 0 : null) : ((b - a) / a) * 100 };
}

/** A layer's count, 0 where the model has no such layer, null where it is unknown. */
function layerCount(l: LayerResult | undefined, count: 'params' | 'macs' | 'activationBytes'): number | null {
  if (!l) return 0;
  if (count === 'activationBytes') return l.activationBytes;
  return l.unknown?.[count] ? null : l[count];
}

/** The totals of a report, null where a layer's count (or the trainable split) is unknown. */
function totalsOf(r: AnalysisReport): Record<'params' | 'trainableParams' | 'macs' | 'activationBytes' | 'peakActivationBytes', number | null> {
  const params = r.layers.some((l) => l.unknown?.params) ? null : r.totals.params;
  const shapesKnown = r.layers.every((l) => l.outputShape !== null || l.notCalled);
  return {
    params,
    trainableParams: params === null || r.totals.trainableUnknown || r.layers.some((l) => l.unknown?.trainable) ? null : r.totals.trainableParams,
    macs: r.layers.some((l) => l.unknown?.macs) ? null : r.totals.macs,
    // A layer whose shape is unknown holds memory the sums cannot see.
    activationBytes: shapesKnown ? r.totals.activationBytes : null,
    peakActivationBytes: shapesKnown ? r.totals.peakActivationBytes : null,
  };
}

/** A block's sum, null where one of its layers' counts is unknown. */
function blockCount(r: AnalysisReport, block: BlockResult | undefined, count: 'params' | 'macs'): number | null {
  if (!block) return 0;
  return r.layers.some((l) => l.block === block.name && l.unknown?.[count]) ? null : block[count];
}

export type Status = 'same' | 'changed' | 'added' | 'removed';

export interface LayerComparison {
  name: string;
  status: Status;
  typeA: string | null;
  typeB: string | null;
  /** Output shapes as the framework prints them; null where the layer is absent. */
  shapeA: string | null;
  shapeB: string | null;
  shapeChanged: boolean;
  params: Delta;
  macs: Delta;
  activationBytes: Delta;
}

export interface BlockComparison {
  name: string;
  status: Status;
  params: Delta;
  macs: Delta;
}

export interface ModelSide {
  model: string;
  framework: AnalysisReport['framework'];
  input: string;
  layers: number;
  complete: boolean;
}

export interface Comparison {
  a: ModelSide;
  b: ModelSide;
  totals: { params: Delta; trainableParams: Delta; macs: Delta; activationBytes: Delta; peakActivationBytes: Delta };
  blocks: BlockComparison[];
  layers: LayerComparison[];
}

function side(r: AnalysisReport): ModelSide {
  return { model: r.model, framework: r.framework, input: shapeText(r.input.slice(1), r.framework), layers: r.layers.length, complete: r.complete };
}

/** B's order, with each layer only A has placed after the A layer before it. */
function mergedNames(a: readonly LayerResult[], b: readonly LayerResult[]): string[] {
  const inB = new Set(b.map((l) => l.name));
  const inA = new Set(a.map((l) => l.name));
  const removedAfter = new Map<string | null, string[]>();
  let previous: string | null = null;
  for (const l of a) {
    if (!inB.has(l.name)) {
      const list = removedAfter.get(previous) ?? [];
      list.push(l.name);
      removedAfter.set(previous, list);
    } else previous = l.name;
  }
  const out = [...(removedAfter.get(null) ?? [])];
  for (const l of b) {
    out.push(l.name);
    if (inA.has(l.name)) out.push(...(removedAfter.get(l.name) ?? []));
  }
  return out;
}

export function compareReports(a: AnalysisReport, b: AnalysisReport): Comparison {
  const byA = new Map(a.layers.map((l) => [l.name, l]));
  const byB = new Map(b.layers.map((l) => [l.name, l]));
  const layers = mergedNames(a.layers, b.layers).map((name): LayerComparison => {
    const la = byA.get(name);
    const lb = byB.get(name);
    const shapeA = la ? shapeText(la.outputShape, a.framework) : null;
    const shapeB = lb ? shapeText(lb.outputShape, b.framework) : null;
    const params = delta(layerCount(la, 'params'), layerCount(lb, 'params'));
    const macs = delta(layerCount(la, 'macs'), layerCount(lb, 'macs'));
    const activationBytes = delta(layerCount(la, 'activationBytes'), layerCount(lb, 'activationBytes'));
    const shapeChanged = la !== undefined && lb !== undefined && shapeA !== shapeB;
    // An unknown count is not the same count: the layer is listed as changed.
    const changed = shapeChanged || la?.type !== lb?.type || params.delta !== 0 || macs.delta !== 0 || activationBytes.delta !== 0;
    const status: Status = !la ? 'added' : !lb ? 'removed' : changed ? 'changed' : 'same';
    return { name, status, typeA: la?.type ?? null, typeB: lb?.type ?? null, shapeA, shapeB, shapeChanged, params, macs, activationBytes };
  });
  const blocksA = new Map(a.blocks.map((x) => [x.name, x]));
  const blocksB = new Map(b.blocks.map((x) => [x.name, x]));
  const blockNames = [...new Set([...b.blocks.map((x) => x.name), ...a.blocks.map((x) => x.name)])];
  const blocks = blockNames.map((name): BlockComparison => {
    const ba = blocksA.get(name);
    const bb = blocksB.get(name);
    const params = delta(blockCount(a, ba, 'params'), blockCount(b, bb, 'params'));
    const macs = delta(blockCount(a, ba, 'macs'), blockCount(b, bb, 'macs'));
    const status: Status = !ba ? 'added' : !bb ? 'removed' : params.delta !== 0 || macs.delta !== 0 ? 'changed' : 'same';
    return { name, status, params, macs };
  });
  const ta = totalsOf(a);
  const tb = totalsOf(b);
  return {
    a: side(a),
    b: side(b),
    totals: {
      params: delta(ta.params, tb.params),
      trainableParams: delta(ta.trainableParams, tb.trainableParams),
      macs: delta(ta.macs, tb.macs),
      activationBytes: delta(ta.activationBytes, tb.activationBytes),
      peakActivationBytes: delta(ta.peakActivationBytes, tb.peakActivationBytes),
    },
    blocks,
    layers,
  };
}

/** A CI threshold: fail when `metric` grows by more than `limit` (percent of A, or an absolute count). */
export interface Threshold {
  metric: 'params' | 'macs' | 'activation' | 'peak';
  limit: number;
  percent: boolean;
  text: string;
}

const METRICS: Record<string, Threshold['metric']> = { params: 'params', macs: 'macs', activation: 'activation', activations: 'activation', peak: 'peak', memory: 'peak' };

/** Parses "params>+5%,macs>+10%" (also "peak>1000000"); throws with the part it could not read. */
export function parseThresholds(text: string): Threshold[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^([a-z]+)\s*>\s*\+?(\d+(?:\.\d+)?)\s*(%?)$/i.exec(part);
      const metric = m ? METRICS[m[1]!.toLowerCase()] : undefined;
      if (!m || !metric) throw new Error(`"${part}" is not a threshold: write metric>+N% or metric>+N, metric one of params, macs, activation, peak`);
      return { metric, limit: Number(m[2]), percent: m[3] === '%', text: part };
    });
}

/** The thresholds B breaks, each with the change that breaks it; an unknown change cannot pass one. */
export function violations(c: Comparison, thresholds: readonly Threshold[]): { threshold: Threshold; change: Delta }[] {
  const figure = { params: c.totals.params, macs: c.totals.macs, activation: c.totals.activationBytes, peak: c.totals.peakActivationBytes };
  return thresholds.flatMap((threshold) => {
    const change = figure[threshold.metric];
    if (change.delta === null) return [{ threshold, change }];
    const over = threshold.percent ? change.relative === null ? change.delta > 0 : change.relative > threshold.limit : change.delta > threshold.limit;
    return over ? [{ threshold, change }] : [];
  });
}
