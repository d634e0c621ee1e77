/**
 * Errors about the user's model or input (shown to them as-is, no stack trace) are `UserError`s; anything
 * else reaching the surface is our bug and is reported as such.
 */
import type { SourceLocation } from './spec';

/**
 * Marks user errors across bundles: the extension host and the lazily loaded engine each bundle their own
 * copy of this module, so `instanceof` fails for a UserError made on the other side. `Symbol.for` is one
 * symbol for the whole process.
 */
const USER_ERROR = Symbol.for('cnn-inspector.user-error');

export class UserError extends Error {
  constructor(
    message: string,
    readonly source: SourceLocation | null = null,
  ) {
    super(message);
    this.name = new.target.name;
    Object.defineProperty(this, USER_ERROR, { value: true });
  }
}

/** A model name that is not in the zoo; the message lists the valid names. */
export class UnknownModelError extends UserError {
  constructor(name: string, valid: readonly string[]) {
    super(`unknown model "${name}"; choose one of: ${valid.join(', ')}`);
  }
}

/** An input shape the model cannot take (wrong rank, non-positive sizes). */
export class InputShapeError extends UserError {}

/** A model description that is malformed (duplicate names, reading a layer that does not exist). */
export class InvalidModelError extends UserError {}

/** An optional backend the user asked for (e.g. --backend node without @tensorflow/tfjs-node). */
export class BackendUnavailableError extends UserError {}

/** Thrown from a stream whose AbortSignal fired; callers treat it as a quiet stop. */
export class CancelledError extends Error {
  constructor() {
    super('analysis cancelled');
    this.name = 'CancelledError';
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError || (error instanceof Error && (error as unknown as Record<symbol, unknown>)[USER_ERROR] === true);
}

/** Text of any thrown value, for messages. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
