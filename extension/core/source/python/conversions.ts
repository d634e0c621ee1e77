/**
 * Python semantics of plain values that need no interpreter state: truthiness, str(), iteration, and the
 * conversion of evaluated arguments to the layer tables' plain data and back.
 */
import { activationName, type Args, type Plain } from '../layers';
import { exampleDims } from './shapes';
import { ConstTensor, constTensorItems, pythonValues } from './constTensors';
import { BatchDim, Extern, inheritsExtern, isModuleLike, isSeq, isTensor, KerasSequential, LayerObj, lookupClassAttr, numeric, PyDict, PyFloat, PyList, PyObj, PyTuple, TorchContainer, Unknown, type Value } from './values';
import { UnknownWithTruth } from './knownTruth';

/** Python's bool(v); null when the reader cannot tell. */
export function truthy(v: Value): boolean | null {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.map.size > 0;
  if (v instanceof UnknownWithTruth) return v.truth;
  if (v instanceof Unknown || v instanceof BatchDim) return null;
  // bool(tensor) is its one element's value, and PyTorch raises "Boolean value of Tensor with more than one
  // value is ambiguous" for more (xternalz's WideResNet: `self.convShortcut(x) or x`): never simply true.
  if (isTensor(v)) return null;
  if (v instanceof ConstTensor) return v.values.length === 1 ? v.values[0] !== 0 : null;
  // nn.Sequential / ModuleList / ModuleDict have a length: an empty nn.Sequential() is false.
  if (v instanceof TorchContainer) return v.unlisted ? null : v.children.size > 0;
  return true;
}

/** Why bool(v) of a tensor is not known: PyTorch's own error when it has more than one element for sure. */
export function tensorTruthReason(v: Value): string | null {
  if (!isTensor(v)) return null;
  if (v.shape !== null && v.shape.some((d) => d !== null && d > 1)) return 'PyTorch raises RuntimeError: Boolean value of Tensor with more than one value is ambiguous';
  return "bool() of a tensor is its element's value, which the reader does not know";
}

/**
 * Python's str(v) for literals and sequences of them; null when the reader cannot tell or the text would pass
 * `maxChars` (counted as it is built, so `[cfg, cfg]` nested 64 deep stops at once instead of expanding).
 */
export function pythonStr(v: Value, maxChars = 100_000): string | null {
  const r = pythonStrWithin(v, maxChars);
  return r === TOO_LARGE ? null : r;
}

/** Marks a str() that would pass the size cap (as opposed to one of a value the reader cannot print). */
export const TOO_LARGE = Symbol('too large');

