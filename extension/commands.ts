/**
 * Every command, as one id → handler table registered under the `cnnInspector.` prefix. Handlers stay
 * short: they pick or parse, then hand over to the panels.
 */
import * as vscode from 'vscode';
import { messageOf } from './core/errors';
import type { ModelSpec } from './core/spec';
import { ids } from './config';
import type { ArchitecturePanels } from './vscode/architecturePanel';
import type { ModelPicker } from './vscode/modelPick';
import type { ModelSources } from './vscode/modelSources';
import { compareArchitectures } from './vscode/compareCommand';
import { loadEngine } from './vscode/engineLoader';

export interface CommandContext {
  panels: ArchitecturePanels;
  picker: ModelPicker;
  sources: ModelSources;
  /** FLOPs per MAC and backend, for analyses outside a panel (the comparison). */
  analysisSettings: () => { flopsPerMac: 1 | 2; backend: 'auto' | 'node' | 'cpu' };
}

type Handler = (...args: unknown[]) => unknown;

/**
 * `showArchitecture` takes an optional argument so other features (CodeLens, tests) reuse the command:
 * a model source id ("zoo:vgg16"), or `{ spec, key?, layer? }` for a model read from code.
 */
export function createCommands(ctx: CommandContext, log: (message: string) => void): Record<string, Handler> {
  return {
    showArchitecture: (arg?: unknown) =>
      showArchitecture(ctx, arg).catch((error: unknown) => {
        // Analysis errors show in the panel; this is only reached when listing or finding models failed.
        log(`Show architecture failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        void vscode.window.showErrorMessage(`CNN Inspector: ${messageOf(error)}`);
        return undefined;
      }),
    showFlopReport: () => vscode.commands.executeCommand(`${ids.reportView}.focus`),
    compareArchitectures: () => compareArchitectures(ctx.picker, ctx.panels, loadEngine, ctx.analysisSettings),
  };
}

/** Resolves with the finished report (handy for tests), or undefined when dismissed or failed in the panel. */
async function showArchitecture(ctx: CommandContext, arg: unknown): Promise<unknown> {
  if (typeof arg === 'string') {
    const source = await ctx.sources.resolve(arg);
    if (!source) return void vscode.window.showErrorMessage(`CNN Inspector: no model "${arg}".`);
    return ctx.panels.open(source).running;
  }
  if (isSpecArgument(arg)) return ctx.panels.openSpec(arg.spec, arg.key, arg.layer).running;
  const source = await ctx.picker.pick();
  return source ? ctx.panels.open(source).running : undefined;
}

function isSpecArgument(arg: unknown): arg is { spec: ModelSpec; key?: string; layer?: string } {
  if (typeof arg !== 'object' || arg === null || !('spec' in arg)) return false;
  const spec = (arg as { spec: unknown }).spec;
  return typeof spec === 'object' && spec !== null && Array.isArray((spec as ModelSpec).layers) && Array.isArray((spec as ModelSpec).input);
}

/** Registers the table; every registration goes to `subscriptions`. */
export function registerCommands(context: vscode.ExtensionContext, commands: Record<string, Handler>): void {
  for (const [name, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(ids.command(name), handler));
  }
}
