/**
 * Name scopes, call frames and the signals that carry Python's return/break/continue through the
 * interpreter's recursion.
 */
import type { PyClass, Value } from './values';

export class ReturnSignal {
  constructor(readonly value: Value) {}
}
export class BreakSignal {}
export class ContinueSignal {}
/** A construct the reader does not translate; reported as information, evaluation goes on with Unknown. */
export class Unsupported extends Error {}

export class Scope {
  readonly vars = new Map<string, Value>();
  readonly globals = new Set<string>();
  constructor(
    readonly parent: Scope | null,
    readonly kind: 'module' | 'function' | 'class',
  ) {}
  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.kind === 'class' && s !== this) continue;
      if (s.vars.has(name)) return s.vars.get(name);
    }
    return undefined;
  }
}

export interface Frame {
  cls: PyClass | null;
  self: Value | undefined;
  /** Module path prefix for functional ops inside a module's forward. */
  modulePath: string | null;
}

