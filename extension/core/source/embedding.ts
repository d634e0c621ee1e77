/**
 * Embedding tables: PyTorch's nn.Embedding(num_embeddings, embedding_dim) and Keras' Embedding(input_dim,
 * output_dim) look up one vector per index, so an (N, L) batch of indices becomes (N, L, D): num·dim parameters,
 * no multiply-accumulates (torch's FlopCounterMode counts none). The engine's tfjs embedding on the (L) input.
 */
import type { TensorRef } from './trace';
import { arg, type Args, type Translated } from './layerArgs';
import type { KerasAdapt } from './kerasAdapters';

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function torchEmbedding(args: Args, inputs: readonly TensorRef[]): Translated {
  const num = arg(args, 'num_embeddings', 0);
  const dim = arg(args, 'embedding_dim', 1);
  if (!positiveInt(num) || !positiveInt(dim)) return { unsupported: 'Embedding with sizes the reader could not evaluate' };
  // PyTorch's checks: padding_idx must be within num_embeddings (negative ones count from the end).
  const padding = arg(args, 'padding_idx', 2);
  if (typeof padding === 'number' && (padding >= num || padding < -num)) return { unsupported: 'Embedding: Padding_idx must be within num_embeddings' };
  // Weights loaded from a tensor (_weight, from_pretrained) have that tensor's sizes, which these arguments state.
  const params = num * dim;
  // Not called: its table still counts in model.parameters().
  if (inputs.length === 0) return { parts: [], params };
  const rank = inputs[0]?.shape?.length ?? null;
  if (rank !== 1) return { unsupported: `Embedding on a tensor that is not an (N, L) batch of indices (rank ${rank === null ? 'unknown' : rank + 1})` };
  return { parts: [{ type: 'Embedding', args: { inputDim: num, outputDim: dim } }], params };
}

/** Keras' mask_zero=True makes a mask the layers after it must take (TF.js raises for those that do not): not read. */
export const kerasEmbedding: KerasAdapt = ({ given, className }) => {
  if (given.maskZero === true) return { unsupported: `${className}(mask_zero=True): the mask it passes on is not followed yet` };
};
