/**
 * Convolutions PyTorch code runs functionally on a module's own state: `F.conv2d(x, self.weight, self.bias,
 * self.stride, ...)` in an nn.Conv2d subclass (timm's Conv2dSame, StdConv2d / ScaledStdConv2d, a user's
 * weight-standardised WSConv2d), on a module's own nn.Parameter kernel, or on a buffer (timm's BlurPool2d
 * `register_buffer('filt', ...)`).
 *
 * The module's weights, parameters and buffers are values of known sizes (KerasWeight, in PyTorch's order),
 * and the code's arithmetic on them is followed for its sizes only: reshape/view/reshape_as, mean/std/sum with
 * or without keepdim, elementwise ops and broadcasting, F.batch_norm / F.normalize over them. Each value
 * remembers the state it was computed from (`Origin`), so the convolution on it is
 *   - the subclass's own layer (its parameters once, as model.parameters() counts them) when the weight was
 *     computed from that layer's weight and provably has that weight's sizes; a weight of other sizes is
 *     unknown with the reason, never guessed;
 *   - otherwise a convolution by a kernel of those sizes, carrying the nn.Parameters it was computed from
 *     (each once) and nothing for buffers, which are no parameters.
 * The call's own stride/padding/dilation/groups (positional or keyword) decide the shape, as F.conv2d does.
 */
import type { SyntaxNode } from '../syntax';
import { torchModule } from '../../layerKnowledge/index';
import type { Args, Plain } from '../layerArgs';
import type { TensorRef } from '../trace';
import type { PythonInterpreter } from './interpreter';
import { convWeightShape, ownerOf } from './layerSubclassForward';
import { firstUseOfParameter, TorchParameter } from './torchParameters';
import { ConstTensor } from './constTensors';
import { exampleDims, frameworkSizes, reshapeSizes } from './shapes';
import { toPlain } from './conversions';
import { Builtin, isSeq, isTensor, KerasWeight, numeric, type LayerObj, type PyList, PyObj, PyTuple, Unknown, type Value, isModuleLike } from './values';

/** A module's buffer (register_buffer): a tensor of known sizes that model.parameters() does not count. */
export class TorchBuffer extends KerasWeight {}

/** The module state a weight value was computed from. */
interface Origin {
  /** The layer subclass (and its object) whose own weight or bias it came from. */
  owners: { obj: PyObj; layer: LayerObj }[];
  params: TorchParameter[];
}

const origins = new WeakMap<KerasWeight, Origin>();

/** Where a PyTorch-side weight came from; undefined for a Keras layer's add_weight. */
function originOf(w: KerasWeight): Origin | undefined {
  const known = origins.get(w);
  if (known) return known;
  const owner = ownerOf(w);
  if (owner) return { owners: [owner], params: [] };
  // A view of a parameter (self.gamma.reshape(…)) is the parameter.
  if (w instanceof TorchParameter) return { owners: [], params: [w.base] };
  if (w instanceof TorchBuffer) return { owners: [], params: [] };
  return undefined;
}

/** A PyTorch module's weight, parameter or buffer, or a value computed from them. */
export function isTorchWeight(v: Value | undefined): v is KerasWeight {
  return v instanceof KerasWeight && originOf(v) !== undefined;
}

function derive(shape: number[] | null, from: KerasWeight[]): KerasWeight {
  const w = new KerasWeight(shape, true, 'derived');
  const owners = new Set<{ obj: PyObj; layer: LayerObj }>();
  const layers = new Set<LayerObj>();
  const params = new Set<TorchParameter>();
  for (const f of from) {
    const o = originOf(f);
    for (const x of o?.owners ?? []) if (!layers.has(x.layer)) (layers.add(x.layer), owners.add(x));
    for (const p of o?.params ?? []) params.add(p);
  }
  origins.set(w, { owners: [...owners], params: [...params] });
  return w;
}

