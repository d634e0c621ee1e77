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
/** New sizes (batch first), or why they cannot be shown (`error`: the framework itself raises, in its words). */
type Outcome = { sizes: Sizes } | { unknown: string } | { error: string };

/**
 * Where the three APIs differ, each in its own words (torch 2.13, Keras 3.15, TF 2.21, as
 * scripts/reference/squeeze_reference.py printed them); `rank` is the tensor's, batch included.
 */
interface Rules {
  squeezeRange(dim: number, rank: number): string;
  expandRange(dim: number, rank: number): string;
  /** A named dim whose size is not 1: PyTorch leaves it, Keras and TF raise. */
  notOne: ((dim: number, index: number, size: number | null) => string) | null;
  /** A named dim of open size (Keras' None, PyTorch's unstated batch): Keras raises, TF takes it to be 1, PyTorch decides at run time. */
  openNamed: 'raise' | 'remove' | 'unknown';
  /** squeeze() of every size-1 dim meeting an open size: Keras keeps it; TF's shape is then unknown. */
  openInSqueezeAll: 'keep' | 'unknown';
}

const TORCH_RANGE = (dim: number, low: number, high: number): string => `Dimension out of range (expected to be in range of [${low}, ${high}], but got ${dim})`;

export const RULES: Record<'torch' | 'keras' | 'tf', Rules> = {
  torch: {
    squeezeRange: (d, r) => TORCH_RANGE(d, -r, r - 1),
    expandRange: (d, r) => TORCH_RANGE(d, -r - 1, r),
    notOne: null,
    openNamed: 'unknown',
    openInSqueezeAll: 'unknown',
  },
  keras: {
    squeezeRange: () => 'list index out of range',
    expandRange: (d, r) => `axis ${d} is out of bounds for an array with dimension ${r + 1}.`,
    notOne: (d) => `Cannot squeeze axis ${d}, because the dimension is not 1.`,
    openNamed: 'raise',
    openInSqueezeAll: 'keep',
  },
  tf: {
    squeezeRange: (_d, r) => `squeeze_dims[0] not in [${-r},${r}).`,
    expandRange: (d, r) => `dim ${d} not in the interval [${-r - 1}, ${r}].`,
    notOne: (_d, i, size) => `Can not squeeze dim[${i}], expected a dimension of 1, got ${size}`,
    openNamed: 'remove',
    openInSqueezeAll: 'unknown',
  },
};

/** `dims` null squeezes every size-1 dim; sizes[0] is the batch, null when the code does not state it. */
function squeezed(rules: Rules, sizes: Sizes, dims: number[] | null, call: string): Outcome {
  const rank = sizes.length;
  const which: number[] = [];
  for (const d of dims ?? sizes.map((_, i) => i)) {
    if (d < -rank || d >= rank) return { error: rules.squeezeRange(d, rank) };
    const i = d < 0 ? d + rank : d;
    if (which.includes(i)) return rules === RULES.torch ? { error: `dim ${i} appears multiple times in the list of dims` } : { unknown: `${call} names dim ${i} twice` };
    which.push(i);
  }
  const drop = new Set<number>();
  for (const [n, i] of which.entries()) {
    const size = sizes[i]!;
    const open = dims === null ? rules.openInSqueezeAll : rules.openNamed;
    if (size === null && open === 'raise') return { error: rules.notOne!(dims![n]!, i, size) };
    if (size === null && open === 'unknown') {
      // Removed only when its size is 1 at run time: a size the reader does not know decides nothing.
      return { unknown: i === 0 ? `${call} removes the batch dim when the batch is 1, and the code does not state the batch size` : `${call}: whether dim ${i} has size 1 is not known` };
    }
    if (size === 1 || (size === null && open === 'remove')) {
      if (i === 0) return { unknown: `${call} removes the batch dim (a batch of 1), which the report cannot show` };
      drop.add(i);
    } else if (size !== null && dims !== null && rules.notOne) return { error: rules.notOne(dims[n]!, i, size) };
  }
  return { sizes: sizes.filter((_, i) => !drop.has(i)) };
}

