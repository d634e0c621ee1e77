/**
 * Factorisation savings (Szegedy et al. 2016, "Rethinking the Inception Architecture", §3.2, spatial
 * factorisation into asymmetric convolutions): a 1×n convolution followed by an n×1 one (or n×1 then 1×n),
 * n > 1, covers the window of one n×n convolution. naive = that n×n applied directly, from the first's input
 * channels to the second's output channels at the second's output size: outH·outW·outC·n·n·C_in(first);
 * actual = MACs(first) + MACs(second); savings = naive / actual. Shape-preserving layers between the two
 * (batch norm, activations, dropout) are looked through, as for the 1×1 savings (./oneByOne.ts). Each
 * convolution is the second of at most one pair, so a chain 7×1 → 1×7 → 7×1 → 1×7 is two pairs.
 * Grouped convolutions are left out (their naive counterpart is not one convolution).
 */
import type { FactorisationSaving, LayerResult } from './result';
import { producerThroughPassThrough } from './oneByOne';

function asymmetric(layer: LayerResult): { n: number; vertical: boolean } | null {
  if (layer.type !== 'Conv2D' || layer.kernel === null || (layer.groups ?? 1) !== 1) return null;
  const [kh, kw] = layer.kernel;
  if (kh === 1 && kw > 1) return { n: kw, vertical: false };
  if (kw === 1 && kh > 1) return { n: kh, vertical: true };
  return null;
}

export function findFactorisationSavings(layers: readonly LayerResult[]): FactorisationSaving[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const paired = new Set<string>();
  const savings: FactorisationSaving[] = [];
  for (const second of layers) {
    const b = asymmetric(second);
    if (b === null || second.outputShape === null || second.inputs.length !== 1) continue;
    const first = producerThroughPassThrough(byName, second.inputs[0] ?? '');
    if (!first || paired.has(first.name)) continue;
    const a = asymmetric(first);
    if (a === null || a.n !== b.n || a.vertical === b.vertical) continue;
    const inC = first.inputShapes[0]?.[2];
    const [outH, outW, outC] = second.outputShape;
    if (inC == null || outH == null || outW == null || outC == null) continue;
    const naiveMacs = outH * outW * outC * b.n * b.n * inC;
    const actualMacs = first.macs + second.macs;
    paired.add(second.name);
    savings.push({
      layer: second.name,
      first: first.name,
      block: second.block,
      kernel: [b.n, b.n],
      naiveMacs,
      actualMacs,
      savings: naiveMacs / actualMacs,
    });
  }
  return savings;
}
