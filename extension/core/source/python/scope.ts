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
  private declaredGlobal: Set<string> | null = null;
  /** Names a `global` statement declares here (made on the first one: most scopes have none). */
  get globals(): Set<string> {
    return (this.declaredGlobal ??= new Set<string>());
  }
  constructor(
    readonly parent: Scope | null,
    readonly kind: 'module' | 'function' | 'class',
  ) {}
  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.kind === 'class' && s !== this) continue;
      const v = s.vars.get(name);
      if (v !== undefined || s.vars.has(name)) return v;
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

