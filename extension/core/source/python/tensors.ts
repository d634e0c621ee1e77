/**
 * Operations on symbolic tensors outside layer objects: tensor methods and attributes (x.view, x.mean,
 * x.shape), arithmetic between tensors, and the "unsupported" layer for anything the reader cannot translate.
 */
import { field, type ParsedSource, type SyntaxNode, textOf } from '../syntax';
import { type TensorRef, type Translation, UNKNOWN_LAYER } from '../trace';
import type { SourceLocation } from '../../spec';
import { type Args, translateTorchFunction } from '../layers';
import type { PythonInterpreter } from './interpreter';
import { splitTensor } from './tensorSlicing';
import { permuteTensor, transposeTensor } from './permute';
import { squeezeTensor } from './squeeze';
import { extremeOverDim, reduceOverDims } from './stackReduce';
import { expandAs, expandTo } from './expandAs';
import { broadcastsInto, tensorWithParameter } from './torchParameters';
import { ConstTensor } from './constTensors';
import { toFrameworkShape } from '../../report/shapes';
import { exampleArrayMethod } from './kerasData';
import { exampleInputMethod } from './torchExamples';
import { BatchDim, Builtin, ChannelGroups, isSeq, isTensor, KerasWeight, numeric, type PyList, Unknown, type Value } from './values';
import { frameworkSizes, numelOf, rankOf, reshapeSizes, shapeTuple, sizeAt } from './shapes';
import { toArgs, toPlain } from './conversions';
import { shortText } from '../common';
import { floatArgument, type Refusal } from './floatArguments';
import { FLATTEN_METHOD } from '../../layerKnowledge/integerArguments';

/** A tensor passed through something the reader cannot translate: an unsupported layer, shapes unknown after it. */
export function opaque(it: PythonInterpreter, tensor: TensorRef, what: string, node: SyntaxNode, others: readonly TensorRef[] = []): TensorRef {
  const short = shortText(it.text(node));
  it.report('info', 'unsupported', `${what} (${short}) is not translated; shapes after it are unknown`, node);
  const name = it.scopedName(shortName(node, it.source));
  // Every tensor the call takes is an input of its result: the layers that made them ran (PyTorch's hooks see
  // them), even when only the unknown result reaches the output (F.grid_sample(x, grid) of a computed grid).
  const inputs = [tensor, ...others.filter((t, i) => t !== tensor && t.trace === tensor.trace && others.indexOf(t) === i)];
  return tensor.trace.emit(
    { name, sourceType: short, source: it.loc(node) },
    { parts: [{ type: `unsupported: ${short}`, args: {} }] },
    inputs,
  );
}

/** A call on a tensor the framework refuses (F.max_pool2d(x, 2.0)): an error at the call, unknown from it on. */
export function refusedCall(it: PythonInterpreter, t: TensorRef, fn: string, refused: Refusal, node: SyntaxNode): TensorRef {
  it.report('error', 'invalid', refused.message, node);
  return t.trace.emit({ name: it.scopedName(fn), sourceType: fn, source: it.loc(node) }, { parts: [{ type: UNKNOWN_LAYER, args: { reason: refused.message } }] }, [t]);
}

export function scopedName(it: PythonInterpreter, base: string): string {
  const prefix = it.frame?.modulePath;
  return prefix ? `${prefix}.${base}` : base;
}

const TENSOR_MERGES: Record<string, { type: string; torchName: string; kerasName: string }> = {
  '+': { type: 'Add', torchName: 'add', kerasName: 'add' },
  '*': { type: 'Multiply', torchName: 'mul', kerasName: 'multiply' },
  '-': { type: 'Subtract', torchName: 'sub', kerasName: 'subtract' },
  '/': { type: 'Divide', torchName: 'div', kerasName: 'divide' },
};