const numel = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** NumPy's broadcasting of two shapes; null when they do not broadcast. */
function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** `w op v` / `v op w` for a module weight w and a number or another weight: the broadcast sizes. */
export function weightBinary(op: string, a: Value, b: Value): Value | undefined {
  if (!isTorchWeight(a) && !isTorchWeight(b)) return undefined;
  const shapeOf = (v: Value): number[] | null | undefined => (numeric(v) !== null ? [] : v instanceof KerasWeight ? v.shape : undefined);
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  if (sa === undefined || sb === undefined) return new Unknown(`${op} of a module weight and a value the reader could not evaluate`);
  if (sa === null || sb === null) return derive(null, [a, b].filter((v): v is KerasWeight => v instanceof KerasWeight));
  const shape = broadcast(sa, sb);
  if (shape === null) return new Unknown(`${op} of weights of sizes (${sa.join(', ')}) and (${sb.join(', ')}) that do not broadcast`);
  return derive(shape, [a, b].filter((v): v is KerasWeight => v instanceof KerasWeight));
}

/** `w[i]`: the weight without its first axis. */
export function indexWeight(w: Value, index: Value): Value | undefined {
  if (!isTorchWeight(w)) return undefined;
  if (w.shape === null || w.shape.length === 0 || typeof index !== 'number' || !Number.isInteger(index)) return new Unknown('an index into a module weight');
  if (index >= w.shape[0]! || index < -w.shape[0]!) return new Unknown('index out of range');
  return derive(w.shape.slice(1), [w]);
}

/** Methods that keep a weight's sizes (a scalar argument, if any, changes none). */
const ELEMENTWISE = new Set([
  'abs', 'sqrt', 'rsqrt', 'exp', 'log', 'neg', 'sign', 'tanh', 'sigmoid', 'relu', 'square', 'pow', 'clamp', 'clip',
  'clamp_min', 'clamp_max', 'reciprocal', 'softmax', 'log_softmax', 'detach', 'clone', 'contiguous', 'float',
  'double', 'half', 'to', 'cpu', 'cuda', 'type_as',
]);
/** In-place methods that leave the weight itself (its sizes) as it was: init's fills, copy_ of same-sized data. */
const IN_PLACE = new Set(['requires_grad_', 'clamp_', 'abs_', 'neg_', 'normal_', 'uniform_', 'zero_', 'fill_', 'copy_']);
/** w.mul(v) / w.add_(v) ...: arithmetic with another value, broadcast as `w * v` is. */
const ARITHMETIC: Record<string, string> = { mul: '*', mul_: '*', add: '+', add_: '+', sub: '-', sub_: '-', div: '/', div_: '/', true_divide: '/' };
const REDUCE = new Set(['mean', 'std', 'var', 'sum', 'amax', 'amin', 'norm', 'prod']);

