/**
 * 1×1 "bottleneck" savings (Szegedy et al. 2014, §4; Lin et al. 2013): a k×k convolution (k > 1) fed by a
 * 1×1 convolution that reduces channels costs MACs(1×1) + MACs(k×k), against the naive k×k applied directly
 * to the 1×1's input: outH·outW·outC·kH·kW·C_in(1×1). Shape-preserving layers between the two (batch norm,
 * activations, dropout) are looked through. A grouped k×k keeps its groups in the naive count.
 */
import type { LayerResult, OneByOneSaving } from './result';
import { layerKind } from './layerKnowledge/index';

function channels(shape: LayerResult['outputShape'] | undefined): number | null {
  if (!shape || shape.length !== 3) return null;
  return shape[2] ?? null;
}

/** The layer producing `name`'s output, looking through shape-preserving single-input layers. */
export function producerThroughPassThrough(byName: ReadonlyMap<string, LayerResult>, name: string): LayerResult | undefined {
  let producer = byName.get(name);
  while (producer && layerKind(producer.type)?.lookThrough === true && producer.inputs.length === 1) {
    producer = byName.get(producer.inputs[0] ?? '');
  }
  return producer;
}

function isOneByOneConv(layer: LayerResult): boolean {
  return layer.type === 'Conv2D' && layer.kernel !== null && layer.kernel[0] === 1 && layer.kernel[1] === 1;
}

export function findOneByOneSavings(layers: readonly LayerResult[]): OneByOneSaving[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const savings: OneByOneSaving[] = [];
  for (const conv of layers) {
    if (conv.type !== 'Conv2D' || conv.kernel === null || conv.outputShape === null) continue;
    const [kh, kw] = conv.kernel;
    if (kh * kw === 1 || conv.inputs.length !== 1) continue;
    const producer = producerThroughPassThrough(byName, conv.inputs[0] ?? '');
    if (!producer || !isOneByOneConv(producer)) continue;
    const reducedFrom = channels(producer.inputShapes[0]);
    const reducedTo = channels(producer.outputShape);
    const [outH, outW, outC] = conv.outputShape;
    if (reducedFrom === null || reducedTo === null || reducedTo >= reducedFrom || outH == null || outW == null || outC == null) continue;
    // A grouped k×k (ResNeXt) applied to the wider input keeps its groups.
    const naiveMacs = (outH * outW * outC * kh * kw * reducedFrom) / (conv.groups ?? 1);
    const actualMacs = producer.macs + conv.macs;
    savings.push({ layer: conv.name, reducer: producer.name, block: conv.block, naiveMacs, actualMacs, savings: naiveMacs / actualMacs });
  }
  return savings;
}