export function tensorBinary(it: PythonInterpreter, op: string, a: Value, b: Value, node: SyntaxNode): Value {
  if (isTensor(a) && isTensor(b)) {
    // Sums (residuals), products (gates), differences and quotients (a channels-first LayerNorm's
    // (x - u) / torch.sqrt(s + eps)) are broadcasting merges; other tensor arithmetic stays opaque.
    const kind = TENSOR_MERGES[op];
    if (kind === undefined) return it.opaque(a, `tensor ${op} tensor`, node);
    if (a.trace !== b.trace) return new Unknown('tensors of different models');
    const type = kind.type;
    const name = it.scopedName(a.trace.framework === 'pytorch' ? kind.torchName : a.trace.autoName(kind.kerasName));
    return a.trace.emit(
      { name, sourceType: op, source: it.loc(node) },
      { parts: [{ type, args: {}, merge: true }] },
      [a, b],
    );
  }
  // tensor ⊕ number keeps the shape and adds no layer.
  const t = (isTensor(a) ? a : b) as TensorRef;
  const other = isTensor(a) ? b : a;
  if (numeric(other) !== null) return t;
  const withParameter = tensorWithParameter(it, op, t, other, node);
  if (withParameter !== undefined) return withParameter;
  // tensor ⊕ a layer's own weight (Keras' LayerScale x * gamma), a registered buffer (ImageNet's mean and std viewed
  // (1, 3, 1, 1)) or a constant tensor: the shape stays when it broadcasts into the tensor, in the framework's
  // order (a PyTorch buffer's (1, C, 1, 1) against (N, C, H, W)), and it holds no parameters.
  const constant = other instanceof KerasWeight ? other.shape : other instanceof ConstTensor && ARITHMETIC.has(op) ? other.dims : null;
  if (constant) {
    const full = t.trace.framework === 'pytorch' ? toFrameworkShape('pytorch', t.shape) : t.shape && [null, ...t.shape];
    if (full && broadcastsInto(constant, full)) return t;
  }
  // PyTorch's own error, when that is why the value is unknown (bool() of a tensor in `a or b`).
  const raised = other instanceof Unknown && other.reason.startsWith('PyTorch raises') ? ` (${other.reason})` : '';
  return it.opaque(t, `tensor ${op} a value the reader could not evaluate${raised}`, node);
}

const ARITHMETIC = new Set(['+', '-', '*', '/']);

const METHOD_OPERATORS: Record<string, string> = {
  add: '+', add_: '+', sub: '-', sub_: '-', subtract: '-', mul: '*', mul_: '*', multiply: '*', div: '/', div_: '/', divide: '/',
};

