/**
 * Errors about the user's model or input (shown to them as-is, no stack trace) are `UserError`s; anything
 * else reaching the surface is our bug and is reported as such.
 */
import type { SourceLocation } from './spec';

export class UserError extends Error {
  constructor(
    message: string,
    readonly source: SourceLocation | null = null,
  ) {
    super(message);
    this.name = new.target.name;
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
  return error instanceof UserError;
}

/** Text of any thrown value, for messages. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
