/** PyTorch: nn.Sequential / ModuleList / ModuleDict, nn.* layers, torch.* and F.* functions on tensors. */
import { splitTensor } from './tensorSlicing';
import { affineGrid, gridSample } from './sampledGrids';
import type { SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { torchDimToAxis } from '../layers';
import type { PythonInterpreter } from './interpreter';
import { Unsupported } from './scope';
import { ChannelGroups, isSeq, isTensor, LayerObj, PyDict, PyList, PyTuple, TorchContainer, Unknown, UnknownValues, type Value } from './values';
import { shapeDims, toArgs } from './conversions';
import { floatArgument } from './floatArguments';
import { kernelRankRefusal } from './kernelRank';
import { TORCH_FUNCTION_INTEGER_ARGUMENTS } from '../../layerKnowledge/integerArguments';
import { applyTorchFunction, channelGroupsAttr, flattenAfterChannels, groupedTensor, meanOver, refusedCall, reshape } from './tensors';
import { exampleDims, exampleTensor } from './shapes';
import { permuteTensor, transposeTensor } from './permute';
import { squeezeTensor } from './squeeze';
import { torchParameter } from './torchParameters';
import { callConstTorch, ConstTensor } from './constTensors';
import { extremeOverDim, reduceOverDims, stackTensors } from './stackReduce';

/** PyTorch's classes and functions called from Python; undefined when `path` is not one of them. */
export function callTorchExtern(it: PythonInterpreter, path: string, owner: string, last: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (owner === 'torch.nn') {
    if (last === 'Sequential') return torchSequential(it, args, node);
    if (last === 'ModuleList') return torchModuleList(it, args[0] ?? kwargs.get('modules') ?? null, node);
    if (last === 'ModuleDict') return torchModuleDict(it, args[0] ?? kwargs.get('modules') ?? null, node);
    if (last === 'Module') return new Unknown('nn.Module()');
    if (last === 'Parameter') return torchParameter(args, kwargs, it.loc(node));
    if (/^[A-Z]/.test(last)) return new LayerObj('pytorch', last, toArgs(args, kwargs), it.loc(node), null, floatArgument('pytorch', last, args, kwargs) ?? kernelRankRefusal(last, args, kwargs));
  }
  if (owner === 'torch.nn.functional' || owner === 'torch' || path === 'torch.nn.functional') {
    // A grouped view passed to anything but a transpose is its 5-D tensor (torch.softmax(x.view(N, 2, C // 2, 1, 1), dim=1)).
    if (args[0] instanceof ChannelGroups && last !== 'transpose') args = [groupedTensor(it, args[0], node), ...args.slice(1)];
    const t = args[0] ?? null;
    const constant = owner === 'torch' ? callConstTorch(last, args, kwargs) : undefined;
    if (constant !== undefined) return constant;
    const converted = owner === 'torch' ? exampleFromData(it, last, args) : undefined;
    if (converted !== undefined) return converted;
    // torch.transpose(x, 1, 2) on a (N, g, C/g, H, W) view: torchvision's channel_shuffle.
    if (t instanceof ChannelGroups && last === 'transpose') return it.callValue(channelGroupsAttr(it, t, 'transpose', node), [t, ...args.slice(1)], kwargs, node);
    if (isTensor(t)) return torchFunction(it, last, t, args.slice(1), kwargs, node);
    if (owner === 'torch' && ['randn', 'rand', 'zeros', 'ones', 'empty', 'randint', 'full', 'normal'].includes(last)) {
      // torch.full(size, fill_value): the size is its first argument only.
      // torch.rand(size=(1, 1, 28, 28)) (Dive into Deep Learning) names its sizes.
      const sized = kwargs.get('size');
      const dims = sized !== undefined && (args.length === 0 || (last === 'randint' && args.length <= 2)) ? shapeDims(sized) : shapeDims(args.length === 1 || last === 'full' ? (args[0] ?? null) : new PyTuple(last === 'randint' ? args.slice(2) : args)) ?? shapeDims(kwargs.get('size') ?? null);
      // One size is no example input (that has a batch): a vector of those sizes, its values unknown.
      if (dims?.length === 1 && Number.isInteger(dims[0]) && dims[0]! >= 0) return new UnknownValues(dims);
      return exampleTensor(it, dims ?? [], 'pytorch');
    }
    if (owner === 'torch' && (last === 'cat' || last === 'concat' || last === 'stack' || last === 'add' || last === 'mul')) {
      if (last === 'add' || last === 'mul') return it.binary(last === 'add' ? '+' : '*', args[0] ?? null, args[1] ?? null, node);
      return torchCat(it, last, args, kwargs, node);
    }
    if (owner === 'torch' && last === 'device') return new Unknown('device');
    const tensors = [...args, ...kwargs.values()].filter(isTensor);
    if (tensors.length > 0) return it.opaque(tensors[0]!, `${path}()`, node, tensors.slice(1));
    return new Unknown(`${path}()`);
  }
  // torch.autograd.Variable(t) (old PyTorch tutorials) is t itself since PyTorch 0.4.
  if (path === 'torch.autograd.Variable' || path === 'torch.autograd.variable.Variable') return args[0] ?? new Unknown('Variable()');
  if (path === 'torchinfo.summary' || path === 'torchsummary.summary' || path === 'torchstat.stat' || path === 'thop.profile' || path === 'ptflops.get_model_complexity_info') {
    const model = args[0] ?? kwargs.get('model') ?? null;
    const size = kwargs.get('input_size') ?? kwargs.get('inputs') ?? args[1] ?? null;
    const dims = shapeDims(size);
    if (model !== null) it.state.runs.push({ model, dims, node });
    return new Unknown('summary');
  }
  return undefined;
}

/** Legacy tensor constructors and NumPy conversions: `torch.FloatTensor(np.random.normal(0, 1, (64, 100)))`. */
const FROM_DATA = new Set(['FloatTensor', 'DoubleTensor', 'Tensor', 'tensor', 'as_tensor', 'from_numpy']);

/**
 * A dummy input made from a NumPy array the code made (PyTorch-GAN's `Tensor(np.random.normal(0, 1, (n, z)))`),
 * or a legacy `torch.FloatTensor(64, 100)` of sizes: an example tensor of those sizes. Undefined otherwise.
 */
function exampleFromData(it: PythonInterpreter, last: string, args: Value[]): Value | undefined {
  if (!FROM_DATA.has(last) || args.length === 0) return undefined;
  const data = exampleDims(args[0]);
  if (data && args.length === 1) return exampleTensor(it, data, 'pytorch');
  const legacySizes = (last === 'FloatTensor' || last === 'DoubleTensor' || last === 'Tensor') && args.every((a) => typeof a === 'number' && Number.isInteger(a) && a > 0);
  return legacySizes ? exampleTensor(it, args as number[], 'pytorch') : undefined;
}

function torchFunction(it: PythonInterpreter, fn: string, t: TensorRef, rest: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  if (fn === 'cat' || fn === 'concat' || fn === 'stack') return torchCat(it, fn, [t, ...rest], kwargs, node);
  if (fn === 'add') return it.binary('+', t, rest[0] ?? null, node);
  if (fn === 'mul') return it.binary('*', t, rest[0] ?? null, node);
  if (fn === 'sum') return reduceOverDims(it, t, 'sum', rest[0] ?? kwargs.get('dim') ?? null, rest[1] ?? kwargs.get('keepdim') ?? false, node) ?? it.opaque(t, 'torch.sum() of every element', node);
  if (fn === 'mean') return meanOver(it, t, rest[0] ?? kwargs.get('dim') ?? null, rest[1] ?? kwargs.get('keepdim') ?? false, node);
  if (fn === 'max' || fn === 'min' || fn === 'amax' || fn === 'amin') {
    const extreme = extremeOverDim(it, t, fn, rest, kwargs, node);
    if (extreme !== undefined) return extreme;
  }
  if (fn === 'reshape') return reshape(it, t, rest, node);
  if (fn === 'flatten') {
    const later = flattenAfterChannels(it, t, rest[0] ?? kwargs.get('start_dim') ?? 0, rest[1] ?? kwargs.get('end_dim') ?? -1, node);
    if (later !== undefined) return later;
  }
  if (fn === 'squeeze' || fn === 'unsqueeze') return squeezeTensor(it, fn, t, rest[0] ?? kwargs.get('dim'), node);
  if (fn === 'permute') return permuteTensor(it, t, [rest[0] ?? kwargs.get('dims') ?? null], node);
  if (fn === 'transpose' || fn === 'swapaxes' || fn === 'swapdims') return transposeTensor(it, t, rest[0] ?? kwargs.get('dim0') ?? null, rest[1] ?? kwargs.get('dim1') ?? null, node);
  // torch.split(x, size, dim) / torch.chunk(x, n, dim) are x.split / x.chunk.
  if (fn === 'split' || fn === 'chunk') {
    const spec = rest[0] ?? kwargs.get(fn === 'chunk' ? 'chunks' : 'split_size_or_sections') ?? null;
    return splitTensor(it, t, fn, spec, rest[1] ?? kwargs.get('dim') ?? 0, node) ?? it.opaque(t, `torch.${fn}()`, node);
  }
  const refused = floatArgument('pytorch', fn, rest, kwargs, TORCH_FUNCTION_INTEGER_ARGUMENTS[fn]);
  if (refused) return refusedCall(it, t, fn, refused, node);
  if (fn === 'affine_grid') return affineGrid(it, t, rest, kwargs, node);
  if (fn === 'grid_sample') return gridSample(it, t, rest, kwargs, node);
  if (fn === 'pad') return applyTorchFunction(it, fn, t, toArgs(padSizes(rest), padSizes(kwargs)), node);
  return applyTorchFunction(it, fn, t, toArgs(rest, kwargs), node, [...rest, ...kwargs.values()].filter(isTensor));
}

/**
 * F.pad's sizes as ints: each entry of the pad list may be a one-element integer tensor, which PyTorch reads as
 * its int (milesial's U-Net pads by `diffX = torch.tensor([x2.size()[3] - x1.size()[3]])` halves).
 */
function padSizes(args: Value[]): Value[];
function padSizes(args: Map<string, Value>): Map<string, Value>;
function padSizes(args: Value[] | Map<string, Value>): Value[] | Map<string, Value> {
  const asInt = (v: Value): Value => (v instanceof ConstTensor && v.values.length === 1 && v.dtype === 'int64' ? v.values[0]! : v);
  const sizes = (v: Value): Value => (v instanceof PyList ? new PyList(v.items.map(asInt)) : v instanceof PyTuple ? new PyTuple(v.items.map(asInt)) : v);
  if (args instanceof Map) return new Map([...args.entries()].map(([k, v]): [string, Value] => [k, k === 'pad' ? sizes(v) : v]));
  return args.map((v, i) => (i === 0 ? sizes(v) : v));
}

function torchCat(it: PythonInterpreter, fn: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const list = args[0];
  const tensors = isSeq(list ?? null) ? (list as PyList).items : [];
  const dim = args[1] ?? kwargs.get('dim') ?? 0;
  const ts = tensors.filter(isTensor);
  if (ts.length === 0) return new Unknown('cat');
  if (ts.length !== tensors.length || typeof dim !== 'number') return it.opaque(ts[0]!, `torch.${fn}`, node);
  if (fn === 'stack') return stackTensors(it, ts, dim, node);
  if (ts.length === 1) return ts[0]!; // torch.cat of one tensor is that tensor
  const axis = torchDimToAxis(dim, ts[0]!.rank);
  if (axis === null) return it.opaque(ts[0]!, `torch.${fn} along dim ${dim}`, node);
  return ts[0]!.trace.emit({ name: it.scopedName('cat'), sourceType: `torch.${fn}`, source: it.loc(node) }, { parts: [{ type: 'Concatenate', args: { axis }, merge: true }] }, ts);
}

/** nn.Sequential() written with no arguments: the identity, not a container whose contents the reader missed. */
const WRITTEN_EMPTY = new WeakSet<TorchContainer>();

function torchSequential(it: PythonInterpreter, args: Value[], node: SyntaxNode): Value {
  if (args.length === 0) {
    const identity = new TorchContainer('Sequential', new Map(), it.loc(node));
    WRITTEN_EMPTY.add(identity);
    return identity;
  }
  const children = new Map<string, Value>();
  if (args.length === 1 && args[0] instanceof Unknown) {
    throw new Unsupported(`nn.Sequential of values the reader could not evaluate`);
  }
  const first = args[0];
  if (args.length === 1 && first instanceof PyDict) {
    for (const [k, v] of first.map) children.set(String(k), v);
  } else if (args.length === 1 && isSeq(first ?? null) && (first as PyList).items.every((i) => i instanceof PyTuple && i.items.length === 2 && typeof i.items[0] === 'string')) {
    // nn.Sequential(OrderedDict([('conv', ...), ...]))
    for (const i of (first as PyList).items) children.set((i as PyTuple).items[0] as string, (i as PyTuple).items[1]!);
  } else {
    args.forEach((a, i) => children.set(String(i), a));
  }
  return new TorchContainer('Sequential', children, it.loc(node));
}

/** nn.ModuleList(modules): what the reader cannot list is unknown (never an empty list: the loop over it would vanish). */
function torchModuleList(it: PythonInterpreter, modules: Value, node: SyntaxNode): Value {
  const items = modules === null ? [] : it.iterate(modules);
  if (items === null) throw new Unsupported(`nn.ModuleList of ${describeUnlisted(modules)}`);
  return new TorchContainer('ModuleList', new Map(items.map((v, i) => [String(i), v])), it.loc(node));
}

/** nn.ModuleDict(modules): a dict or (key, module) pairs; anything the reader cannot list is unknown, never empty. */
function torchModuleDict(it: PythonInterpreter, modules: Value, node: SyntaxNode): Value {
  const m = new Map<string, Value>();
  if (modules instanceof PyDict && !modules.tainted) for (const [k, v] of modules.map) m.set(String(k), v);
  else if (modules !== null) {
    const pairs = it.iterate(modules);
    if (pairs === null || !pairs.every((p) => isSeq(p) && (p as PyList).items.length === 2 && typeof (p as PyList).items[0] === 'string')) {
      throw new Unsupported(`nn.ModuleDict of ${describeUnlisted(modules)}`);
    }
    for (const p of pairs) m.set((p as PyList).items[0] as string, (p as PyList).items[1]!);
  }
  return new TorchContainer('ModuleDict', m, it.loc(node));
}

function describeUnlisted(v: Value): string {
  if (v instanceof Unknown) return `a value the reader could not evaluate (${v.reason})`;
  if (v instanceof PyList || v instanceof PyDict) return 'a list passed to code the reader cannot see, which may have changed it';
  return 'a value the reader could not list';
}

export function applyContainer(it: PythonInterpreter, c: TorchContainer, args: Value[], node: SyntaxNode): Value {
  if (c.kind !== 'Sequential') return new Unknown(`calling an nn.${c.kind}`);
  let x: Value = args[0] ?? null;
  if (c.unlisted) return isTensor(x) ? it.opaque(x, `nn.Sequential: ${c.unlisted}`, node) : new Unknown(c.unlisted);
  const example = exampleDims(x);
  if (example) it.state.runs.push({ model: c, dims: example, node });
  const runsBefore = it.state.runs.length;
  // An empty nn.Sequential() (the identity shortcut of CIFAR ResNets) is a leaf module PyTorch runs and hooks
  // see: one call that returns its input.
  if (WRITTEN_EMPTY.has(c) && c.children.size === 0 && isTensor(x)) return x.trace.emit({ name: c.path ?? it.scopedName('sequential'), sourceType: 'nn.Sequential', source: c.source }, { parts: [] }, [x]);
  for (const child of c.children.values()) x = it.callValue(child, [x], new Map(), node);
  // The blocks it ran on the example are part of this run, not runs of their own (nn.Sequential(Block(3, 8), …)).
  if (example) it.state.runs.length = runsBefore;
  return x;
}
