/**
 * "CNN Inspector: Compare architectures…": two picks from the same list as "Show architecture" (the active
 * file's models, the zoo). A is analysed here; B opens in its architecture panel compared with A: both
 * models' totals, the layers whose output shapes differ marked in the table and the diagram, and the text
 * `cnn-inspect diff --format markdown` prints one click away ("Comparison as Markdown").
 */
import * as vscode from 'vscode';
import { messageOf } from '../core/errors';
import type { AnalysisReport } from '../core/result';
import type { ArchitecturePanels } from './architecturePanel';
import type { Engine } from './engineLoader';
import type { ModelPicker } from './modelPick';

/** A comparison being chosen or computed: a second invocation meanwhile would open a second panel. */
let busy = false;

/** Resolves with B's finished report compared with A (handy for tests), or undefined when dismissed or failed. */
export async function compareArchitectures(
  picker: ModelPicker,
  panels: ArchitecturePanels,
  engine: () => Promise<Engine>,
  settings: () => { flopsPerMac: 1 | 2; backend: 'auto' | 'node' | 'cpu' },
): Promise<AnalysisReport | undefined> {
  if (busy) return undefined;
  busy = true;
  try {
    return await compareOnce(picker, panels, engine, settings);
  } finally {
    busy = false;
  }
}

async function compareOnce(
  picker: ModelPicker,
  panels: ArchitecturePanels,
  engine: () => Promise<Engine>,
  settings: () => { flopsPerMac: 1 | 2; backend: 'auto' | 'node' | 'cpu' },
): Promise<AnalysisReport | undefined> {
  const a = await picker.pick('CNN Inspector: Compare architectures (1/2)', 'The model to compare from (A)');
  if (!a) return undefined;
  const b = await picker.pick('CNN Inspector: Compare architectures (2/2)', `Compare ${a.label} with (B)`);
  if (!b) return undefined;
  let reportA: AnalysisReport;
  try {
    reportA = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Analysing ${a.label} to compare…` }, async () => {
      const e = await engine();
      return e.analyzeModel(await a.load(), { flopsPerMac: settings().flopsPerMac, backend: settings().backend });
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`CNN Inspector: could not compare ${a.label} and ${b.label}: ${messageOf(error)}`);
    return undefined;
  }
  return panels.openComparison(a, reportA, b).running;
}
