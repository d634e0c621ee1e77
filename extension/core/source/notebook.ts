/**
 * Jupyter notebooks (.ipynb) read as one Python program, the way the kernel runs them: code cells in order,
 * markdown and raw cells left out, IPython syntax (`%magic`, `!shell`, `obj?`) blanked because it is not Python.
 * Lines keep their place so every location maps back to (cell, line in cell).
 */
import type { SourceLocation } from '../spec';

/** One code cell's place in the program. */
export interface NotebookCell {
  /** 1-based position among all cells of the notebook, as VS Code and Jupyter number them. */
  cell: number;
  /** 0-based program line of the cell's first line. */
  offset: number;
  lineCount: number;
}

export interface NotebookProgram {
  text: string;
  cells: NotebookCell[];
  /** Cells left out and why (a shell cell magic, a cell that does not parse), with their 1-based number. */
  skipped: { cell: number; reason: string }[];
}

export class NotebookFormatError extends Error {
  override name = 'NotebookFormatError';
}

// Cell magics whose body is still Python the kernel runs.
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);

interface RawCell {
  cell_type?: unknown;
  source?: unknown;
  input?: unknown;
}

function sourceText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string').join('');
  return '';
}

/** nbformat 4 keeps `cells` at the top; nbformat 3 inside `worksheets` with `input` for the source. */
function cellsOf(json: unknown): RawCell[] {
  if (typeof json !== 'object' || json === null) throw new NotebookFormatError('not a Jupyter notebook (the file is not a JSON object)');
  const nb = json as { cells?: unknown; worksheets?: { cells?: unknown }[] };
  if (Array.isArray(nb.cells)) return nb.cells as RawCell[];
  if (Array.isArray(nb.worksheets)) return nb.worksheets.flatMap((w) => (Array.isArray(w?.cells) ? (w.cells as RawCell[]) : []));
  throw new NotebookFormatError('not a Jupyter notebook (no "cells")');
}

/** A line of IPython-only syntax becomes `pass` at the same indentation, so blocks around it stay valid. */
function blankIPython(line: string): string {
  const body = line.trimStart();
  const ipython = body.startsWith('%') || body.startsWith('!') || /^[A-Za-z_][\w.]*\?\??\s*$/.test(body);
  return ipython ? `${line.slice(0, line.length - body.length)}pass` : line;
}

/** A cell as plain data: what both a .ipynb file and VS Code's notebook editor give. */
export interface CellText {
  kind: 'code' | 'markdown' | 'raw';
  text: string;
}

/** The cells of an .ipynb file's JSON text. */
export function notebookCells(text: string): CellText[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(`not a Jupyter notebook (invalid JSON: ${(error as Error).message})`);
  }
  return cellsOf(json).map((raw) => ({
    kind: raw?.cell_type === 'code' ? 'code' : raw?.cell_type === 'markdown' ? 'markdown' : 'raw',
    text: sourceText(raw?.source ?? raw?.input),
  }));
}

/** The program of an .ipynb file's JSON text (see programOfCells). */
export function notebookProgram(text: string, parses: (cellText: string) => boolean = () => true): NotebookProgram {
  return programOfCells(notebookCells(text), parses);
}

/**
 * The program a notebook's code cells make. `parses` tells whether a cell's text is valid Python on its own;
 * a cell that is not is left out (as blank lines) and listed in `skipped`, and the rest is still read.
 */
export function programOfCells(all: readonly CellText[], parses: (cellText: string) => boolean = () => true): NotebookProgram {
  const lines: string[] = [];
  const cells: NotebookCell[] = [];
  const skipped: NotebookProgram['skipped'] = [];
  all.forEach((raw, i) => {
    if (raw.kind !== 'code') return;
    const number = i + 1;
    let cellLines = raw.text.replace(/\r\n?/g, '\n').split('\n');
    const magic = /^%%(\w+)/.exec(cellLines[0]?.trim() ?? '');
    const python = !magic || PYTHON_CELL_MAGICS.has(magic[1]!);
    if (magic) {
      if (python) cellLines = ['', ...cellLines.slice(1)];
      else {
        skipped.push({ cell: number, reason: `%%${magic[1]} cell: not Python` });
        cellLines = cellLines.map(() => '');
      }
    }
    cellLines = cellLines.map(blankIPython);
    if (python && !parses(cellLines.join('\n'))) {
      skipped.push({ cell: number, reason: 'syntax error: the cell is skipped' });
      cellLines = cellLines.map(() => '');
    }
    cells.push({ cell: number, offset: lines.length, lineCount: cellLines.length });
    lines.push(...cellLines);
  });
  return { text: lines.join('\n'), cells, skipped };
}

/** The cell holding a 1-based program line, or null past the end. */
export function cellAt(program: NotebookProgram, line: number): NotebookCell | null {
  const row = line - 1;
  for (const c of program.cells) if (row >= c.offset && row < c.offset + c.lineCount) return c;
  return null;
}

/** A program location as (cell, line in cell); `cell` is added, `line`/`endLine` become cell-relative. */
export function toCellLocation(program: NotebookProgram, location: SourceLocation): SourceLocation {
  const c = cellAt(program, location.line);
  if (c === null) return location;
  const mapped: SourceLocation = { ...location, cell: c.cell, line: location.line - c.offset };
  if (location.endLine !== undefined) {
    const end = cellAt(program, location.endLine);
    if (end === c) {
      mapped.endLine = location.endLine - c.offset;
    } else {
      // A range running past its cell is cut to the cell's own line.
      delete mapped.endLine;
      delete mapped.endColumn;
    }
  }
  return mapped;
}
