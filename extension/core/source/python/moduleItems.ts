/**
 * `seq[i]` and `seq[i] = module` on nn.Sequential / nn.ModuleList (and their subclasses, torchvision's
 * Conv2dNormActivation), as PyTorch's __getitem__ / __setitem__ do: the i-th registered module, negative from the
 * end, its name kept (`model.classifier[-1] = nn.Linear(4096, 10)` replaces classifier.6, it adds no module);
 * out of range is PyTorch's IndexError; nn.ModuleDict by its string key.
 */
import type { SourceLocation } from '../../spec';
import { Unsupported } from './scope';
import { inheritsExtern, isModuleLike, PyObj, TorchContainer, type Value } from './values';

const INDEXED = /^torch\.nn\.(Sequential|ModuleList)$/;

/** A Sequential or ModuleList subclass instance: its modules are the registered attributes, in order. */
export function isIndexedModule(v: Value): v is PyObj {
  return v instanceof PyObj && v.cls.kind === 'torch' && inheritsExtern(v.cls, INDEXED);
}

/** The modules a container (or a Sequential / ModuleList subclass) holds, by name, in order. */
export function registered(obj: PyObj | TorchContainer): Map<string, Value> {
  if (obj instanceof TorchContainer) return obj.children;
  return new Map([...obj.attrs].filter(([, v]) => isModuleLike(v)));
}

/** The name a position stands for; an Unsupported (IndexError) outside the modules. */
function keyAt(obj: PyObj | TorchContainer, index: number): string {
  const keys = [...registered(obj).keys()];
  const i = index < 0 ? keys.length + index : index;
  if (!Number.isInteger(i) || i < 0 || i >= keys.length) throw new Unsupported(`index ${index} is out of range for a module of ${keys.length}; PyTorch raises IndexError`);
  return keys[i]!;
}

/** `obj[index]` on a Sequential / ModuleList subclass; undefined for anything else. */
export function moduleItem(obj: Value, index: Value): Value | undefined {
  if (!isIndexedModule(obj) || typeof index !== 'number') return undefined;
  return obj.attrs.get(keyAt(obj, index));
}

/** `obj[index] = value` on a module container; false when `obj` is not one. */
export function setModuleItem(obj: Value, index: Value, value: Value, at: SourceLocation): boolean {
  if (obj instanceof TorchContainer) {
    const wanted = obj.kind === 'ModuleDict' ? 'string' : 'number';
    if (typeof index !== wanted) {
      // Which module it replaces is unknown: every use of the container is then unknown, never its old modules.
      const why = `an nn.${obj.kind} ${obj.kind === 'ModuleDict' ? 'key' : 'index'} the reader could not evaluate`;
      obj.unlisted ??= `${why} was assigned to`;
      throw new Unsupported(why);
    }
    obj.children.set(typeof index === 'string' ? index : keyOrRaise(obj, index as number, at), value);
    return true;
  }
  if (!isIndexedModule(obj)) return false;
  if (typeof index !== 'number') throw new Unsupported('a module index the reader could not evaluate');
  obj.attrs.set(keyOrRaise(obj, index, at), value);
  return true;
}

/** keyAt for an assignment: PyTorch stops there (IndexError), so what the container holds after it is unknown. */
function keyOrRaise(obj: PyObj | TorchContainer, index: number, at: SourceLocation): string {
  try {
    return keyAt(obj, index);
  } catch (error) {
    const why = (error as Error).message;
    if (obj instanceof TorchContainer) obj.unlisted ??= why;
    else obj.unknownAttrs ??= { reason: why, source: at };
    throw error;
  }
}
