/**
 * The report of a model known only by its parameters (a checkpoint): one row per module with its parameter
 * count, shapes and MACs unknown, and the report marked incomplete, because without the graph they are. The
 * JSON schema is unchanged: rows have null shapes, null MACs and an issue saying why; the totals are lower bounds.
 */
import type { AnalysisReport, LayerResult } from '../result';
import { BYTES_PER_FLOAT32 } from '../shape';
import type { ParameterModel } from './types';

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * Math.max(b, 0), 1);

function describeTensors(tensors: ParameterModel['groups'][number]['tensors']): string {
  const own = tensors.filter((t) => !t.buffer).map((t) => t.name);
  const buffers = tensors.length - own.length;
  return `${own.join('·') || 'no parameters'}${buffers > 0 ? ` + ${buffers} buffer${buffers === 1 ? '' : 's'}` : ''}`;
}

export function parameterReport(model: ParameterModel, flopsPerMac: 1 | 2 = 2): AnalysisReport {
  const pytorch = model.framework === 'pytorch';
  const layers: LayerResult[] = model.groups.map((group, index) => {
    const parameters = group.tensors.filter((t) => !t.buffer).reduce((a, t) => a + count(t.shape), 0);
    const frozen = group.tensors.filter((t) => !t.buffer && t.frozen).reduce((a, t) => a + count(t.shape), 0);
    // PyTorch counts model.parameters(): buffers (batch norm statistics) are not parameters.
    const buffers = pytorch ? 0 : group.tensors.filter((t) => t.buffer).reduce((a, t) => a + count(t.shape), 0);
    return {
      index,
      name: group.name,
      // The tensors a module holds say what it is (weight · bias) without guessing its class.
      type: describeTensors(group.tensors),
      block: null,
      inputs: [],
      inputShapes: [],
      outputShape: null,
      params: parameters + buffers,
      trainableParams: parameters - frozen,
      nonTrainableParams: buffers + frozen,
      macs: 0,
      flops: 0,
      activationElements: null,
      activationBytes: null,
      kernel: null,
      strides: null,
      dilation: null,
      padding: null,
      receptiveField: null,
      jump: null,
      source: null,
      error: null,
      // No graph, so no MACs (the JSON gives null); which of them train, when the file does not say, neither.
      unknown: model.trainableUnknown ? { macs: true, trainable: true } : { macs: true },
      ...(model.trainableUnknown ? { trainableParams: 0, nonTrainableParams: 0 } : {}),
    };
  });
  const trainable = layers.reduce((a, l) => a + l.trainableParams, 0);
  const nonTrainable = layers.reduce((a, l) => a + l.nonTrainableParams, 0);
  const params = layers.reduce((a, l) => a + l.params, 0);
  return {
    model: model.name,
    framework: model.framework ?? 'pytorch',
    backend: 'none',
    input: [],
    flopsPerMac,
    layers,
    blocks: [],
    oneByOne: [],
    oneByOneTotals: null,
    factorisations: [],
    factorisationTotals: null,
    totals: {
      ...(model.trainableUnknown ? { trainableUnknown: { message: model.trainableUnknown, source: { file: model.name, line: 1 } } } : {}),
      params,
      trainableParams: trainable,
      nonTrainableParams: nonTrainable,
      macs: 0,
      flops: 0,
      paramBytes: params * BYTES_PER_FLOAT32,
      activationBytes: 0,
      peakActivationBytes: 0,
      // MACs and memory are unknown (0 of them known): a lower bound, never a figure.
      lowerBound: true,
    },
    issues: [
      {
        layer: model.name,
        kind: 'unsupported',
        message: `${model.name}: ${model.why ?? 'a checkpoint holds parameters, not the graph; shapes, MACs and memory are unknown'}`,
        source: null,
      },
    ],
    complete: false,
  };
}
