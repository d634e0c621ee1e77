/** Where the analysis worker is: beside the bundle (dist/analysisWorker.js), or its TypeScript source. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerEntry } from './core/isolation/index';

export function analysisWorkerEntry(): WorkerEntry {
  const bundled = join(__dirname, 'analysisWorker.js');
  return { file: existsSync(bundled) ? bundled : join(__dirname, 'analysisWorker.ts') };
}
