/**
 * PyTorch's squeeze / unsqueeze (`x.squeeze(-1)`, `torch.squeeze(x, d)`, `x.unsqueeze(1)`) and Keras'/TF's
 * `ops.squeeze` / `ops.expand_dims` / `tf.squeeze` / `tf.expand_dims`: the new sizes are worked out in the
 * framework's own order (PyTorch (N, C, H, W), Keras (None, H, W, C)), then held in the engine's layout
 * (torchAxes.ts) by a tfjs Reshape, as view/reshape are. Only the sizes change, never the element count, so a
 * Reshape computes exactly the framework's shape. A function call, not a module: PyTorch's hooks see no row.
 *
 * The engine has no batch axis, so whatever would remove the batch (squeeze(0) of a batch of 1) or put a dim
 * before it (unsqueeze(0)) cannot be shown: such a call is an unknown layer that says why, never a guess.
 */
import type { SyntaxNode } from '../syntax';
import { type TensorRef, UNKNOWN_LAYER } from '../trace';
import { torchDimsOfEngineAxes } from '../torchAxes';
import { toFrameworkShape } from '../../report/shapes';
import type { PythonInterpreter } from './interpreter';
import { isSeq, type Value } from './values';

type Sizes = (number | null)[];
/** New sizes (batch first), or why they cannot be shown (`error`: the framework itself raises). */
type Outcome = { sizes: Sizes } | { unknown: string } | { error: string };

/** torch's wording for a dim outside [-rank, rank-1]. */
function outOfRange(dim: number, rank: number): string {
  return `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`;
}

/** `dims` null squeezes every size-1 dim; `batch` is the batch size the code states, null when it does not. */
function squeezed(sizes: Sizes, dims: number[] | null, batch: number | null, call: string): Outcome {
  const rank = sizes.length;
  let which: number[];
  if (dims === null) which = sizes.map((_, i) => i);
  else {
    which = [];
    for (const d of dims) {
      if (d < -rank || d >= rank) return { error: outOfRange(d, rank) };
      const i = d < 0 ? d + rank : d;
      if (which.includes(i)) return { error: `dim ${i} appears multiple times in the list of dims` };
      which.push(i);
    }
  }
  const drop = new Set<number>();
  for (const i of which) {
    const size = i === 0 ? batch : sizes[i];
    // PyTorch removes a dim only when its size is 1; a size the reader does not know decides nothing.
    if (size === null) return { unknown: i === 0 ? `${call} removes the batch dim when the batch is 1, and the code does not state the batch size` : `${call}: the size of dim ${i} is not known, so whether it is removed is not either` };
    if (size === 1) {
      if (i === 0) return { unknown: `${call} removes the batch dim (a batch of 1), which the report cannot show` };
      drop.add(i);
    }
  }
  return { sizes: sizes.filter((_, i) => !drop.has(i)) };
}

function unsqueezed(sizes: Sizes, dim: number, call: string): Outcome {
  const rank = sizes.length + 1;
  if (dim < -rank || dim >= rank) return { error: outOfRange(dim, rank) };
  const i = dim < 0 ? dim + rank : dim;
  if (i === 0) return { unknown: `${call} puts a new dim before the batch, which the report cannot show` };
  return { sizes: [...sizes.slice(0, i), 1, ...sizes.slice(i)] };
}

/** The engine shape (no batch) that holds a sample of these framework sizes; null past what the engine lays out. */
function engineShape(t: TensorRef, sample: Sizes): Sizes | null {
  if (t.trace.framework !== 'pytorch') return sample;
  // report/shapes.ts shows engine ranks 3 and 4 channels-last, others in PyTorch's order; the same here.
  if (sample.length > 4) return null;
  const held = sample.length >= 3 ? torchDimsOfEngineAxes(sample.length) : sample.map((_, i) => i + 1);
  return held.map((d) => sample[d - 1]!);
}

/** The dims a squeeze names: one int, a tuple/list of ints (torch ≥ 2.0, Keras), or null for every size-1 dim. */
function dimList(dim: Value | undefined): number[] | null | undefined {
  if (dim === undefined || dim === null) return null;
  const items = isSeq(dim) ? dim.items : [dim];
  return items.every((d): d is number => typeof d === 'number' && Number.isInteger(d)) ? items : undefined;
}

/**
 * `x.squeeze(dim)` (`op` 'squeeze', `dim` undefined for all) or `x.unsqueeze(dim)` ('unsqueeze'); `sourceType`
 * names the row as the code wrote it.
 */
export function squeezeTensor(it: PythonInterpreter, op: 'squeeze' | 'unsqueeze', t: TensorRef, dim: Value | undefined, node: SyntaxNode, sourceType: string = op): Value {
  const framework = t.trace.framework;
  const full = toFrameworkShape(framework, t.shape, null, t.keepDims ?? false);
  if (full === null) return it.opaque(t, `${op}() of a tensor whose shape is unknown`, node);
  const dims = dimList(dim);
  if (dims === undefined || (op === 'unsqueeze' && dims?.length !== 1)) return it.opaque(t, `an ${op} whose dim the reader could not evaluate`, node);
  const call = `${op}(${dim === undefined || dim === null ? '' : dims!.join(', ')})`;
  const outcome = op === 'squeeze' ? squeezed(full, dims, statedBatch(t), call) : unsqueezed(full, dims![0]!, call);
  if ('sizes' in outcome && outcome.sizes.length === full.length) return t; // nothing removed: the same tensor, no row
  const target = 'sizes' in outcome ? engineShape(t, outcome.sizes.slice(1)) : null;
  const open = target?.filter((d) => d === null).length ?? 0;
  if (target === null || open > 1 || !('sizes' in outcome)) {
    const why = 'sizes' in outcome ? `${call} gives a tensor of ${outcome.sizes.length} dims, past what the reader lays out` : 'error' in outcome ? outcome.error : outcome.unknown;
    // The framework raises here: an error at the line, and the model is incomplete from this call on.
    if ('error' in outcome) it.report('error', 'invalid', `${call}: ${why}`, node);
    return t.trace.emit({ name: it.scopedName(op), sourceType, source: it.loc(node) }, { parts: [{ type: UNKNOWN_LAYER, args: { reason: 'error' in outcome ? `${call}: ${why}` : why } }] }, [t]);
  }
  // One size tfjs leaves open (Keras' None) is Reshape's -1: the element count fixes it.
  const targetShape = target.map((d) => d ?? -1);
  const name = it.scopedName(framework === 'pytorch' ? op : t.trace.autoName(op));
  return t.trace.emit({ name, sourceType, source: it.loc(node) }, { parts: [{ type: 'Reshape', args: { targetShape } }] }, [t]);
}

/** The batch size this tensor's code states (a dummy tensor's own, or the example the model was run on), else null. */
function statedBatch(t: TensorRef): number | null {
  const example = t.trace.example;
  if (example !== null && example.length > 0) return example[0]!;
  return t.trace.batch;
}