function unsqueezed(rules: Rules, sizes: Sizes, dim: number, call: string): Outcome {
  const rank = sizes.length;
  if (dim < -rank - 1 || dim > rank) return { error: rules.expandRange(dim, rank) };
  const i = dim < 0 ? dim + rank + 1 : dim;
  if (i === 0) return { unknown: `${call} puts a new dim before the batch, which the report cannot show` };
  return { sizes: [...sizes.slice(0, i), 1, ...sizes.slice(i)] };
}

/** The engine shape (no batch) that holds a sample of these framework sizes; null past what the engine lays out. */
export function engineShape(t: TensorRef, sample: Sizes): Sizes | null {
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
 * `x.squeeze(dim)` (`op` 'squeeze', `dim` undefined or None for every size-1 dim) or `x.unsqueeze(dim)`
 * ('unsqueeze', Keras/TF expand_dims), by `rules`; `sourceType` names the row as the code wrote it.
 */
export function squeezeTensor(it: PythonInterpreter, op: 'squeeze' | 'unsqueeze', t: TensorRef, dim: Value | undefined, node: SyntaxNode, rules: Rules = RULES.torch, sourceType: string = op): Value {
  const framework = t.trace.framework;
  const full = toFrameworkShape(framework, t.shape);
  if (full === null) return it.opaque(t, `${op}() of a tensor whose shape is unknown`, node);
  if (framework === 'pytorch') full[0] = statedBatch(t);
  const dims = dimList(dim);
  if (dims === undefined || (op === 'unsqueeze' && dims?.length !== 1)) return it.opaque(t, `a ${sourceType} whose dim the reader could not evaluate`, node);
  const call = `${sourceType}(${dims === null ? '' : dims.join(', ')})`;
  const outcome = op === 'squeeze' ? squeezed(rules, full, dims, call) : unsqueezed(rules, full, dims![0]!, call);
  if ('sizes' in outcome && outcome.sizes.length === full.length) return t; // nothing removed: the same tensor, no row
  const target = 'sizes' in outcome ? engineShape(t, outcome.sizes.slice(1)) : null;
  const open = target?.filter((d) => d === null).length ?? 0;
  if (target === null || open > 1) {
    const why = 'sizes' in outcome ? `${call} gives sizes (${outcome.sizes.map((d) => d ?? 'None').join(', ')}), which the reader cannot lay out` : 'error' in outcome ? `${call}: ${outcome.error}` : outcome.unknown;
    // The framework raises here: an error at the line, and the model is incomplete from this call on.
    if ('error' in outcome) it.report('error', 'invalid', why, node);
    return t.trace.emit({ name: it.scopedName(op), sourceType, source: it.loc(node) }, { parts: [{ type: UNKNOWN_LAYER, args: { reason: why } }] }, [t]);
  }
  // One size tfjs leaves open (Keras' None) is Reshape's -1: the element count fixes it.
  const targetShape = target.map((d) => d ?? -1);
  const name = it.scopedName(framework === 'pytorch' ? op : t.trace.autoName(op === 'squeeze' ? 'squeeze' : 'expand_dims'));
  // Shown by the op's name (PyTorch rows are named by sourceType already), not as the Reshape that computes it.
  const shownAs = framework === 'pytorch' ? {} : { frameworkType: sourceType };
  return t.trace.emit({ name, sourceType, source: it.loc(node) }, { parts: [{ type: 'Reshape', args: { targetShape }, ...shownAs }] }, [t]);
}

/** The batch size the code states for this tensor (a dummy tensor's own, or the example the model ran on), else null. */
function statedBatch(t: TensorRef): number | null {
  const example = t.trace.example;
  if (example !== null && example.length > 0) return example[0]!;
  return t.trace.batch;
}
