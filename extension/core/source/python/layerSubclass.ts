/**
 * Classes that subclass a PyTorch layer (`class Conv3DSimple(nn.Conv3d)` in torchvision's video ResNet): their
 * `super().__init__(...)` builds the layer, and calling the object runs it, unless the class writes its own
 * forward(). PyTorch names such a module by its own class (`type(m).__name__` is "Conv3DSimple"), so the
 * layer's call is recorded with that name; its arguments are the ones given to super().__init__.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { toArgs } from './conversions';
import { floatArgument } from './floatArguments';
import { kernelRankRefusal } from './kernelRank';
import { Builtin, Extern, LayerObj, PyClass, type PyObj, type Value } from './values';

const layers = new WeakMap<PyObj, LayerObj>();
const subclassNames = new WeakMap<LayerObj, string>();
const NOT_LAYERS = new Set(['Module', 'Sequential', 'ModuleList', 'ModuleDict']);

/** The torch.nn layer class `cls` derives from (through user classes), or null. */
export function layerBase(cls: PyClass): string | null {
  for (const b of cls.bases) {
    if (b instanceof Extern) {
      const m = /^torch\.nn\.([A-Z]\w*)$/.exec(b.path);
      if (m && !NOT_LAYERS.has(m[1]!)) return m[1]!;
    } else if (b instanceof PyClass) {
      const inner = layerBase(b);
      if (inner) return inner;
    }
  }
  return null;
}

/** `super().__init__` of a layer subclass, or undefined when `cls` does not derive from a torch.nn layer. */
export function layerSuperInit(it: PythonInterpreter, cls: PyClass, self: PyObj): Builtin | undefined {
  const base = layerBase(cls);
  if (base === null) return undefined;
  return new Builtin('super().__init__', (args: Value[], kwargs: Map<string, Value>, node: SyntaxNode) => {
    const layer = new LayerObj('pytorch', base, toArgs(args, kwargs), it.loc(node), null, floatArgument('pytorch', base, args, kwargs) ?? kernelRankRefusal(base, args, kwargs));
    subclassNames.set(layer, self.cls.name);
    layers.set(self, layer);
    return null;
  });
}

/** The layer a layer-subclass object runs, named as the object is. */
export function subclassLayer(obj: PyObj): LayerObj | undefined {
  const layer = layers.get(obj);
  if (layer) layer.path = obj.path;
  return layer;
}

/** "Conv3DSimple" for the layer a subclass built; undefined for a layer made directly. */
export function subclassName(layer: LayerObj): string | undefined {
  return subclassNames.get(layer);
}
