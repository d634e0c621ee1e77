/**
 * Shapes a file states for its tensors (ONNX value_info and graph outputs), checked against the shapes the
 * engine computed: a disagreement is an error naming the layer, never silently resolved either way.
 */
import type { AnalysisReport } from '../result';
import { toFrameworkShape } from '../report/shapes';
import type { FileDiagnostic } from './diagnostics';
import type { ModelFile } from './types';

export function checkStatedShapes(file: ModelFile, report: AnalysisReport): FileDiagnostic[] {
  const out: FileDiagnostic[] = [];
  const byName = new Map(report.layers.map((l) => [l.name, l]));
  for (const stated of file.statedShapes ?? []) {
    const layer = byName.get(stated.layer);
    if (!layer || layer.outputShape === null) continue;
    const computed = toFrameworkShape(report.framework, layer.outputShape);
    if (computed === null) continue;
    const agree = computed.length === stated.shape.length && computed.every((d, i) => i === 0 || stated.shape[i] === null || d === stated.shape[i]);
    if (!agree) {
      out.push({
        severity: 'error',
        layer: stated.layer,
        message: `the file states the output shape (${stated.shape.map((d) => d ?? '?').join(', ')}), the engine computes (${computed.slice(1).map(String).join(', ')}) after the batch; one of them is wrong, so do not trust this layer`,
      });
    }
  }
  for (const stated of file.statedParams ?? []) {
    const layer = byName.get(stated.layer);
    if (!layer || layer.outputShape === null || layer.params === stated.params) continue;
    out.push({
      severity: 'error',
      layer: stated.layer,
      message: `the file holds ${stated.params} weights for this layer, the engine counts ${layer.params} parameters; the layer's input is not what its weights expect, so do not trust its numbers`,
    });
  }
  return out;
}