/** Attributes and methods of a module weight; undefined for a Keras weight. */
export function weightAttr(w: KerasWeight, name: string): Value | undefined {
  if (!isTorchWeight(w)) return undefined;
  const s = w.shape;
  const unknown = (): Unknown => new Unknown(`${name} of a module weight whose sizes the reader could not evaluate`);
  switch (name) {
    case 'shape':
      return s ? new PyTuple([...s]) : unknown();
    case 'ndim':
      return s ? s.length : unknown();
    case 'data':
      return w;
    case 'requires_grad':
      return !(w instanceof TorchBuffer);
    case 'size':
      return new Builtin(name, ([, dim], kw) => {
        if (!s) return unknown();
        const d = dim ?? kw.get('dim');
        if (d === undefined) return new PyTuple([...s]);
        return typeof d === 'number' && Number.isInteger(d) && d < s.length && d >= -s.length ? s[d < 0 ? s.length + d : d]! : new Unknown('a weight size at an index the reader could not evaluate');
      });
    case 'dim':
    case 'ndimension':
      return new Builtin(name, () => (s ? s.length : unknown()));
    case 'numel':
    case 'nelement':
      return new Builtin(name, () => (s ? numel(s) : unknown()));
    case 'view':
    case 'reshape':
      return new Builtin(name, ([, ...dims]) => reshapeWeight(w, dims.length === 1 && isSeq(dims[0]!) ? (dims[0] as PyList).items : dims));
    case 'view_as':
    case 'reshape_as':
    case 'expand_as':
      return new Builtin(name, ([, other]) => {
        const target = other instanceof KerasWeight ? other.shape : other !== undefined && isTensor(other) ? null : undefined;
        if (!target || !s) return new Unknown(`${name} of a module weight to a value whose sizes the reader could not evaluate`);
        if (name === 'expand_as' ? broadcast(s, target)?.join() !== target.join() : numel(s) !== numel(target)) return new Unknown(`${name} to sizes (${target.join(', ')}) that do not fit a weight of (${s.join(', ')})`);
        return derive([...target], other instanceof KerasWeight ? [w, other] : [w]);
      });
    case 'flatten':
      return new Builtin(name, ([, start, end], kw) => {
        if (!s) return unknown();
        const a = axis(start ?? kw.get('start_dim') ?? 0, s.length);
        const b = axis(end ?? kw.get('end_dim') ?? -1, s.length);
        if (a === null || b === null || b < a) return s.length === 0 ? derive([1], [w]) : new Unknown('flatten of a module weight over axes the reader could not evaluate');
        return derive([...s.slice(0, a), numel(s.slice(a, b + 1)), ...s.slice(b + 1)], [w]);
      });
    case 'permute':
      return new Builtin(name, ([, ...dims]) => {
        const order = (dims.length === 1 && isSeq(dims[0]!) ? (dims[0] as PyList).items : dims).map((d) => (s ? axis(d, s.length) : null));
        if (!s || order.length !== s.length || order.some((d) => d === null) || new Set(order).size !== s.length) return new Unknown('permute of a module weight the reader could not evaluate');
        return derive(order.map((d) => s[d!]!), [w]);
      });
    case 'transpose':
    case 't':
      return new Builtin(name, ([, d0, d1]) => {
        if (!s) return unknown();
        const a = name === 't' ? 0 : axis(d0 ?? null, s.length);
        const b = name === 't' ? Math.min(1, s.length - 1) : axis(d1 ?? null, s.length);
        if (a === null || b === null) return new Unknown('transpose of a module weight over axes the reader could not evaluate');
        const out = [...s];
        [out[a], out[b]] = [out[b]!, out[a]!];
        return derive(out, [w]);
      });
    case 'expand':
    case 'repeat':
      return new Builtin(name, ([, ...dims]) => {
        const list = dims.length === 1 && isSeq(dims[0]!) ? (dims[0] as PyList).items : dims;
        if (!s || !list.every((d): d is number => typeof d === 'number' && Number.isInteger(d)) || list.length < s.length) return new Unknown(`${name} of a module weight to sizes the reader could not evaluate`);
        const lead = list.length - s.length;
        const out = list.map((d, i) => {
          const own = i < lead ? 1 : s[i - lead]!;
          return name === 'repeat' ? own * d : d === -1 ? own : own === 1 || own === d ? d : Number.NaN;
        });
        return out.every((d) => d > 0) ? derive(out, [w]) : new Unknown(`expand of a weight of sizes (${s.join(', ')}) to (${list.join(', ')})`);
      });
    default:
      if (IN_PLACE.has(name)) return new Builtin(name, () => w);
      if (ELEMENTWISE.has(name)) return new Builtin(name, () => derive(s ? [...s] : null, [w]));
      if (ARITHMETIC[name]) return new Builtin(name, ([, other]) => (other === undefined ? new Unknown(`weight.${name}()`) : weightBinary(ARITHMETIC[name]!, w, other)!));
      if (REDUCE.has(name)) return new Builtin(name, ([, ...rest], kw) => reduceWeight(w, name, rest, kw));
      return new Unknown(`weight.${name}`);
  }
}

/** A dimension index into `rank` axes, negative counted from the end; null when not one. */
function axis(d: Value, rank: number): number | null {
  if (typeof d !== 'number' || !Number.isInteger(d) || d >= rank || d < -rank) return null;
  return d < 0 ? rank + d : d;
}

function reshapeWeight(w: KerasWeight, dims: Value[]): Value {
  const s = w.shape;
  const out = s ? reshapeSizes(numel(s), dims) : 'unreadable';
  if (out === 'unreadable') return new Unknown('a reshape of a module weight the reader could not evaluate');
  if (out === 'mismatch') return new Unknown(`a reshape of a weight of sizes (${s!.join(', ')}) to (${dims.join(', ')})`);
  return derive(out, [w]);
}

