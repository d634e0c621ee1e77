/**
 * Model-level figures derived from the per-layer results: totals, blocks, 1×1 savings and peak memory.
 */
import type { ModelSpec } from './spec';
import { BYTES_PER_FLOAT32, elementCount } from './shape';
import type { AnalysisReport, BlockResult, FactorisationSaving, LayerResult, OneByOneSaving, Totals } from './result';
import { peakActivationBytes } from './peakMemory';
import { findOneByOneSavings } from './oneByOne';
import { exactCounts, exactOf } from './exactCount';
import { findFactorisationSavings } from './factorisation';


function sum(layers: readonly LayerResult[], pick: (l: LayerResult) => number | null): number {
  let total = 0;
  for (const layer of layers) total += pick(layer) ?? 0;
  return total;
}

/** Sum of a count over layers, exactly (BigInt), from each layer's exact string where it has one. */
function exactSum(layers: readonly LayerResult[], pick: (l: LayerResult) => number | null, key: 'params' | 'macs' | 'activationBytes'): bigint {
  let total = 0n;
  for (const layer of layers) total += exactOf(pick(layer) ?? 0, layer.exact?.[key]);
  return total;
}

export function totalsOf(spec: ModelSpec, layers: readonly LayerResult[], flopsPerMac: number): Totals {
  const exactMacs = exactSum(layers, (l) => l.macs, 'macs');
  const exactParams = exactSum(layers, (l) => l.params, 'params');
  const exactActivation = exactSum(layers, (l) => l.activationBytes, 'activationBytes');
  const macs = Number(exactMacs);
  const params = Number(exactParams);
  const exact = exactCounts({
    macs: exactMacs,
    flops: exactMacs * BigInt(flopsPerMac),
    params: exactParams,
    activationBytes: exactActivation,
  });
  const lowerBound = layers.some((l) => l.unknown?.params || l.unknown?.macs);
  return {
    ...(exact ? { exact } : {}),
    ...(lowerBound ? { lowerBound: true as const } : {}),
    ...(spec.trainableUnknown && layers.some((l) => l.unknown?.trainable) ? { trainableUnknown: spec.trainableUnknown } : {}),
    params,
    trainableParams: sum(layers, (l) => l.trainableParams),
    nonTrainableParams: sum(layers, (l) => l.nonTrainableParams),
    macs,
    flops: macs * flopsPerMac,
    paramBytes: params * BYTES_PER_FLOAT32,
    activationBytes: Number(exactActivation),
    peakActivationBytes: peakActivationBytes(layers, (elementCount(spec.input) ?? 0) * BYTES_PER_FLOAT32),
  };
}

export function blocksOf(
  layers: readonly LayerResult[],
  savings: readonly OneByOneSaving[],
  factorisations: readonly FactorisationSaving[] = [],
): BlockResult[] {
  const blocks = new Map<string, BlockResult>();
  for (const layer of layers) {
    if (layer.block === null) continue;
    let block = blocks.get(layer.block);
    if (!block) {
      block = { name: layer.block, type: '', layers: 0, macs: 0, params: 0, savedMacs: 0, factorisationSavedMacs: 0 };
      blocks.set(layer.block, block);
    }
    block.layers += 1;
    block.macs += layer.macs;
    block.params += layer.params;
  }
  for (const saving of savings) {
    const block = saving.block === null ? undefined : blocks.get(saving.block);
    if (block) block.savedMacs += saving.naiveMacs - saving.actualMacs;
  }
  for (const saving of factorisations) {
    const block = saving.block === null ? undefined : blocks.get(saving.block);
    if (block) block.factorisationSavedMacs += saving.naiveMacs - saving.actualMacs;
  }
  return [...blocks.values()];
}

function totalsOfSavings(savings: readonly { naiveMacs: number; actualMacs: number }[]): AnalysisReport['factorisationTotals'] {
  if (savings.length === 0) return null;
  const naiveMacs = savings.reduce((a, s) => a + s.naiveMacs, 0);
  const actualMacs = savings.reduce((a, s) => a + s.actualMacs, 0);
  return { naiveMacs, actualMacs, savings: naiveMacs / actualMacs };
}

export function summarize(
  spec: ModelSpec,
  layers: LayerResult[],
  flopsPerMac: 1 | 2,
): Omit<AnalysisReport, 'backend' | 'input'> {
  const oneByOne = findOneByOneSavings(layers);
  const factorisations = findFactorisationSavings(layers);
  const blocks = blocksOf(layers, oneByOne, factorisations);
  const blockTypes = new Map(spec.layers.map((l) => [l.block?.name, l.block?.type] as const));
  for (const block of blocks) block.type = blockTypes.get(block.name) ?? '';
  const naive = oneByOne.reduce((a, s) => a + s.naiveMacs, 0);
  const actual = oneByOne.reduce((a, s) => a + s.actualMacs, 0);
  const issues = layers.flatMap((l) => (l.error ? [l.error] : []));
  return {
    model: spec.name,
    framework: spec.framework ?? 'keras',
    flopsPerMac,
    layers,
    blocks,
    oneByOne,
    oneByOneTotals: oneByOne.length === 0 ? null : { naiveMacs: naive, actualMacs: actual, savings: naive / actual },
    factorisations,
    factorisationTotals: totalsOfSavings(factorisations),
    totals: totalsOf(spec, layers, flopsPerMac),
    issues,
    // A module never called has no shape, but its parameters must still be known for the report to be complete.
    // Nor is it complete while which parameters train is unknown.
    complete: layers.every((l) => (l.outputShape !== null || (l.notCalled === true && !l.unknown?.params)) && !l.unknown?.trainable),
  };
}
