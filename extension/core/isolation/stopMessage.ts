/** Turns a stopped job into a located message: the place the worker last reported, else the file's start. */
import type { SourceLocation } from '../spec';
import type { JobProgress } from './protocol';

export interface LocatedStop {
  source: SourceLocation | null;
  message: string;
}

export function stopMessage(message: string, progress: JobProgress | null, file: string | null): LocatedStop {
  const where =
    progress?.layer !== undefined
      ? ` while analysing ${progress.model ?? 'the model'}, after layer ${progress.layer}`
      : progress?.phase === 'analysing'
        ? ` while analysing ${progress.model ?? 'the model'}`
        : progress?.phase === 'reading'
          ? ' while reading the file'
          : '';
  const source = progress?.source ?? (file === null ? null : { file, line: 1, column: 1 });
  return { source, message: `${message}${where}` };
}
