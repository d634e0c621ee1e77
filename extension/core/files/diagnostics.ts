/**
 * What a model-file reader says about a file. A file that cannot be read at all is a ModelFileError (a
 * UserError: shown as-is, naming the file); a file that is read with problems gives diagnostics beside a
 * partial model.
 */
import { UserError } from '../errors';

export class ModelFileError extends UserError {}

export interface FileDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** The layer (or tensor, module, op) the message is about, when it is about one. */
  layer?: string;
}

/** "file: error: message", the form the CLI prints. */
export function formatFileDiagnostic(file: string, d: FileDiagnostic): string {
  return `${file}: ${d.severity}: ${d.layer ? `${d.layer}: ` : ''}${d.message}`;
}
