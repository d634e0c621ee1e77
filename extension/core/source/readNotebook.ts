/**
 * A notebook through the source reader: its code cells become one Python program (notebook.ts), the reader
 * reads that, and every location it gives back is turned into (cell, line in cell).
 */
import type { SourceLocation } from '../spec';
import { notebookCells, programOfCells, toCellLocation, type CellText, type NotebookProgram } from './notebook';
import type { BuildOutcome, FoundModel, ImportOptions, ReadResult, SourceDiagnostic } from './types';

export interface NotebookReader {
  read(text: string, options: { file: string; language: 'python'; imports?: ImportOptions }): ReadResult;
  parses(text: string, language: 'python'): boolean;
}

function isLocation(value: unknown, file: string): value is SourceLocation {
  const v = value as SourceLocation | null;
  return typeof v === 'object' && v !== null && v.file === file && typeof v.line === 'number' && v.cell === undefined;
}

/** A copy of `value` with each of `file`'s locations in cell terms. Plain data only (what the reader returns). */
function remap<T>(value: T, program: NotebookProgram, file: string, depth = 0): T {
  if (depth > 64 || typeof value !== 'object' || value === null) return value;
  if (isLocation(value, file)) return toCellLocation(program, value) as T;
  if (Array.isArray(value)) return value.map((v) => remap(v, program, file, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'function' ? v : remap(v, program, file, depth + 1);
  return out as T;
}

/**
 * Reads a notebook: its .ipynb text or its cells. A cell that is not valid Python on its own is skipped with a
 * diagnostic on that cell, as a kernel would fail that cell alone.
 */
export function readNotebook(reader: NotebookReader, text: string | readonly CellText[], file: string, imports?: ImportOptions): ReadResult {
  const program = programOfCells(typeof text === 'string' ? notebookCells(text) : text, (cell) => reader.parses(cell, 'python'));
  const read = reader.read(program.text, { file, language: 'python', ...(imports ? { imports } : {}) });
  const skipped: SourceDiagnostic[] = program.skipped.map((s) => ({
    severity: s.reason.startsWith('syntax') ? 'error' : 'info',
    code: s.reason.startsWith('syntax') ? 'syntax' : 'unsupported',
    message: `cell ${s.cell}: ${s.reason}; the other cells are still read`,
    source: { file, line: 1, column: 1, cell: s.cell },
  }));
  const models: FoundModel[] = read.models.map((m) => {
    const cache = new Map<string, BuildOutcome>();
    const model: FoundModel = {
      ...m,
      source: remap(m.source, program, file),
      build(input) {
        const key = input ? input.join(',') : '';
        let outcome = cache.get(key);
        if (!outcome) cache.set(key, (outcome = remap(m.build(input), program, file)));
        return outcome;
      },
    };
    return model;
  });
  const defaultIndex = read.defaultModel ? read.models.indexOf(read.defaultModel) : -1;
  return {
    ...read,
    models,
    defaultModel: defaultIndex >= 0 ? models[defaultIndex]! : null,
    diagnostics: [...skipped, ...remap(read.diagnostics, program, file)],
  };
}
