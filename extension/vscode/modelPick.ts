/**
 * The Quick Pick of "Show architecture": every provider's models under its heading — the active file's
 * models first, then model files, the zoo last — with parameters and MACs as descriptions. The list shows
 * at once; the figures fill in as each model is analysed, and are cached for the session (and in global
 * state for the zoo, whose models never change within a version). A model whose input is not stated gets
 * no figures: analysing it would ask for the input, and opening a list must never prompt.
 */
import * as vscode from 'vscode';
import type { ModelSource, ModelSources } from './modelSources';
import { loadEngine } from './engineLoader';
import { formatSignificant } from '../core/report/numberFormat';

interface Item extends vscode.QuickPickItem {
  source?: ModelSource;
}

const CACHE_KEY = 'cnnInspector.zooFigures';

export class ModelPicker {
  private readonly figures = new Map<string, string>();

  constructor(
    private readonly sources: ModelSources,
    private readonly memento: vscode.Memento,
    private readonly version: string,
    private readonly log: (message: string) => void,
    private readonly backend: () => 'auto' | 'node' | 'cpu',
  ) {
    const cached = memento.get<{ version: string; figures: Record<string, string> }>(CACHE_KEY);
    if (cached?.version === version) for (const [id, text] of Object.entries(cached.figures)) this.figures.set(id, text);
  }

  /** Shows the pick; resolves with the chosen model, or undefined when dismissed. */
  pick(title = 'CNN Inspector: Show architecture', placeholder = 'Choose a model to analyse'): Promise<ModelSource | undefined> {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = title;
    qp.placeholder = placeholder;
    qp.matchOnDescription = true;
    qp.busy = true;
    const abort = new AbortController();
    let listed: { label: string; sources: ModelSource[] }[] = [];

    const render = (): void => {
      const active = qp.activeItems[0]?.source?.id;
      const items: Item[] = [];
      for (const group of listed) {
        items.push({ label: group.label, kind: vscode.QuickPickItemKind.Separator });
        for (const source of group.sources) {
          const figures = this.figures.get(source.id);
          const input = source.defaultInput.join('×');
          items.push({ label: source.label, description: figures ? `${figures} · ${input}` : input, ...(source.detail ? { detail: source.detail } : {}), source });
        }
      }
      qp.items = items;
      const keep = items.find((i) => i.source?.id === active);
      if (keep) qp.activeItems = [keep];
    };

    return new Promise<ModelSource | undefined>((resolve) => {
      qp.onDidAccept(() => {
        const chosen = qp.selectedItems[0]?.source;
        if (!chosen) return;
        resolve(chosen);
        qp.hide();
      });
      qp.onDidHide(() => {
        abort.abort();
        resolve(undefined);
        qp.dispose();
      });
      qp.show();
      void this.sources
        .list((provider, error) => this.log(`Listing models from ${provider.label} failed: ${String(error)}`))
        .then(async (lists) => {
          // The zoo is always there; what the user is working on comes first.
          const ordered = [...lists.filter((l) => l.provider.id !== 'zoo'), ...lists.filter((l) => l.provider.id === 'zoo')];
          listed = ordered.map((l) => ({ label: l.provider.label, sources: l.sources }));
          render();
          qp.busy = false;
          await this.fillFigures(listed.flatMap((l) => l.sources), abort.signal, render);
        })
        .catch((error: unknown) => {
          qp.busy = false;
          this.log(`Could not list models: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          qp.items = [{ label: '$(error) Could not load the model list', detail: 'See Output › CNN Inspector for details.' }];
        });
    });
  }

  /** Analyses models without figures, one at a time, re-rendering the pick after each. */
  private async fillFigures(sources: readonly ModelSource[], signal: AbortSignal, render: () => void): Promise<void> {
    const missing = sources.filter((s) => !this.figures.has(s.id) && s.inputKnown !== false);
    if (missing.length === 0) return;
    const engine = await loadEngine();
    for (const source of missing) {
      if (signal.aborted) return;
      try {
        const report = await engine.analyzeModel(await source.load(), { flopsPerMac: 1, backend: this.backend(), signal });
        this.figures.set(source.id, `${formatSignificant(report.totals.params)} params · ${formatSignificant(report.totals.macs)}MACs`);
        if (!signal.aborted) render();
      } catch (error) {
        if (signal.aborted) return;
        this.log(`Could not summarise ${source.label}: ${String(error)}`);
      }
    }
    const zoo = Object.fromEntries([...this.figures].filter(([id]) => id.startsWith('zoo:')));
    void this.memento.update(CACHE_KEY, { version: this.version, figures: zoo });
  }
}