/** mean/std/var/sum/amax/amin/norm/prod over `dim` (all when None), keeping reduced axes as 1 with keepdim. */
function reduceWeight(w: KerasWeight, name: string, rest: Value[], kw: Map<string, Value>): Value {
  const s = w.shape;
  if (!s) return new Unknown(`${name} of a module weight whose sizes the reader could not evaluate`);
  // norm(p, dim, keepdim); std/var(dim, unbiased, keepdim); the others (dim, keepdim).
  const at = name === 'norm' ? 1 : 0;
  const dim = kw.get('dim') ?? rest[at] ?? null;
  const keep = kw.get('keepdim') ?? rest[name === 'std' || name === 'var' ? 2 : at + 1] ?? false;
  if (typeof keep !== 'boolean') return new Unknown(`${name} of a module weight with a keepdim the reader could not evaluate`);
  const list = dim === null ? s.map((_d, i) => i) : isSeq(dim) ? dim.items : [dim];
  const axes = list.map((d) => axis(d, s.length));
  if (axes.some((a) => a === null)) return new Unknown(`${name} of a module weight over axes the reader could not evaluate`);
  const out = s.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
  return derive(out, [w]);
}

/** F.batch_norm / F.layer_norm / F.normalize / F.group_norm of a weight keep its sizes; torch.<op>(w, ...) is w.<op>(...). */
const SHAPE_KEEPING = new Set(['batch_norm', 'instance_norm', 'layer_norm', 'group_norm', 'normalize', 'dropout']);

/** Functions on module weights, and F.conv1d/2d/3d of a tensor by one; undefined for anything else. */
export function callOnWeights(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  const dot = path.lastIndexOf('.');
  const owner = path.slice(0, dot);
  const fn = path.slice(dot + 1);
  if (owner !== 'torch' && owner !== 'torch.nn.functional') return undefined;
  const conv = /^conv([123])d$/.exec(fn);
  const first = args[0] ?? kwargs.get('input');
  if (conv && first !== undefined && isTensor(first)) return convolve(it, Number(conv[1]), first, args, kwargs, node);
  if (!isTorchWeight(first)) return undefined;
  if (SHAPE_KEEPING.has(fn)) {
    const others = [...args.slice(1), ...kwargs.values()].filter(isTorchWeight);
    return derive(first.shape ? [...first.shape] : null, [first, ...others]);
  }
  const method = weightAttr(first, fn);
  if (method instanceof Builtin) return method.fn([first, ...args.slice(1)], kwargs, node);
  return undefined;
}

/** register_buffer(name, tensor, persistent=True): the attribute is a buffer of the tensor's sizes. */
export function registerBuffer(obj: PyObj): Builtin {
  return new Builtin('register_buffer', ([, name, tensor]) => {
    if (typeof name !== 'string') return new Unknown('register_buffer with a name the reader could not evaluate');
    obj.attrs.set(name, tensor === undefined ? new Unknown('register_buffer without a tensor') : bufferOf(tensor));
    return null;
  });
}

function bufferOf(t: Value): Value {
  if (t === null) return null;
  if (t instanceof ConstTensor) return new TorchBuffer(t.dims, false, 'buffer');
  if (t instanceof KerasWeight) return new TorchBuffer(t.shape, false, 'buffer');
  const sizes = isTensor(t) && t.trace.example !== null ? frameworkSizes(t) : null;
  if (sizes && sizes.every((d): d is number => typeof d === 'number')) return new TorchBuffer(sizes, false, 'buffer');
  return new Unknown('a buffer of a tensor whose sizes the reader could not evaluate');
}

