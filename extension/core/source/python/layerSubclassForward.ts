/**
 * A PyTorch layer subclass that writes its own forward() on the layer's own state (timm's BatchNormAct2d
 * subclasses nn.BatchNorm2d and calls `F.batch_norm(x, self.running_mean, self.running_var, self.weight,
 * self.bias, ...)`, then its act and drop children; timm's Linear calls `F.linear(x, self.weight, self.bias)`).
 * The attributes PyTorch's __init__ sets (torch/nn/modules/batchnorm.py: num_features, eps, momentum, affine,
 * track_running_stats, weight/bias and the running_* buffers; linear.py: in_features, out_features, weight,
 * bias; normalization.py's LayerNorm: normalized_shape, eps, elementwise_affine, weight, bias, for ConvNeXt's
 * LayerNorm2d around F.layer_norm) are read from the super().__init__ arguments; the functional call on the layer's own weight is the
 * layer's computation, so it is recorded with the layer's parameters (counted once, as model.parameters()
 * does). A module with children is no leaf for PyTorch's hooks, so the call is named as the functional
 * (`F.batch_norm`); a leaf is the module's own row (its class name). Other layer families keep today's
 * behaviour (their attributes are unknown).
 */
import type { SyntaxNode } from '../syntax';
import { arg, translateTorchFunction } from '../layers';
import type { Plain } from '../layerArgs';
import { fromPlain, toArgs } from './conversions';
import { torchModule } from '../../layerKnowledge/index';
import type { PythonInterpreter } from './interpreter';
import { subclassLayer } from './layerSubclass';
import { isModuleLike, isTensor, KerasWeight, type LayerObj, PyObj, PyTuple, Unknown, type Value } from './values';

const BATCH_NORM = /^BatchNorm[123]d$/;
const CONV = /^Conv([123])d$/;
/** The layer each parameter or buffer handed out belongs to. */
const owners = new WeakMap<KerasWeight, { obj: PyObj; layer: LayerObj }>();

/** `self.<name>` of a BatchNorm subclass, from its super().__init__ arguments; undefined for anything else. */
export function layerSubclassAttr(obj: PyObj, name: string): Value | undefined {
  const layer = subclassLayer(obj);
  if (layer?.cls === 'Linear') return linearAttr(obj, layer, name);
  if (layer?.cls === 'LayerNorm') return layerNormAttr(obj, layer, name);
  if (layer?.cls === 'GroupNorm') return groupNormAttr(obj, layer, name);
  const conv = layer && CONV.exec(layer.cls);
  if (layer && conv) return convAttr(obj, layer, Number(conv[1]), name);
  if (layer && POOL_ARGS[layer.cls.replace(/[123]d$/, '')]) return poolAttr(layer, name);
  if (!layer || !BATCH_NORM.test(layer.cls)) return undefined;
  const n = arg(layer.args, 'num_features', 0);
  const affine = arg(layer.args, 'affine', 3) ?? true;
  const tracks = arg(layer.args, 'track_running_stats', 4) ?? true;
  const plain = (v: unknown, fallback: Value): Value => (v === undefined ? fallback : typeof v === 'number' || typeof v === 'boolean' || v === null ? v : new Unknown(`.${name}`));
  switch (name) {
    case 'num_features':
      return plain(n, new Unknown('.num_features'));
    case 'eps':
      return plain(arg(layer.args, 'eps', 1), 1e-5);
    case 'momentum':
      return plain(arg(layer.args, 'momentum', 2), 0.1);
    case 'affine':
      return plain(affine, true);
    case 'track_running_stats':
      return plain(tracks, true);
    case 'weight':
    case 'bias':
      if (typeof affine !== 'boolean') return new Unknown(`.${name}`);
      return affine ? weight(obj, layer, n, name, true) : null;
    case 'running_mean':
    case 'running_var':
    case 'num_batches_tracked':
      if (typeof tracks !== 'boolean') return new Unknown(`.${name}`);
      return tracks ? weight(obj, layer, name === 'num_batches_tracked' ? 0 : n, name, false) : null;
    default:
      return undefined;
  }
}

