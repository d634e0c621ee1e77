/**
 * PyTorch layers that act on a tensor's last dim(s): nn.LayerNorm(normalized_shape) and nn.Linear. On a
 * flat (F) or a (C, L) sample the engine's last axis is PyTorch's last dim; on a sample of rank 3 or more it
 * is not (the engine holds (C, H, W) as (H, W, C), torchAxes.ts), so LayerNorm names the engine axes it
 * normalises and Linear's Dense is one layer that brings PyTorch's last dim to the end and back inside itself
 * (`sequence: 'lastDim'`, ../sequenceLayout.ts; ConvNeXt's Linear on (N, H, W, C) after a permute): one row.
 */
import { arg, type Args, type Translated } from './layerArgs';
import type { TensorRef, Translation } from './trace';
import { engineAxisOfTorchDim } from './torchAxes';

/** nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True) (torch/nn/modules/normalization.py). */
export function layerNorm(args: Args, inputs: readonly TensorRef[], name = 'LayerNorm'): Translated {
  const shapeArg = arg(args, 'normalized_shape', 0);
  const normalized = typeof shapeArg === 'number' ? [shapeArg] : Array.isArray(shapeArg) ? shapeArg : null;
  const eps = arg(args, 'eps', 1) ?? 1e-5;
  const affine = arg(args, 'elementwise_affine', 2) ?? true;
  const bias = arg(args, 'bias', 3) ?? true;
  if (!normalized || normalized.length === 0 || !normalized.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d > 0) || typeof eps !== 'number' || typeof affine !== 'boolean' || typeof bias !== 'boolean') {
    return { unsupported: `${name} with arguments the reader could not evaluate` };
  }
  const size = normalized.reduce((a, b) => a * b, 1);
  // weight and bias, each of normalized_shape (bias=False keeps the weight only).
  const params = affine ? size * (bias ? 2 : 1) : 0;
  const input = inputs[0];
  if (!input || input.rank === null) return { parts: [{ type: 'LayerNormalization', args: { epsilon: eps, center: affine && bias, scale: affine } }], params };
  const rank = input.rank;
  if (normalized.length > rank) return { unsupported: `${name} over ${normalized.length} dims of a tensor with ${rank} after the batch` };
  // The last k PyTorch dims, as tfjs axes (with the batch, so + 1).
  const axes = normalized.map((_, i) => engineAxisOfTorchDim(i - normalized.length, rank)! + 1);
  if (input.shape !== null) {
    const sizes = axes.map((a) => input.shape![a - 1]);
    if (sizes.some((s, i) => s !== null && s !== normalized[i])) {
      return { unsupported: `${name}(${normalized.join(', ')}) on a tensor whose last dims are (${sizes.join(', ')}); PyTorch raises`};
    }
  }
  return { parts: [{ type: 'LayerNormalization', args: { axis: axes.length === 1 ? axes[0] : axes, epsilon: eps, center: affine && bias, scale: affine } }], params };
}

/**
 * F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5) (ConvNeXt's own LayerNorm module):
 * nn.LayerNorm's axes and check. The weight and bias are the calling module's nn.Parameters, counted where they
 * are registered, so the call itself has none; eps changes no shape.
 */
export function layerNormFunction(args: Args, inputs: readonly TensorRef[]): Translated {
  const positional = [arg(args, 'normalized_shape', 0) ?? null, 1e-5, false, false];
  return layerNorm({ positional, keywords: new Map() }, inputs, 'F.layer_norm');
}

/**
 * F.normalize(input, p=2.0, dim=1, eps=1e-12): x / ‖x‖ along one dim, the shape unchanged (Keras'
 * UnitNormalization on that dim's engine axis). A dim the reader cannot place, or the batch's, is unsupported.
 */
export function normalizeFunction(args: Args, inputs: readonly TensorRef[]): Translated {
  const dim = arg(args, 'dim', 1) ?? 1;
  const rank = inputs[0]?.rank ?? null;
  const axis = typeof dim === 'number' && Number.isInteger(dim) && rank !== null ? engineAxisOfTorchDim(dim, rank) : null;
  if (axis === null) return { unsupported: `F.normalize over dim ${JSON.stringify(dim)}, which the reader cannot place` };
  return { parts: [{ type: 'UnitNormalization', args: { axis: axis + 1 } }] };
}

/**
 * nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True): LayerNorm's axes and shape with a weight and
 * no bias (prod(normalized_shape) parameters with affine), so the engine's LayerNormalization without a centre;
 * its values differ (no mean is taken), which the analysis never uses.
 */
export function rmsNorm(args: Args, inputs: readonly TensorRef[]): Translated {
  const eps = arg(args, 'eps', 1) ?? null;
  // eps=None is PyTorch's torch.finfo(dtype).eps; any positive number gives the same shapes.
  if (eps !== null && typeof eps !== 'number') return { unsupported: 'RMSNorm with an eps the reader could not evaluate' };
  const positional = [arg(args, 'normalized_shape', 0) ?? null, eps ?? 1e-6, arg(args, 'elementwise_affine', 2) ?? true, false];
  return layerNorm({ positional, keywords: new Map() }, inputs, 'RMSNorm');
}

/**
 * A Dense translation made to act on PyTorch's last dim: unchanged on (F) and (C, L); on higher ranks one layer
 * that exchanges the engine axis of PyTorch's last dim with the last inside itself. It counts the weights tfjs
 * builds for the arriving size (the same as written when in_features matches; a mismatch is reported at the
 * line either way).
 */
export function onLastDim(translation: Translation, inputs: readonly TensorRef[]): Translation {
  const rank = inputs[0]?.rank ?? null;
  if (rank === null || rank < 3) return translation;
  const last = engineAxisOfTorchDim(-1, rank)!;
  const { params: _written, ...rest } = translation;
  return { ...rest, parts: translation.parts.map((p) => ({ ...p, args: { ...p.args, sequence: 'lastDim', swapAxis: last } })) };
}