export function tensorAttr(it: PythonInterpreter, t: TensorRef, name: string, node: SyntaxNode): Value {
  // The data of a Keras tutorial (keras.datasets arrays) stays the data through .astype / .reshape.
  const ofData = exampleArrayMethod(it, t, name) ?? exampleInputMethod(it, t, name);
  if (ofData !== undefined) return ofData;
  switch (name) {
    case 'shape':
      return shapeTuple(t);
    case 'ndim':
      return rankOf(t);
    case 'size':
      return new Builtin(name, ([, dim], kw) => {
        const d = dim ?? kw.get('dim');
        return d === undefined ? shapeTuple(t) : sizeAt(t, d);
      });
    case 'get_shape':
      return new Builtin(name, () => shapeTuple(t));
    case 'numel':
    case 'nelement':
      return new Builtin(name, () => numelOf(t));
    case 'dim':
    case 'ndimension':
      return new Builtin(name, () => rankOf(t));
    case 'view':
    case 'reshape':
      return new Builtin(name, ([, ...dims]) => reshape(it, t, dims, node));
    case 'chunk':
    case 'split':
      return new Builtin(name, ([, spec, dim], kw) =>
        splitTensor(it, t, name, spec ?? kw.get(name === 'chunk' ? 'chunks' : 'split_size_or_sections') ?? null, dim ?? kw.get('dim') ?? 0, node) ?? it.opaque(t, `tensor.${name}()`, node),
      );
    case 'flatten':
      return new Builtin(name, ([, ...rest], kw) => {
        const refused = floatArgument('pytorch', name, rest, kw, FLATTEN_METHOD);
        if (refused) return refusedCall(it, t, name, refused, node);
        const [start, end] = rest;
        const later = flattenAfterChannels(it, t, start ?? kw.get('start_dim') ?? 0, end ?? kw.get('end_dim') ?? -1, node);
        if (later !== undefined) return later;
        return applyTorchFunction(it, 'flatten', t, { positional: [toPlain(start ?? kw.get('start_dim') ?? 0), toPlain(end ?? kw.get('end_dim') ?? -1)], keywords: new Map() }, node);
      });
    case 'relu':
    case 'relu_':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
    case 'log_softmax':
      return new Builtin(name, () => applyTorchFunction(it, name, t, { positional: [], keywords: new Map() }, node));
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'abs':
    case 'neg':
    case 'pow':
    case 'square':
    case 'clamp':
    case 'clip':
      // Elementwise tensor methods (logvar.exp(), mu.pow(2)): the tensor's shape (layerKnowledge/activations.ts TORCH_ELEMENTWISE).
      return new Builtin(name, ([, ...rest], kw) => applyTorchFunction(it, name, t, toArgs(rest, kw), node));
    case 'expand_as':
      return new Builtin(name, ([, other]) => expandAs(it, t, other, node));
    case 'expand':
      return new Builtin(name, ([, ...sizes]) => expandTo(it, t, sizes, node));
    case 'permute':
      return new Builtin(name, ([, ...dims], kw) => permuteTensor(it, t, dims.length > 0 ? dims : [kw.get('dims') ?? null], node));
    case 'transpose':
    case 'swapaxes':
    case 'swapdims':
      return new Builtin(name, ([, a, b], kw) => transposeTensor(it, t, a ?? kw.get('dim0') ?? null, b ?? kw.get('dim1') ?? null, node));
    case 'squeeze':
    case 'unsqueeze':
      return new Builtin(name, ([, dim], kw) => squeezeTensor(it, name, t, dim ?? kw.get('dim'), node));
    case 'mean':
      return new Builtin(name, ([, dims, keep], kw) => meanOver(it, t, dims ?? kw.get('dim') ?? null, keep ?? kw.get('keepdim') ?? false, node));
    case 'sum':
      return new Builtin(name, ([, dims, keep], kw) => reduceOverDims(it, t, 'sum', dims ?? kw.get('dim') ?? null, keep ?? kw.get('keepdim') ?? false, node) ?? it.opaque(t, 'tensor.sum() of every element', node));
    case 'norm':
      // x.norm(p, dim, keepdim): p comes first; over a named dim the shape is a sum's (values are never used).
      return new Builtin(name, ([, , dims, keep], kw) => reduceOverDims(it, t, 'sum', dims ?? kw.get('dim') ?? null, keep ?? kw.get('keepdim') ?? false, node) ?? it.opaque(t, 'tensor.norm() of every element', node));
    case 'max':
    case 'min':
    case 'amax':
    case 'amin':
      return new Builtin(name, ([, ...rest], kw) => extremeOverDim(it, t, name, rest, kw, node) ?? it.opaque(t, `tensor.${name}()`, node));
    case 'contiguous':
    case 'clone':
    case 'detach':
    case 'to':
    case 'cuda':
    case 'cpu':
    case 'float':
    case 'double':
    case 'half':
    case 'type_as':
      return new Builtin(name, () => t);
    default: {
      // x.mul(y), x.add_(y): the operator, in place or not (alpha= scales, the shape is the operator's).
      const op = METHOD_OPERATORS[name];
      if (op) return new Builtin(name, ([, other]) => (other === undefined ? it.opaque(t, `tensor.${name}() without an operand`, node) : tensorBinary(it, op, t, other, node)));
      return new Builtin(name, () => it.opaque(t, `tensor.${name}()`, node));
    }
  }
}

export function reshape(it: PythonInterpreter, t: TensorRef, dims: Value[], node: SyntaxNode): Value {
  let list = dims;
  if (list.length === 1 && isSeq(list[0]!)) list = (list[0] as PyList).items;
  const head = list[0];
  // The batch axis: PyTorch's x.size(0), -1, or a dummy tensor's own batch size.
  // Only the batch itself leads: x.view(x.size(0) * heads, -1) is (heads x N, ...), which the engine cannot show.
  const batchFirst = (head instanceof BatchDim && !head.derived) || head === -1 || (t.trace.example !== null && head === t.trace.example[0]);
  const rest = list.slice(1);
  if (batchFirst && rest.length === 1 && rest[0] === -1) return applyTorchFunction(it, 'flatten', t, { positional: [1, -1], keywords: new Map() }, node);
  const grouped = groupedView(t, batchFirst, rest, it.loc(node));
  if (grouped) return grouped;
  // One -1 among the sizes after the batch (timm's RadixSoftmax: x.view(batch, cardinality, radix, -1)) is what
  // the sample's element count leaves, as PyTorch infers it; sizes that do not fit stay unknown.
  const inferred = batchFirst && head !== -1 && rest.includes(-1) ? inferSizes(t, rest) : null;
  if (inferred) return reshape(it, t, [head!, ...inferred], node);
  if (batchFirst && rest.every((d) => typeof d === 'number' && d > 0)) {
    const r = rest as number[];
    // The engine's layouts (report/shapes.ts): PyTorch's C,H,W is H,W,C and C,D,H,W is D,H,W,C.
    const pytorch = t.trace.framework === 'pytorch';
    const target = pytorch && r.length === 3 ? [r[1]!, r[2]!, r[0]!] : pytorch && r.length === 4 ? [r[1]!, r[2]!, r[3]!, r[0]!] : r;
    const name = it.scopedName(t.trace.framework === 'pytorch' ? 'view' : t.trace.autoName('reshape'));
    return t.trace.emit(
      { name, sourceType: 'view', source: it.loc(node) },
      { parts: [{ type: 'Reshape', args: { targetShape: target } }] },
      [t],
    );
  }
  return it.opaque(t, 'a reshape the reader could not evaluate', node);
}