/** nn.Linear(in_features, out_features, bias=True)'s attributes. */
function linearAttr(obj: PyObj, layer: LayerObj, name: string): Value | undefined {
  const cin = arg(layer.args, 'in_features', 0);
  const cout = arg(layer.args, 'out_features', 1);
  const bias = arg(layer.args, 'bias', 2) ?? true;
  const known = (v: unknown): v is number => typeof v === 'number';
  switch (name) {
    case 'in_features':
      return known(cin) ? cin : new Unknown('.in_features');
    case 'out_features':
      return known(cout) ? cout : new Unknown('.out_features');
    case 'weight':
      return weight(obj, layer, known(cin) && known(cout) ? [cout, cin] : null, name, true);
    case 'bias':
      if (typeof bias !== 'boolean') return new Unknown('.bias');
      return bias ? weight(obj, layer, known(cout) ? [cout] : null, name, true) : null;
    default:
      return undefined;
  }
}

/** nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)'s attributes (a tuple normalized_shape). */
function layerNormAttr(obj: PyObj, layer: LayerObj, name: string): Value | undefined {
  const given = arg(layer.args, 'normalized_shape', 0);
  const dims = typeof given === 'number' ? [given] : Array.isArray(given) && given.every((d) => typeof d === 'number') ? (given as number[]) : null;
  const affine = arg(layer.args, 'elementwise_affine', 2) ?? true;
  const bias = arg(layer.args, 'bias', 3) ?? true;
  switch (name) {
    case 'normalized_shape':
      return dims ? new PyTuple(dims) : new Unknown('.normalized_shape');
    case 'eps': {
      const eps = arg(layer.args, 'eps', 1) ?? 1e-5;
      return typeof eps === 'number' ? eps : new Unknown('.eps');
    }
    case 'elementwise_affine':
      return typeof affine === 'boolean' ? affine : new Unknown('.elementwise_affine');
    case 'weight':
    case 'bias':
      if (typeof affine !== 'boolean' || typeof bias !== 'boolean') return new Unknown(`.${name}`);
      return affine && (name === 'weight' || bias) ? weight(obj, layer, dims, name, true) : null;
    default:
      return undefined;
  }
}

/** nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)'s attributes (timm's GroupNormAct around F.group_norm). */
function groupNormAttr(obj: PyObj, layer: LayerObj, name: string): Value | undefined {
  const known = (v: unknown, fallback?: number | boolean): Value => {
    const x = v ?? fallback;
    return typeof x === 'number' || typeof x === 'boolean' ? x : new Unknown(`.${name}`);
  };
  const channels = arg(layer.args, 'num_channels', 1);
  const affine = arg(layer.args, 'affine', 3) ?? true;
  switch (name) {
    case 'num_groups':
      return known(arg(layer.args, 'num_groups', 0));
    case 'num_channels':
      return known(channels);
    case 'eps':
      return known(arg(layer.args, 'eps', 2), 1e-5);
    case 'affine':
      return known(affine);
    case 'weight':
    case 'bias':
      if (typeof affine !== 'boolean') return new Unknown(`.${name}`);
      return affine ? weight(obj, layer, typeof channels === 'number' ? [channels] : null, name, true) : null;
    default:
      return undefined;
  }
}

/** The sizes of a Conv{n}d's weight (out, in/groups, *kernel), or null when its arguments are not all numbers. */
export function convWeightShape(layer: LayerObj): number[] | null {
  const n = Number(CONV.exec(layer.cls)?.[1] ?? 0);
  const cin = arg(layer.args, 'in_channels', 0);
  const cout = arg(layer.args, 'out_channels', 1);
  const k = sizes(arg(layer.args, 'kernel_size', 2), n);
  const groups = arg(layer.args, 'groups', 6) ?? 1;
  if (n === 0 || typeof cin !== 'number' || typeof cout !== 'number' || k === null || typeof groups !== 'number' || groups < 1 || cin % groups !== 0) return null;
  return [cout, cin / groups, ...k];
}

/** An int or an n-tuple of ints as the n-tuple PyTorch stores (`_pair(3)` → (3, 3)); null otherwise. */
function sizes(v: unknown, n: number): number[] | null {
  if (typeof v === 'number') return Array<number>(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((d) => typeof d === 'number')) return v as number[];
  return null;
}