export function pythonStrWithin(v: Value, maxChars = 100_000): string | null | typeof TOO_LARGE {
  let budget = maxChars;
  let tooLarge = false;
  const str = (x: Value): string | null => {
    if (--budget < 0) {
      tooLarge = true;
      return null;
    }
    let out: string | null;
    if (typeof x === 'string') out = x;
    else if (typeof x === 'number') out = Number.isInteger(x) ? String(x) : floatText(x);
    else if (x instanceof PyFloat) out = floatText(x.value);
    else if (typeof x === 'boolean') out = x ? 'True' : 'False';
    else if (x === null) out = 'None';
    else if (isSeq(x)) {
      const parts: string[] = [];
      for (const i of x.items) {
        const p = typeof i === 'string' ? `'${i}'` : str(i);
        if (p === null) return null;
        parts.push(p);
      }
      out = x instanceof PyList ? `[${parts.join(', ')}]` : `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
    } else return null;
    budget -= out.length;
    if (budget < 0) tooLarge = true;
    return budget < 0 ? null : out;
  };
  const out = str(v);
  return out === null && tooLarge ? TOO_LARGE : out;
}

/**
 * format(v, spec) for the common specs: a width with < or > alignment or zero padding, and d, f, .Nf or s
 * (`f"{i:03d}"`, `'{:.2f}'.format(x)`); null for any other spec, or one Python would refuse (2.0:d).
 */
export function formatSpec(v: Value, spec: string, str: (v: Value) => string | null): string | null {
  const m = /^([<>])?(0)?(\d*)(?:\.(\d+))?([dfs]?)$/.exec(spec);
  if (!m) return null;
  const [, align, zero, width, precision, type] = m;
  if (precision !== undefined && type !== 'f') return null;
  const n = numeric(v);
  let text: string | null;
  if (type === 'd') text = n && !n.float && typeof v !== 'boolean' ? String(n.value) : null;
  else if (type === 'f') text = n ? n.value.toFixed(Number(precision ?? 6)) : null;
  else if (type === 's') text = typeof v === 'string' ? v : null;
  else text = str(v);
  if (text === null || (zero && !n)) return null;
  // Numbers align right, strings left, unless the spec says; 0 pads a number after its sign.
  const w = Number(width || 0);
  if (zero) return text.startsWith('-') ? `-${text.slice(1).padStart(w - 1, '0')}` : text.padStart(w, '0');
  return (align ?? (n ? '>' : '<')) === '>' ? text.padStart(w) : text.padEnd(w);
}

/** The items a for loop over v would see; null when unknown (or passed to code the reader cannot see). */
export function iterate(v: Value): Value[] | null {
  if ((v instanceof PyList || v instanceof PyDict) && v.tainted) return null;
  if (isSeq(v)) return [...v.items];
  if (v instanceof PyDict) return [...v.map.keys()];
  if (typeof v === 'string') return [...v];
  if (v instanceof TorchContainer) return v.unlisted ? null : [...v.children.values()];
  if (v instanceof KerasSequential) return [...v.layers];
  if (v instanceof ConstTensor) return constTensorItems(v);
  if (v instanceof PyObj) return moduleSubclassItems(v);
  return null;
}

/**
 * `for m in self` / `enumerate(self)` inside an nn.Sequential or nn.ModuleList subclass (timm's SelecSLS and
 * VoVNet blocks): its registered child modules in order, as their __iter__ yields `_modules.values()`; an
 * nn.ModuleDict subclass yields its keys. A class with an __iter__ of its own is not read this way.
 */
function moduleSubclassItems(obj: PyObj): Value[] | null {
  if (obj.cls.kind !== 'torch' || lookupClassAttr(obj.cls, '__iter__') !== undefined) return null;
  const children = [...obj.attrs].filter(([, x]) => isModuleLike(x));
  if (inheritsExtern(obj.cls, /^torch\.nn\.(Sequential|ModuleList)$/)) return children.map(([, x]) => x);
  if (inheritsExtern(obj.cls, /^torch\.nn\.ModuleDict$/)) return children.map(([k]) => k);
  return null;
}

/** Python's repr of a float: the shortest digits, an exponent from 1e16 and below 1e-4 (two digits at least), 2.0. */
export function floatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0.0';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

export function strOrNull(v: Value | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * Python value → plain argument data for the layer tables. A whole float is its number there: where the
 * framework needs an int, floatArgument (layerKnowledge/integerArguments.ts) has refused it before.
 */
export function toPlain(v: Value): Plain {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof PyFloat) return v.value;
  if (isSeq(v)) return v.items.map(toPlain);
  if (v instanceof Extern) return { ref: v.path };
  if (v instanceof Unknown) return { unknown: v.reason };
  if (v instanceof LayerObj) return { ref: `layer:${v.cls}` };
  return { unknown: 'a value the reader cannot pass to a layer' };
}

export function fromPlain(p: Plain): Value {
  if (p === null || typeof p === 'number' || typeof p === 'string' || typeof p === 'boolean') return p;
  if (Array.isArray(p)) return new PyTuple(p.map(fromPlain));
  if ('ref' in p) return new Extern(p.ref);
  return new Unknown(p.unknown);
}

export function toArgs(args: Value[], kwargs: Map<string, Value>): Args {
  const keywords = new Map<string, Plain>();
  for (const [k, v] of kwargs) keywords.set(k, k === 'activation' ? (activationName(toPlain(v)) ?? null) : toPlain(v));
  return { positional: args.map(toPlain), keywords };
}

/** Literal sizes of an example input: (1, 3, 224, 224), [1, 3, 224, 224], torch.Size(...). */
export function shapeDims(v: Value): number[] | null {
  const example = exampleDims(v);
  if (example) return example;
  if (typeof v === 'number') return [v];
  if (!isSeq(v)) return null;
  const items = v.items.length === 1 && isSeq(v.items[0]!) ? (v.items[0] as PyList).items : v.items;
  if (!items.every((d) => typeof d === 'number' || d === null)) return null;
  return items.map((d) => (d === null ? 1 : (d as number)));
}

