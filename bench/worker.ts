/**
 * One benchmark measurement in a fresh process, so peak memory (maxRSS) belongs to that measurement alone.
 * Usage: worker.ts analyze|naive MODEL RUNS  → prints {"times":[ms…],"maxRssBytes":n}
 */
import { analyzeModel, buildLayersModel } from '../extension/core/analyze';
import { loadTensorFlow } from '../extension/core/tfjs/loadTf';
import { forgetLayerOutcomes } from '../extension/core/tfjs/layerOutcome';
import { zooModel } from '../extension/core/zoo/index';

async function main(): Promise<void> {
  const [mode, model, runsText] = process.argv.slice(2);
  const runs = Number(runsText ?? '5');
  if ((mode !== 'analyze' && mode !== 'naive') || !model) throw new Error('usage: worker.ts analyze|naive MODEL RUNS');
  const tf = await loadTensorFlow('cpu');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const spec = zooModel(model);
    // Every analysis asks tfjs afresh: what a model's layers answered once is kept, and would make runs 2… free.
    forgetLayerOutcomes(tf);
    const start = performance.now();
    // The naive build: the same layers with their default (random) initializers, as `tf.model` gives them.
    const built = mode === 'analyze' ? await analyzeModel(spec) : await buildLayersModel(spec, { weights: 'initialized' });
    times.push(performance.now() - start);
    if ('dispose' in built) built.dispose();
  }
  process.stdout.write(JSON.stringify({ times, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
