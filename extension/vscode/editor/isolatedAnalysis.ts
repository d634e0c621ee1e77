/**
 * The host side of the editor's analysis: every document is read and analysed by the analysis worker
 * (documentJob.ts) under the shared limits, so a hostile file costs the extension host only a message. A
 * worker that runs out of time or memory is ended and restarted, and the document gets one located
 * "analysis stopped: <limit>" error instead of results. No `vscode` import: tested in Node.
 */
import { CancelledError } from '../../core/errors';
import { stopMessage, type IsolatedRunner, type JobOutcome } from '../../core/isolation/index';
import type { BuildOutcome, FoundModel } from '../../core/source/index';
import type { AnalyseOptions, DocumentAnalysis } from './documentAnalysis';
import type { BuildJobPayload, DocumentJobPayload } from './documentJob';

export interface IsolatedAnalyser {
  /** Reads and analyses a document; rejects with CancelledError when `options.signal` fires first. */
  analyse(text: string, options: AnalyseOptions): Promise<DocumentAnalysis>;
  /** Builds one model of the document for `input` (the panel's input-size field, an input the user typed). */
  build(request: BuildJobPayload): Promise<BuildOutcome>;
}

export function createIsolatedAnalyser(runner: IsolatedRunner): IsolatedAnalyser {
  return {
    async analyse(text, options) {
      const { signal, inputs, ...rest } = options;
      const payload: DocumentJobPayload = { text, options: { ...rest, inputs: [...(inputs ?? new Map()).entries()] } };
      const outcome = await runner.run<DocumentAnalysis>('document', payload, signal ? { signal } : {});
      if (outcome.kind === 'done') return withBuilds(outcome.value);
      if (outcome.kind === 'stopped' && outcome.reason === 'cancelled') throw new CancelledError();
      return stoppedAnalysis(outcome, options);
    },
    async build(request) {
      const outcome = await runner.run<BuildOutcome>('build', request);
      if (outcome.kind === 'done') return outcome.value;
      const message = outcome.kind === 'failed' ? outcome.message : stopMessage(outcome.message, outcome.progress, request.file).message;
      return { kind: 'failed', model: request.model, message, diagnostics: [] };
    },
  };
}

/**
 * Models that came back from the worker have no `build`; the one they were analysed with answers from the
 * result, any other input needs the `build` job (the editor asks it through its `build` dependency).
 */
function withBuilds(result: DocumentAnalysis): DocumentAnalysis {
  for (const model of result.models) {
    const found = model.found as FoundModel;
    const outcome = model.outcome;
    found.build = (input) =>
      input === undefined || (outcome.kind === 'built' && sameShape(outcome.model.spec.input, input))
        ? outcome
        : { kind: 'failed', model: found.name, message: `${found.name} at another input is built by the analysis worker`, diagnostics: [] };
  }
  // Models the document has but the analysis did not reach (none today) still need a callable build.
  for (const found of result.read.models) found.build ??= () => ({ kind: 'failed', model: found.name, message: `${found.name} was not analysed`, diagnostics: [] });
  return result;
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A document whose analysis was stopped: no models, one located error saying which limit and where. */
function stoppedAnalysis(outcome: Exclude<JobOutcome<unknown>, { kind: 'done' }>, options: AnalyseOptions): DocumentAnalysis {
  const stop =
    outcome.kind === 'stopped'
      ? stopMessage(outcome.message, outcome.progress, options.file)
      : { source: { file: options.file, line: 1, column: 1 }, message: outcome.user ? outcome.message : `CNN Inspector could not read this file (internal error: ${outcome.message})` };
  const diagnostic = {
    severity: 'error' as const,
    code: outcome.kind === 'stopped' ? ('limit' as const) : ('internal' as const),
    message: stop.message,
    source: stop.source ?? { file: options.file, line: 1, column: 1 },
  };
  return {
    read: { language: options.language, models: [], diagnostics: [diagnostic], defaultModel: null },
    models: [],
    diagnostics: [diagnostic],
    byLine: new Map(),
    groups: [],
    sites: [],
  };
}