/** x.mean(dims) / x.sum(dims) over H and W: the same shape either way (a sum is the mean times H·W). */
export function meanOver(it: PythonInterpreter, t: TensorRef, dims: Value, keepdim: Value, node: SyntaxNode, fn: 'mean' | 'sum' = 'mean'): Value {
  const d = isSeq(dims) ? dims.items : null;
  // (N, C, H, W) over H and W, in any order or sign: a global average pool, keeping (C, 1, 1) with keepdim.
  const axes = t.rank === 3 && d !== null && d.every((x) => typeof x === 'number' && x >= -4 && x < 4) ? new Set(d.map((x) => ((x as number) + 4) % 4)) : null;
  const overHW = d?.length === 2 && axes?.size === 2 && axes.has(2) && axes.has(3);
  if (overHW && typeof keepdim === 'boolean') {
    const translation: Translation = { parts: [{ type: 'GlobalAveragePooling2D', args: keepdim ? { keepDims: true } : {} }] };
    return t.trace.emit({ name: it.scopedName(fn), sourceType: fn, source: it.loc(node) }, translation, [t]);
  }
  if (overHW) return it.opaque(t, `a ${fn} whose keepdim the reader could not evaluate`, node);
  // Over other dims (the paths of a stacked (N, paths, C, H, W)): a reduction the pooling layers do not cover.
  return reduceOverDims(it, t, fn === 'sum' ? 'sum' : 'mean', dims, keepdim, node) ?? it.opaque(t, `a ${fn} over these axes`, node);
}

/**
 * x.flatten(2) / torch.flatten(x, 2) of a PyTorch (N, C, H, W) map: (N, C, H·W), the patch embedding of ViT and
 * MLP-Mixer; any start_dim ≥ 2 (and end_dim) is the reshape to those sizes, read as view(N, C, -1) is.
 * Undefined for start_dim 0 or 1 (the Flatten layer) or sizes the reader does not know.
 */
export function flattenAfterChannels(it: PythonInterpreter, t: TensorRef, start: Value, end: Value, node: SyntaxNode): Value | undefined {
  if (t.trace.framework !== 'pytorch' || typeof start !== 'number' || typeof end !== 'number') return undefined;
  const sizes = frameworkSizes(t);
  if (!sizes) return undefined;
  const rank = sizes.length;
  const [from, to] = [start < 0 ? start + rank : start, end < 0 ? end + rank : end];
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 2 || to < from || to >= rank) return undefined;
  const merged = sizes.slice(from, to + 1);
  if (!merged.every((d): d is number => typeof d === 'number')) return undefined;
  return reshape(it, t, [...sizes.slice(0, from), merged.reduce((a, d) => a * d, 1), ...sizes.slice(to + 1)], node);
}

/** `others`: the call's other tensor arguments, inputs of its result when the reader cannot translate it. */
export function applyTorchFunction(it: PythonInterpreter, fn: string, t: TensorRef, args: Args, node: SyntaxNode, others: readonly TensorRef[] = []): Value {
  const r = translateTorchFunction(fn, args, [t]);
  if (r === null) return it.opaque(t, `${fn}()`, node, others);
  if ('unsupported' in r) return it.opaque(t, r.unsupported, node, others);
  return t.trace.emit({ name: it.scopedName(fn.replace(/_$/, '')), sourceType: fn, source: it.loc(node) }, r, [t]);
}

function shortName(node: SyntaxNode, source: ParsedSource): string {
  if (node.type === 'call') {
    const fn = field(node, 'function');
    if (fn) {
      const t = textOf(source, fn);
      return t.split('.').pop()!.replace(/[^A-Za-z0-9_]/g, '') || 'op';
    }
  }
  return 'op';
}

