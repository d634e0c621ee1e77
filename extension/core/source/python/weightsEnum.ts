/**
 * torchvision's WeightsEnum.verify (torchvision/models/_api.py): None stays None; a member of the enum (or its
 * name as a string, "ResNet50_Weights.IMAGENET1K_V1") is that member. A member is the Weights(...) the class
 * body evaluates (url, transforms, meta), so a factory's `if weights is not None:` branch reads its meta
 * (`len(weights.meta["categories"])`) and skips nothing; the weights themselves are never fetched
 * (load_state_dict changes no shape). Anything else is unknown.
 */
import type { SyntaxNode } from '../syntax';
import { Builtin, PyClass, PyObj, Unknown, type Value } from './values';

export function weightsEnumVerify(cls: PyClass): Builtin {
  return new Builtin('verify', ([w]) => {
    if (w === null || w === undefined) return null;
    if (typeof w === 'string') {
      const name = w.startsWith(`${cls.name}.`) ? w.slice(cls.name.length + 1) : w;
      const member = cls.attrs.get(name);
      return member !== undefined && !(member instanceof Unknown) ? member : new Unknown(`${cls.name}.verify(${JSON.stringify(w)})`);
    }
    for (const member of cls.attrs.values()) if (member === w && !(w instanceof Unknown)) return w;
    return new Unknown(`${cls.name}.verify(...)`);
  });
}

const WEIGHTS = /(^|\.)_api\.Weights$/;

/** `Weights(url=..., transforms=..., meta=...)` (the _api.py dataclass): an object with those three fields. */
export function makeWeights(path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (!WEIGHTS.test(path)) return undefined;
  const obj = new PyObj(new PyClass('Weights', node, [], new Map(), 'plain'));
  ['url', 'transforms', 'meta'].forEach((field, i) => obj.attrs.set(field, kwargs.get(field) ?? args[i] ?? new Unknown(`Weights.${field}`)));
  return obj;
}
