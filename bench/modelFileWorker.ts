/** Child of bench/modelFiles.ts: reads one model file and analyses it with the built engine, timing each step. */
import { join } from 'node:path';

const engine = require(join(__dirname, '..', 'dist', 'engine.js')) as typeof import('../extension/engine');

async function main(): Promise<void> {
  const path = process.argv[2]!;
  await engine.loadTensorFlow('cpu');
  const t0 = performance.now();
  const file = await engine.readModelFile(path);
  const t1 = performance.now();
  const report = await engine.analyzeModel(file.spec!, { backend: 'cpu' });
  const t2 = performance.now();
  console.log(JSON.stringify({ readMs: t1 - t0, analyzeMs: t2 - t1, params: report.totals.params }));
}

void main();
