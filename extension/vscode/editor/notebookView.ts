/**
 * A notebook is analysed once, as one program; each cell's editor sees only its own part of that analysis,
 * with lines relative to the cell (as the locations already are). No `vscode` import: tested in Node.
 */
import type { CallGroup, DocumentAnalysis } from './documentAnalysis';

/** The part of a notebook's analysis that one cell (1-based, among all cells) shows. */
export function cellView(result: DocumentAnalysis, cell: number): DocumentAnalysis {
  const groups = result.groups.filter((g) => g.cell === cell);
  const byLine = new Map<number, CallGroup[]>();
  for (const g of groups) {
    for (let line = g.line; line <= g.endLine; line++) {
      const list = byLine.get(line) ?? [];
      list.push(g);
      byLine.set(line, list);
    }
  }
  return {
    ...result,
    // CodeLens: the models defined in this cell.
    models: result.models.filter((m) => m.found.source.cell === cell),
    diagnostics: result.diagnostics.filter((d) => d.source.cell === cell),
    groups,
    byLine,
    sites: result.sites.filter((s) => s.cell === cell),
  };
}
