/** Reports from the real engine, computed once per test process and shared by the webview tests. */
import { analyzeModel } from '../../../extension/core/analyze';
import { zooModel } from '../../../extension/core/zoo/index';
import type { AnalysisReport, LayerResult } from '../../../extension/core/result';
import type { ReportSummary } from '../../../extension/protocol';

const cache = new Map<string, Promise<AnalysisReport>>();

export function report(model: string, input?: readonly number[]): Promise<AnalysisReport> {
  const key = `${model}@${input?.join('x') ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    found = analyzeModel(zooModel(model, input), { backend: 'cpu' });
    cache.set(key, found);
  }
  return found;
}

export function split(r: AnalysisReport): { summary: ReportSummary; layers: LayerResult[] } {
  const { layers, ...summary } = r;
  return { summary, layers };
}

/** A minimal layer for shape-free tests. */
export function layer(partial: Partial<LayerResult> & Pick<LayerResult, 'name'>): LayerResult {
  return {
    index: 0,
    type: 'Conv2D',
    block: null,
    inputs: ['input'],
    inputShapes: [[8, 8, 3]],
    outputShape: [8, 8, 4],
    params: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    macs: 0,
    flops: 0,
    activationElements: 256,
    activationBytes: 1024,
    kernel: [3, 3],
    strides: [1, 1],
    dilation: [1, 1],
    padding: 'same',
    receptiveField: 3,
    jump: 1,
    source: null,
    error: null,
    ...partial,
  };
}
