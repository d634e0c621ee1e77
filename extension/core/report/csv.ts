/**
 * The report as CSV for spreadsheets: one row per layer, raw numbers (no grouping separators), shapes in the
 * framework's own order as in the JSON report. RFC 4180 quoting.
 */
import type { AnalysisReport } from '../result';
import { presentShape } from './shapes';

import { csvField } from './safeText';

/** A shape as one field: "None x 224 x 224 x 3" would not sort; "[null,224,224,3]" reads like the JSON. */
function shapeField(shape: (number | null)[] | null): string | null {
  return shape === null ? null : JSON.stringify(shape);
}

export function toCsv(report: AnalysisReport): string {
  const f = report.framework;
  const total = report.totals.macs;
  const header = [
    'index', 'name', 'type', 'block', 'inputs', 'output_shape', 'params', 'trainable_params', 'non_trainable_params',
    'macs', `flops_${report.flopsPerMac}_per_mac`, 'macs_share', 'activation_bytes', 'kernel', 'strides', 'dilation', 'groups', 'padding', 'receptive_field', 'jump', 'error',
  ];
  const rows = report.layers.map((l) =>
    [
      l.index, l.name, l.frameworkType ?? l.type, l.block, l.inputs.join(' '), shapeField(presentShape(l.outputShape, f)),
      // Exact digits past 2^53 (the report carries them as strings); an unknown count is an empty field.
      l.unknown?.params ? null : (l.exact?.params ?? l.params),
      l.unknown?.params || l.unknown?.trainable ? null : l.trainableParams,
      l.unknown?.params || l.unknown?.trainable ? null : l.nonTrainableParams,
      l.unknown?.macs ? null : (l.exact?.macs ?? l.macs),
      l.unknown?.macs ? null : (l.exact?.flops ?? l.flops),
      total > 0 ? Number((l.macs / total).toFixed(6)) : 0,
      l.activationBytes, l.kernel?.join('x') ?? null, l.strides?.join('x') ?? null, l.dilation?.join('x') ?? null, l.groups ?? null, l.padding, l.receptiveField, l.jump, l.error?.message ?? null,
    ]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}
