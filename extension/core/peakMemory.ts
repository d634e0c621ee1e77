/**
 * Peak activation memory of a forward pass for one sample, the figure users compare with real GPU memory.
 *
 * Layers run in the given order. A tensor is allocated when its layer runs and freed right after its last
 * consumer has run, so a branch or a shortcut keeps its tensor alive until the concatenation or the add reads
 * it. While a layer runs, its inputs and its output are alive together. The model input counts; outputs of
 * layers nothing reads (the model outputs) stay alive to the end. Unknown sizes count as 0.
 * (torchinfo's "forward pass size" instead sums every output, which overstates this.)
 */
import { INPUT } from './spec';
import type { LayerResult } from './result';

export function peakActivationBytes(layers: readonly LayerResult[], inputBytes: number): number {
  const lastUse = new Map<string, number>();
  layers.forEach((layer, i) => {
    for (const from of layer.inputs) lastUse.set(from, i);
  });
  const size = new Map<string, number>([[INPUT, inputBytes]]);
  let live = inputBytes;
  let peak = live;
  layers.forEach((layer, i) => {
    const bytes = layer.activationBytes ?? 0;
    size.set(layer.name, bytes);
    live += bytes;
    peak = Math.max(peak, live);
    for (const from of new Set(layer.inputs)) {
      if (lastUse.get(from) === i) live -= size.get(from) ?? 0;
    }
  });
  return peak;
}