/** The sizes after the batch with their one -1 resolved from the sample's element count; null when unknown or not fitting. */
function inferSizes(t: TensorRef, rest: Value[]): number[] | null {
  if (t.shape === null || !t.shape.every((d): d is number => typeof d === 'number')) return null;
  const sizes = reshapeSizes(t.shape.reduce((a, d) => a * d, 1), rest);
  return Array.isArray(sizes) ? sizes : null;
}

/** view(N, g, C/g, H, W) of a PyTorch (N, C, H, W) tensor: the first step of a channel shuffle. */
function groupedView(t: TensorRef, batchFirst: boolean, rest: Value[], at: SourceLocation): ChannelGroups | null {
  if (!batchFirst || t.trace.framework !== 'pytorch' || t.shape === null || t.shape.length !== 3 || rest.length !== 4) return null;
  const [h, w, c] = t.shape;
  const [g, perGroup, vh, vw] = rest;
  if (typeof g !== 'number' || typeof perGroup !== 'number' || g <= 1 || g * perGroup !== c || vh !== h || vw !== w) return null;
  return new ChannelGroups(t, g, false, at);
}

/** Methods of a grouped view: swapping the group axes, then viewing back to (N, C, H, W), is a ChannelShuffle. */
export function channelGroupsAttr(it: PythonInterpreter, v: ChannelGroups, name: string, node: SyntaxNode): Value {
  const swap = (a: Value, b: Value): boolean => (a === 1 && b === 2) || (a === 2 && b === 1) || (a === -4 && b === -3);
  switch (name) {
    case 'transpose':
      return new Builtin(name, ([, a, b]) => (swap(a ?? null, b ?? null) ? new ChannelGroups(v.tensor, v.groups, !v.swapped) : it.opaque(v.tensor, 'a transpose of a grouped view', node)));
    case 'permute':
      return new Builtin(name, ([, ...dims]) => {
        const d = dims.length === 1 && isSeq(dims[0]!) ? (dims[0] as PyList).items : dims;
        const order = d.map((x) => (typeof x === 'number' ? x : null)).join(',');
        return order === '0,2,1,3,4' ? new ChannelGroups(v.tensor, v.groups, !v.swapped) : it.opaque(v.tensor, 'a permute of a grouped view', node);
      });
    case 'contiguous':
      return new Builtin(name, () => v);
    case 'view':
    case 'reshape':
    case 'flatten':
      return new Builtin(name, ([, ...dims]) => {
        const [h, w, c] = v.tensor.shape!;
        const d = dims.length === 1 && isSeq(dims[0]!) ? (dims[0] as PyList).items : dims;
        const back = name === 'flatten' ? d.length === 2 && d[0] === 1 && d[1] === 2 : d.length === 4 && (d[1] === c || d[1] === -1) && d[2] === h && d[3] === w;
        if (!back) return it.opaque(v.tensor, `a ${name} of a grouped view`, node);
        if (!v.swapped) return v.tensor; // viewed back unchanged: the same tensor
        return v.tensor.trace.emit(
          { name: it.scopedName('channel_shuffle'), sourceType: 'channel_shuffle', source: it.loc(node) },
          { parts: [{ type: 'ChannelShuffle', args: { groups: v.groups } }] },
          [v.tensor],
        );
      });
    default:
      // Anything else (timm's SKNet: torch.softmax over the groups) sees the view as the 5-D tensor it is.
      return tensorAttr(it, groupedTensor(it, v, node), name, node);
  }
}

/**
 * A grouped view as the 5-D tensor it is: (N, g, C/g, H, W), or (N, C/g, g, H, W) once its group axes are
 * swapped, held in the engine's layout for (N, A, B, H, W), (B, H, W, A); a view row at the call that uses it.
 */
export function groupedTensor(it: PythonInterpreter, v: ChannelGroups, node: SyntaxNode): TensorRef {
  const made = asTensor.get(v);
  if (made) return made; // used twice (summed, then multiplied): one view
  const [h, w, c] = v.tensor.shape!;
  const perGroup = c! / v.groups;
  const [a, b] = v.swapped ? [perGroup, v.groups] : [v.groups, perGroup];
  const source = !v.swapped && v.viewedAt ? v.viewedAt : it.loc(node);
  const out = v.tensor.trace.emit({ name: it.scopedName('view'), sourceType: 'view', source }, { parts: [{ type: 'Reshape', args: { targetShape: [b, h, w, a] } }] }, [v.tensor]);
  asTensor.set(v, out);
  return out;
}

const asTensor = new WeakMap<ChannelGroups, TensorRef>();