/**
 * A size as torch.nn's _ntuple stores it: a number repeated n times, a sequence kept as given (`stride=[2]` is
 * `(2,)`, which EfficientNet-PyTorch's `len(self.stride) == 2` tests).
 */
function storedSizes(v: unknown, n: number): number[] | null {
  if (Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'number')) return v as number[];
  return sizes(v, n);
}

/**
 * nn.Conv{n}d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
 * padding_mode='zeros')'s attributes: sizes as the n-tuples torch/nn/modules/conv.py stores, a string padding kept.
 */
function convAttr(obj: PyObj, layer: LayerObj, n: number, name: string): Value | undefined {
  const tuple = (position: number, fallback?: number): Value => {
    const v = storedSizes(arg(layer.args, name, position) ?? fallback, n);
    return v ? new PyTuple(v) : new Unknown(`.${name}`);
  };
  const count = (position: number, fallback?: number): Value => {
    const v = arg(layer.args, name, position) ?? fallback;
    return typeof v === 'number' ? v : new Unknown(`.${name}`);
  };
  switch (name) {
    case 'in_channels':
      return count(0);
    case 'out_channels':
      return count(1);
    case 'kernel_size':
      return tuple(2);
    case 'stride':
      return tuple(3, 1);
    case 'padding': {
      const p = arg(layer.args, 'padding', 4);
      return p === 'same' || p === 'valid' ? p : tuple(4, 0);
    }
    case 'dilation':
      return tuple(5, 1);
    case 'groups':
      return count(6, 1);
    case 'padding_mode': {
      const m = arg(layer.args, 'padding_mode', 8) ?? 'zeros';
      return typeof m === 'string' ? m : new Unknown('.padding_mode');
    }
    case 'weight':
      return weight(obj, layer, convWeightShape(layer), name, true);
    case 'bias': {
      const bias = arg(layer.args, 'bias', 7) ?? true;
      const cout = arg(layer.args, 'out_channels', 1);
      if (typeof bias !== 'boolean') return new Unknown('.bias');
      return bias ? weight(obj, layer, typeof cout === 'number' ? [cout] : null, name, true) : null;
    }
    default:
      return undefined;
  }
}

/** nn.MaxPool{n}d / nn.AvgPool{n}d's arguments in order, with PyTorch's defaults (stride None is kernel_size). */
const POOL_ARGS: Record<string, [string, Value][]> = {
  MaxPool: [['kernel_size', null], ['stride', null], ['padding', 0], ['dilation', 1], ['return_indices', false], ['ceil_mode', false]],
  AvgPool: [['kernel_size', null], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true], ['divisor_override', null]],
};

/** A pooling subclass's attributes, stored as given (torch/nn/modules/pooling.py does not make tuples of them). */
function poolAttr(layer: LayerObj, name: string): Value | undefined {
  const spec = POOL_ARGS[layer.cls.replace(/[123]d$/, '')]!;
  const at = spec.findIndex(([n]) => n === name);
  if (at < 0) return undefined;
  const given = arg(layer.args, name, at);
  const v = given === undefined || (name === 'stride' && given === null) ? (name === 'stride' ? arg(layer.args, 'kernel_size', 0) : spec[at]![1]) : given;
  return v === undefined ? new Unknown(`.${name}`) : fromPlain(v as Plain);
}

/** The layer (and its subclass object) a weight handed out by a layer subclass belongs to. */
export function ownerOf(w: KerasWeight): { obj: PyObj; layer: LayerObj } | undefined {
  return owners.get(w);
}

function weight(obj: PyObj, layer: LayerObj, n: unknown, name: string, trainable: boolean): KerasWeight {
  const shape = Array.isArray(n) ? n : typeof n === 'number' ? (name === 'num_batches_tracked' ? [] : [n]) : null;
  const w = new KerasWeight(shape, trainable, name);
  owners.set(w, { obj, layer });
  return w;
}

/** Which arguments of each functional are the layer's own state, from which position (after the input). */
const STATE_ARGS: Record<string, { names: string[]; at: number }> = {
  'torch.nn.functional.batch_norm': { names: ['running_mean', 'running_var', 'weight', 'bias'], at: 1 },
  'torch.nn.functional.linear': { names: ['weight', 'bias'], at: 1 },
  // F.layer_norm(input, normalized_shape, weight, bias, eps): the shape is no state.
  'torch.nn.functional.layer_norm': { names: ['weight', 'bias'], at: 2 },
  // F.group_norm(input, num_groups, weight, bias, eps).
  'torch.nn.functional.group_norm': { names: ['weight', 'bias'], at: 2 },
};

