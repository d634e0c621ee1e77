import { readFileSync } from 'node:fs';
import { createSourceReader } from './extension/core/source/index';
import { analyzeModel } from './extension/core/analyze';
import { loadTensorFlow } from './extension/core/tfjs/loadTf';
(async () => {
  const r = await createSourceReader({ languages: ['python'], tensorflow: () => loadTensorFlow('cpu') });
  const text = readFileSync('test/fixtures/models/keras_resnet50_functional.py', 'utf8');
  for (let i = 0; i < 8; i++) {
    const t0 = performance.now();
    const res = r.read(text, { file: 'f.py', language: 'python' });
    const t1 = performance.now();
    const out = res.defaultModel!.build();
    const t2 = performance.now();
    if (out.kind === 'built') await analyzeModel(out.model.spec, { backend: 'cpu' });
    const t3 = performance.now();
    console.log(`read ${(t1 - t0).toFixed(1)} build ${(t2 - t1).toFixed(1)} analyse ${(t3 - t2).toFixed(1)} models ${res.models.length}`);
  }
})();
