/**
 * The one door to the analysis engine from the extension host. The engine (and TensorFlow.js with it) is
 * bundled separately as dist/engine.js and required on first use, so activation loads none of it. Only
 * types are imported statically; a runtime import of `../engine` here would pull TensorFlow.js into
 * dist/extension.js.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as EngineModule from '../engine';
import { IsolatedRunner } from '../core/isolation/runner';
import { analysisWorkerEntry } from '../workerEntry';

export type Engine = typeof EngineModule;

let loading: Promise<Engine> | undefined;

/** Where the engine lives: beside the bundle (dist/engine.js), or the TypeScript source under tsx/tests. */
function enginePath(): string {
  const bundled = path.join(__dirname, 'engine.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', 'engine');
}

/** Loads the engine once. The require runs on a later tick so a caller can show UI (a busy Quick Pick) first. */
export function loadEngine(): Promise<Engine> {
  loading ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const started = performance.now();
    // A computed path keeps esbuild from bundling the engine into the extension.
    const engine = require(enginePath()) as Engine;
    engineLoadMs = performance.now() - started;
    return engine;
  });
  // A failed load (a broken install) should be retried next time, not cached forever.
  loading.catch(() => (loading = undefined));
  return loading;
}

let engineLoadMs: number | null = null;

/** Milliseconds the engine's require took, or null before it loaded (reported by the test API). */
export function engineLoadTime(): number | null {
  return engineLoadMs;
}

let runner: IsolatedRunner | undefined;

/**
 * The analysis worker every document read goes through (core/isolation): created on first use, its thread
 * started by the first job and restarted after a stop. The extension host itself never runs a reader.
 */
export function analysisRunner(): IsolatedRunner {
  runner ??= new IsolatedRunner(analysisWorkerEntry());
  return runner;
}

/** Ends the worker (deactivation). */
export function disposeAnalysisRunner(): Promise<void> {
  const current = runner;
  runner = undefined;
  return current?.dispose() ?? Promise.resolve();
}
