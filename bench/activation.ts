/**
 * Activation cost of the built extension (dist/extension.js) under a stand-in `vscode` module: how long
 * require + activate() take, and proof that activation loads no TensorFlow.js (it loads with the engine,
 * on the first analysis). Prints one Markdown line per figure.
 */
import Module from 'node:module';
import { join } from 'node:path';
import { statSync } from 'node:fs';

const dist = join(__dirname, '../dist');

/** A vscode stand-in: every namespace function returns a disposable, every value is a harmless proxy. */
function stub(): { api: Record<string, unknown>; any: unknown } {
  const disposable = { dispose(): void {} };
  const handler: ProxyHandler<(...args: unknown[]) => unknown> = {
    get: (_target, key) => (key === 'then' ? undefined : key === 'dispose' ? () => undefined : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  };
  const proxy: unknown = new Proxy(function () {}, handler);
  // Bundles copy the module's own keys (esbuild's __toESM), so the namespaces must be real properties.
  const names = ['window', 'workspace', 'commands', 'env', 'languages', 'extensions', 'l10n', 'Uri', 'ViewColumn', 'QuickPickItemKind', 'EventEmitter', 'Range', 'Position', 'Selection', 'Hover', 'MarkdownString', 'InlayHint', 'InlayHintKind', 'Diagnostic', 'DiagnosticSeverity', 'CodeLens', 'TextEditorRevealType', 'ThemeIcon', 'StatusBarAlignment', 'CancellationTokenSource'];
  const api: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, proxy]));
  api.Disposable = class {
    static from(): typeof disposable {
      return disposable;
    }
    dispose(): void {}
  };
  return { api, any: proxy };
}

const { api: vscode, any } = stub();
const originalLoad = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
};

const loadedTf = (): boolean => Object.keys(require.cache).some((p) => p.includes('engine.js') || p.includes('@tensorflow'));

const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(join(dist, 'extension.js')) as { activate: (context: unknown) => unknown };
const t1 = performance.now();
const context = new Proxy({ subscriptions: [] as unknown[], extension: { packageJSON: { version: '0' } } }, {
  get: (target, key) => (key in target ? target[key as keyof typeof target] : any),
});
extension.activate(context);
const t2 = performance.now();

// What the first analysis pays on top: loading the engine bundle (and TensorFlow.js with it), then a run.
async function firstAnalysis(): Promise<void> {
  const e0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const engine = require(join(dist, 'engine.js')) as typeof import('../extension/engine');
  const e1 = performance.now();
  await engine.analyzeModel(engine.zooModel('resnet50'));
  const e2 = performance.now();
  console.log(`| first analysis: require dist/engine.js | ${(e1 - e0).toFixed(1)} ms |`);
  console.log(`| first analysis: ResNet-50, TensorFlow.js start-up included | ${(e2 - e1).toFixed(1)} ms |`);
}

const kb = (file: string): string => `${(statSync(join(dist, file)).size / 1024).toFixed(1)} KB`;
console.log('| extension start-up | |');
console.log('|---|---:|');
console.log(`| require dist/extension.js | ${(t1 - t0).toFixed(1)} ms |`);
console.log(`| activate() | ${(t2 - t1).toFixed(1)} ms |`);
console.log(`| TensorFlow.js loaded by activation | ${loadedTf() ? 'yes (a regression!)' : 'no'} |`);
for (const file of ['extension.js', 'engine.js', 'cli.js', 'webview/panel.js', 'webview/report.js', 'webview/elk-worker.js']) {
  console.log(`| size of dist/${file} | ${kb(file)} |`);
}
if (loadedTf()) process.exitCode = 1;
void firstAnalysis();
