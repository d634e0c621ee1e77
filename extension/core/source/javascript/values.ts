/**
 * The values the TypeScript/JavaScript interpreter works with (numbers, arrays, objects, functions, stand-ins
 * for what it cannot see) and the TensorFlow.js objects it builds, plus scopes and control-flow signals.
 */
import type { Shape } from '../../shape';
import type { SourceLocation } from '../../spec';
import type { SyntaxNode } from '../syntax';
import type { Trace, TensorRef } from '../trace';
import type { Plain } from '../layers';

export class JsUnknown {
  constructor(readonly reason: string) {}
}
export class JsArray {
  constructor(readonly items: JsValue[]) {}
}
export class JsObject {
  constructor(readonly props: Map<string, JsValue> = new Map()) {}
}
export class JsExtern {
  constructor(readonly path: string) {}
}
export class JsFunction {
  constructor(
    readonly name: string,
    readonly node: SyntaxNode,
    readonly params: { name: string | null; pattern: SyntaxNode; default: SyntaxNode | null; rest: boolean }[],
    readonly closure: JsScope,
    readonly topLevel: boolean,
  ) {}
}
export class JsBuiltin {
  constructor(readonly fn: (args: JsValue[], node: SyntaxNode) => JsValue) {}
}
export class JsExample {
  constructor(readonly dims: number[]) {}
}
export class TfLayer {
  readonly uses = new WeakMap<Trace, { count: number; first: string }>();
  constructor(
    readonly cls: string,
    readonly factory: string,
    readonly config: Map<string, Plain>,
    readonly source: SourceLocation,
  ) {}
}
export class TfSequential {
  inputShape: Shape | null = null;
  constructor(
    readonly layers: JsValue[],
    readonly name: string | null,
    readonly source: SourceLocation,
  ) {}
}
export class TfFunctional {
  constructor(
    readonly trace: Trace,
    readonly outputs: TensorRef[],
    readonly source: SourceLocation,
  ) {}
}

export type JsValue =
  | number
  | string
  | boolean
  | null
  | undefined
  | JsUnknown
  | JsArray
  | JsObject
  | JsExtern
  | JsFunction
  | JsBuiltin
  | JsExample
  | TfLayer
  | TfSequential
  | TfFunctional
  | TensorRef;

export const isTensor = (v: JsValue): v is TensorRef => typeof v === 'object' && v !== null && (v as TensorRef).kind === 'tensor';
export const isModel = (v: JsValue): v is TfSequential | TfFunctional => v instanceof TfSequential || v instanceof TfFunctional;

export class JsScope {
  readonly vars = new Map<string, JsValue>();
  constructor(readonly parent: JsScope | null) {}
  lookup(name: string): { found: boolean; value: JsValue } {
    for (let s: JsScope | null = this; s; s = s.parent) if (s.vars.has(name)) return { found: true, value: s.vars.get(name) };
    return { found: false, value: undefined };
  }
  set(name: string, value: JsValue): void {
    for (let s: JsScope | null = this; s; s = s.parent) {
      if (s.vars.has(name)) {
        s.vars.set(name, value);
        return;
      }
    }
    this.vars.set(name, value);
  }
}

export class Return {
  constructor(readonly value: JsValue) {}
}
export class Break {}
export class Continue {}
export class Unsupported extends Error {}

export const TF_MODULES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']);

export function isPrimitive(v: JsValue): v is number | string | boolean | null | undefined {
  return v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

export function sliceBatch(v: JsValue): JsValue {
  return v instanceof JsArray ? new JsArray(v.items.slice(1)) : v;
}

export function toPlain(v: JsValue): Plain {
  if (v === undefined) return null;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof JsArray) return v.items.map(toPlain);
  if (v instanceof JsExtern) return { ref: v.path };
  if (v instanceof JsUnknown) return { unknown: v.reason };
  return { unknown: 'a value the reader cannot pass to a layer' };
}