/** F.conv{n}d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1). */
function convolve(it: PythonInterpreter, n: number, x: TensorRef, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const fn = `F.conv${n}d`;
  const at = (i: number, name: string): Value | undefined => (i < args.length ? args[i] : kwargs.get(name));
  const weight = at(1, 'weight');
  const bias = at(2, 'bias') ?? null;
  // A tensor the code made itself (torch.ones(c, 1, 3, 3) / 9 kept as a plain attribute): a constant kernel.
  const madeDims = weight !== undefined && isTensor(weight) && weight.trace !== x.trace ? exampleDims(weight) : null;
  const shape = madeDims ?? (isTorchWeight(weight) ? weight.shape : null);
  if (shape === null) {
    const why = weight instanceof Unknown ? ` (${weight.reason})` : isTorchWeight(weight) ? ' whose sizes the reader could not evaluate' : '';
    return it.opaque(x, `${fn} by a weight the reader could not follow${why}`, node);
  }
  if (shape.length !== n + 2) return it.opaque(x, `${fn} by a weight of sizes (${shape.join(', ')}), not ${n + 2}-D`, node);
  if (bias !== null && !(isTorchWeight(bias) && bias.shape !== null && bias.shape.length === 1 && bias.shape[0] === shape[0])) {
    return it.opaque(x, `${fn} with a bias the reader could not follow`, node);
  }
  const weightOrigin = isTorchWeight(weight) ? originOf(weight)! : { owners: [], params: [] };
  const biasOrigin = bias === null ? { owners: [], params: [] } : originOf(bias)!;
  const owners = [...new Set([...weightOrigin.owners, ...biasOrigin.owners].map((o) => o.layer))];
  const own = weightOrigin.owners[0] ?? biasOrigin.owners[0];
  if (owners.length > 1) return it.opaque(x, `${fn} by weights of several layers`, node);
  if (own) {
    const expected = convWeightShape(own.layer);
    // Only the layer's own weight, or one computed from it with its very sizes, is that layer's convolution.
    if (expected === null || weightOrigin.owners.length === 0 || expected.join() !== shape.join()) {
      const from = own.obj.path ?? own.obj.cls.name;
      return it.opaque(x, `${fn} by a weight computed from ${from}.weight${expected ? ` (${expected.join(', ')})` : ''} with sizes (${shape.join(', ')}), not the layer's own`, node);
    }
  }
  const groups = at(6, 'groups') ?? 1;
  const keywords = new Map<string, Plain>([
    ['in_channels', typeof groups === 'number' ? shape[1]! * groups : null],
    ['out_channels', shape[0]!],
    ['kernel_size', shape.slice(2)],
    ['stride', toPlain(at(3, 'stride') ?? 1)],
    ['padding', toPlain(at(4, 'padding') ?? 0)],
    ['dilation', toPlain(at(5, 'dilation') ?? 1)],
    ['groups', toPlain(groups)],
    ['bias', bias !== null],
  ]);
  const conv: Args = { positional: [], keywords };
  // Sizes as ints or n-tuples: a 1-tuple of a 1-D conv is its int.
  if (n === 1) for (const k of ['kernel_size', 'stride', 'padding', 'dilation']) {
    const v = keywords.get(k);
    if (Array.isArray(v) && v.length === 1) keywords.set(k, v[0]!);
  }
  const translated = torchModule(`Conv${n}d`)!(conv, [x]);
  if ('unsupported' in translated) return it.opaque(x, translated.unsupported.replace(/^Conv(\d)d/, 'F.conv$1d'), node);
  const trace = x.trace;
  const use = own?.layer.uses.get(trace);
  const count = (use?.count ?? 0) + 1;
  let params = 0;
  if (own && count === 1) {
    const hasBias = (own.layer.args.keywords.get('bias') ?? own.layer.args.positional[7] ?? true) === true;
    params += numel(shape) + (hasBias ? shape[0]! : 0);
  }
  for (const p of new Set([...weightOrigin.params, ...biasOrigin.params])) if (firstUseOfParameter(trace, p)) params += numel(p.shape ?? []);
  // The engine's 1-D convolution holds its weights on an inner part: only the count tfjs builds fits there.
  const built = (shape[1]! * shape[0]! * shape[2]! + (bias !== null ? shape[0]! : 0));
  if (n === 1 && params !== built) return it.opaque(x, `${fn} carrying parameters other than its own kernel's is not supported yet`, node);
  const translation = n === 1 ? translated : { ...translated, params };
  const leafOf = (obj: PyObj): boolean => ![...obj.attrs.values()].some(isModuleLike);
  const frameSelf = it.frame?.self;
  // A leaf module convolving by its own parameters or buffers is that module's row, as PyTorch's hooks see it.
  const ownState = (v: Value): boolean => v === weight || v === bias || (v instanceof TorchParameter && (weightOrigin.params.includes(v) || biasOrigin.params.includes(v)));
  const holder = own?.obj ?? (frameSelf instanceof PyObj && leafOf(frameSelf) && [...frameSelf.attrs.values()].some(ownState) ? frameSelf : undefined);
  const leaf = holder !== undefined && leafOf(holder);
  const out = trace.emit(
    {
      name: leaf && holder.path ? holder.path : it.scopedName(`conv${n}d`),
      sourceType: leaf ? holder.cls.name : fn,
      source: own && leaf ? own.layer.source : it.loc(node),
      use: count,
      sharesWeightsWith: count > 1 ? (use?.first ?? null) : null,
    },
    translation,
    [x],
  );
  if (own && !use) own.layer.uses.set(trace, { count: 1, first: trace.calls[trace.calls.length - 1]!.name });
  else if (use) use.count = count;
  return out;
}
