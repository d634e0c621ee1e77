/**
 * Editor responsiveness: re-analysis after an edit (read + build + analyse, as the editor runs it) and a hover
 * answered from the cached analysis (finding the line's layers and formatting the tooltip), on the 294-line
 * Keras ResNet-50 fixture and, when the corpus is fetched (scripts/corpus/fetch.sh), torchvision's resnet.py
 * and densenet.py with every model they define given a 3×224×224 input (issues 9 and 11: ≤ 100 ms median;
 * hover p95 < 10 ms). Every run reads a text that differs from the one before (a comment line that counts the
 * runs), as after a real edit, so no cache keyed on identical text can make it fast. The edit is at the end (nothing
 * above it moves) and, for the torchvision files with every model given an input, also at the top (every line
 * moves, so neither the last parse's statements nor the last analysis's reports can stand in).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../extension/core/analyze';
import { loadTensorFlow } from '../extension/core/tfjs/loadTf';
import { createSourceReader } from '../extension/core/source/index';
import type { Shape } from '../extension/core/shape';
import { analyseDocument } from '../extension/vscode/editor/documentAnalysis';
import { hoverMarkdown } from '../extension/vscode/editor/format';

const RUNS = 30;
const ROOT = join(__dirname, '..');
const FILES: { label: string; path: string; everyModelAt?: Shape; editAtTop?: true }[] = [
  { label: 'keras_resnet50_functional.py', path: join(ROOT, 'test/fixtures/models/keras_resnet50_functional.py') },
  { label: 'torchvision 0.28 resnet.py, no input given', path: join(ROOT, '.corpus/torchvision-0.28.0/torchvision/models/resnet.py') },
  { label: 'torchvision 0.28 resnet.py, all models', path: join(ROOT, '.corpus/torchvision-0.28.0/torchvision/models/resnet.py'), everyModelAt: [224, 224, 3] },
  { label: 'torchvision 0.28 densenet.py, no input given', path: join(ROOT, '.corpus/torchvision-0.28.0/torchvision/models/densenet.py') },
  { label: 'torchvision 0.28 densenet.py, all models', path: join(ROOT, '.corpus/torchvision-0.28.0/torchvision/models/densenet.py'), everyModelAt: [224, 224, 3] },
  // The same with the edit on the first line: every line below it moves, so nothing of the last read stands.
  { label: 'torchvision 0.28 resnet.py, all models, edit at the top', path: join(ROOT, '.corpus/torchvision-0.28.0/torchvision/models/resnet.py'), everyModelAt: [224, 224, 3], editAtTop: true },
  { label: 'torchvision 0.28 densenet.py, all models, edit at the top', path: join(ROOT, '.corpus/torchvision-0.28.0/torchvision/models/densenet.py'), everyModelAt: [224, 224, 3], editAtTop: true },
];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const reader = await createSourceReader({ languages: ['python'] });
  const engine = { analyzeModel, loadTensorFlow };
  const ms = (v: number): string => `${v.toFixed(2)} ms`;
  // Wall time is what the user waits; on a shared machine it is mostly the wait for a core, so the process's CPU
  // time per run (all its threads, the garbage collector's included) is given beside it.
  console.log('| editor | median | p95 | CPU time, median |');
  console.log('|---|---:|---:|---:|');
  for (const file of FILES) {
    if (!existsSync(file.path)) {
      console.log(`| ${file.label}: not fetched (bash scripts/corpus/fetch.sh) | | | |`);
      continue;
    }
    const text = readFileSync(file.path, 'utf8');
    const names = reader.read(text, { file: file.label, language: 'python' }).models.map((m) => m.name);
    const inputs = new Map<string, Shape>(file.everyModelAt ? names.map((n) => [n, file.everyModelAt!]) : []);
    // The edit: a comment at the end whose number changes every run (no line above it moves), or on a line of
    // its own at the top (every line moves: no layer's source, and no statement of the last parse, stays as it was).
    const edited = (run: number): string => (file.editAtTop ? `# cnn-inspector bench: edit ${run}\n${text}` : `${text}\n# cnn-inspector bench: edit ${run}\n`);
    const analyse = (run: number) => analyseDocument(reader, async () => engine, edited(run), { file: file.label, language: 'python', backend: 'cpu', inputs, maxLayers: 100_000 });

    let cached = await analyse(-1); // warm-up: TensorFlow.js start-up and the first parse are not what an edit pays
    const layers = cached.models.reduce((n, m) => n + (m.report?.layers.length ?? 0), 0);
    const reanalysis: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      cached = await analyse(i);
      const used = process.cpuUsage(c0);
      reanalysis.push(performance.now() - t0);
      cpu.push((used.user + used.system) / 1000);
    }
    const lines = [...cached.byLine.keys()];
    const hovers: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const line of lines) {
        const t0 = performance.now();
        hoverMarkdown((cached.byLine.get(line) ?? []).slice(0, 2));
        hovers.push(performance.now() - t0);
      }
    }
    const what = `${file.label} (${text.split('\n').length} lines, ${cached.models.length} models, ${layers} layers analysed)`;
    console.log(`| ${what}: re-analysis after an edit, ${RUNS} runs | ${ms(percentile(reanalysis, 50))} | ${ms(percentile(reanalysis, 95))} | ${ms(percentile(cpu, 50))} |`);
    if (lines.length > 0) console.log(`| ${file.label}: hover from the cached analysis, ${hovers.length} hovers over ${lines.length} lines | ${ms(percentile(hovers, 50))} | ${ms(percentile(hovers, 95))} | |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
