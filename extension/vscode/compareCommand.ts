/**
 * "CNN Inspector: Compare architectures…": two picks from the same list as "Show architecture" (the active
 * file's models, the zoo), both analysed, and the comparison — totals, blocks and layers that differ — opened
 * as Markdown beside the editor, the text `cnn-inspect diff --format markdown` prints.
 */
import * as vscode from 'vscode';
import { compareReports } from '../core/compare';
import { messageOf } from '../core/errors';
import { comparisonMarkdown } from '../core/report/compare';
import type { Engine } from './engineLoader';
import type { ModelPicker } from './modelPick';

/** A comparison being chosen or computed: a second invocation meanwhile would open a second document. */
let busy = false;

export async function compareArchitectures(
  picker: ModelPicker,
  engine: () => Promise<Engine>,
  settings: () => { flopsPerMac: 1 | 2; backend: 'auto' | 'node' | 'cpu' },
): Promise<string | undefined> {
  if (busy) return undefined;
  busy = true;
  try {
    return await compareOnce(picker, engine, settings);
  } finally {
    busy = false;
  }
}

async function compareOnce(
  picker: ModelPicker,
  engine: () => Promise<Engine>,
  settings: () => { flopsPerMac: 1 | 2; backend: 'auto' | 'node' | 'cpu' },
): Promise<string | undefined> {
  const a = await picker.pick('CNN Inspector: Compare architectures (1/2)', 'The model to compare from (A)');
  if (!a) return undefined;
  const b = await picker.pick('CNN Inspector: Compare architectures (2/2)', `Compare ${a.label} with (B)`);
  if (!b) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing ${a.label} and ${b.label}…` }, async () => {
    try {
      const e = await engine();
      const options = { flopsPerMac: settings().flopsPerMac, backend: settings().backend };
      const [ra, rb] = [await e.analyzeModel(await a.load(), options), await e.analyzeModel(await b.load(), options)];
      const markdown = comparisonMarkdown(compareReports(ra, rb));
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return markdown;
    } catch (error) {
      void vscode.window.showErrorMessage(`CNN Inspector: could not compare ${a.label} and ${b.label}: ${messageOf(error)}`);
      return undefined;
    }
  });
}
