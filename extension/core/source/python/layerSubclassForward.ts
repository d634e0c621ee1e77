/**
 * A PyTorch layer subclass that writes its own forward() on the layer's own state (timm's BatchNormAct2d
 * subclasses nn.BatchNorm2d and calls `F.batch_norm(x, self.running_mean, self.running_var, self.weight,
 * self.bias, ...)`, then its act and drop children). The attributes PyTorch's BatchNorm __init__ sets
 * (torch/nn/modules/batchnorm.py: num_features, eps, momentum, affine, track_running_stats and the
 * weight/bias parameters and running_* buffers) are read from the super().__init__ arguments; the functional
 * call on the layer's own weight is the layer's computation, so it is recorded with the layer's parameters
 * (counted once, as model.parameters() does) under the functional's name: PyTorch's hooks see no separate
 * module for it. Other layer families keep today's behaviour (their attributes are unknown).
 */
import type { SyntaxNode } from '../syntax';
import { arg, TORCH_MODULES } from '../layers';
import type { PythonInterpreter } from './interpreter';
import { subclassLayer } from './layerSubclass';
import { isTensor, KerasWeight, type LayerObj, type PyObj, Unknown, type Value } from './values';

const BATCH_NORM = /^BatchNorm[123]d$/;
/** The layer each parameter or buffer handed out belongs to. */
const owners = new WeakMap<KerasWeight, LayerObj>();

/** `self.<name>` of a BatchNorm subclass, from its super().__init__ arguments; undefined for anything else. */
export function layerSubclassAttr(obj: PyObj, name: string): Value | undefined {
  const layer = subclassLayer(obj);
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
      return affine ? weight(layer, n, name, true) : null;
    case 'running_mean':
    case 'running_var':
    case 'num_batches_tracked':
      if (typeof tracks !== 'boolean') return new Unknown(`.${name}`);
      return tracks ? weight(layer, name === 'num_batches_tracked' ? 0 : n, name, false) : null;
    default:
      return undefined;
  }
}

function weight(layer: LayerObj, n: unknown, name: string, trainable: boolean): KerasWeight {
  const w = new KerasWeight(typeof n === 'number' ? (name === 'num_batches_tracked' ? [] : [n]) : null, trainable, name);
  owners.set(w, layer);
  return w;
}

/** `F.batch_norm(x, mean, var, self.weight, ...)` on a BatchNorm subclass's own state; undefined otherwise. */
export function callOwnBatchNorm(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (path !== 'torch.nn.functional.batch_norm') return undefined;
  const x = args[0];
  const stats = [args[1] ?? kwargs.get('running_mean'), args[2] ?? kwargs.get('running_var'), args[3] ?? kwargs.get('weight'), args[4] ?? kwargs.get('bias')];
  if (x === undefined || !isTensor(x)) return undefined;
  const layers = new Set(stats.filter((s): s is KerasWeight => s instanceof KerasWeight).map((s) => owners.get(s)));
  const layer = [...layers][0];
  // Every statistic must be that one layer's own (or None, as an affine=False layer has): else not the layer.
  if (layers.size !== 1 || !layer || stats.some((s) => s === undefined || (s !== null && !(s instanceof KerasWeight)))) return undefined;
  const translated = TORCH_MODULES[layer.cls]!(layer.args, [x]);
  if ('unsupported' in translated) return it.opaque(x, translated.unsupported, node);
  return x.trace.emit({ name: layer.path ?? it.scopedName('batch_norm'), sourceType: 'F.batch_norm', source: it.loc(node) }, translated, [x]);
}