/** The layers a functional with every piece of state None can be (an affine=False norm). */
const STATELESS: Record<string, RegExp> = {
  'torch.nn.functional.layer_norm': /^LayerNorm$/,
  'torch.nn.functional.group_norm': /^GroupNorm$/,
};

/** `F.batch_norm(x, mean, var, self.weight, ...)` / `F.linear(x, self.weight, self.bias)` on a subclass's own state. */
export function callOwnLayerFunction(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  const spec = STATE_ARGS[path];
  if (!spec) return undefined;
  const { names, at } = spec;
  const x = args[0] ?? kwargs.get('input');
  if (x === undefined || !isTensor(x)) return undefined;
  // A missing bias is None (F.linear's default); `in` tests, not `??`: a given None must stay None.
  const state = names.map((n, i): Value | undefined => (i + at < args.length ? args[i + at] : kwargs.has(n) ? kwargs.get(n) : n === 'bias' ? null : undefined));
  const owned = state.filter((s): s is KerasWeight => s instanceof KerasWeight).map((s) => owners.get(s));
  const found = new Set(owned.map((o) => o?.layer));
  // A layer with no state at all (GroupNorm/LayerNorm with affine=False) is the subclass whose forward() this is.
  const self = it.frame?.self;
  const selfLayer = self instanceof PyObj && state.every((s) => s === null) ? subclassLayer(self) : undefined;
  const owner = owned[0] ?? (self instanceof PyObj && selfLayer && STATELESS[path]?.test(selfLayer.cls) ? { obj: self, layer: selfLayer } : undefined);
  if (owner && found.size === 0) found.add(owner.layer);
  // Every piece of state must be that one layer's own (or None, as an affine=False layer has): else not the layer.
  if (found.size !== 1 || !owner || state.some((s) => s === undefined || (s !== null && !(s instanceof KerasWeight)))) return undefined;
  const { obj, layer } = owner;
  const translated = torchModule(layer.cls)!(layer.args, [x]);
  if ('unsupported' in translated) return it.opaque(x, translated.unsupported, node);
  const leaf = ![...obj.attrs.values()].some(isModuleLike);
  const sourceType = leaf ? obj.cls.name : `F.${path.split('.').pop()}`;
  const source = leaf ? layer.source : it.loc(node);
  return x.trace.emit({ name: layer.path ?? it.scopedName(path.split('.').pop()!), sourceType, source }, translated, [x]);
}

/** The functional a pooling subclass's forward() runs as its own computation (timm's MaxPool2dSame: pad_same, then F.max_pool2d). */
const OWN_POOL = /^torch\.nn\.functional\.(max|avg)_pool([123])d$/;

/**
 * `F.max_pool2d(x, self.kernel_size, ...)` in the forward() of a leaf nn.MaxPool2d subclass (AvgPool2d alike):
 * the functional's shape, shown as the module's own row (its class, as PyTorch's hooks see it). Undefined
 * for any other call, or when the functional's arguments cannot be read (it is then the functional as usual).
 */
export function callOwnPoolFunction(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  const m = OWN_POOL.exec(path);
  const self = it.frame?.self;
  const x = args[0] ?? kwargs.get('input');
  if (!m || !(self instanceof PyObj) || x === undefined || !isTensor(x)) return undefined;
  const layer = subclassLayer(self);
  if (layer?.cls !== `${m[1] === 'max' ? 'Max' : 'Avg'}Pool${m[2]}d` || [...self.attrs.values()].some(isModuleLike)) return undefined;
  const rest = kwargs.has('input') ? args : args.slice(1);
  const translated = translateTorchFunction(path.split('.').pop()!, toArgs(rest, new Map([...kwargs].filter(([k]) => k !== 'input'))), [x]);
  if (translated === null || 'unsupported' in translated) return undefined;
  return x.trace.emit({ name: layer.path ?? it.scopedName(path.split('.').pop()!), sourceType: self.cls.name, source: layer.source }, translated, [x]);
}
