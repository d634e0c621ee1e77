/**
 * A convolution's kernel_size of another length than its spatial rank (`nn.Conv2d(3, 8, [3])`): PyTorch makes a
 * weight with that many kernel axes and forward() raises, so the reader refuses it at the line instead of reading
 * [3] as 3×3. Every expected fact below is the output of scripts/reference/kernel_rank_reference.py (torch 2.13
 * cpu), quoted in the comment beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupeDiagnostics, diagnosticsFromReport, type SourceDiagnostic } from '../../../extension/core/source/index';
import { analyse, built, callRows, getReader } from './helpers';

const torchModel = (layers: string, forward: string): string => `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
${layers}

    def forward(self, x):
        return ${forward}

model = Net()
model(torch.randn(1, 3, 16, 16))
`;

async function readModel(text: string) {
  const read = await (await getReader()).read(text, { file: 'k.py', language: 'python' });
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, 1).map(({ name, output, params }) => ({ name, output, params }));
  const diagnostics = dedupeDiagnostics([...read.diagnostics, ...model.diagnostics, ...diagnosticsFromReport(model, report)]);
  return { diagnostics, rows, complete: report.complete };
}

const errorsOf = (diagnostics: SourceDiagnostic[]): [number, string][] =>
  diagnostics.filter((d) => d.severity === 'error' && d.code === 'invalid').map((d) => [d.source.line, d.message]);

const ofSeverity = (diagnostics: SourceDiagnostic[], severity: string): [number, string][] =>
  diagnostics.filter((d) => d.severity === severity).map((d) => [d.source.line, d.message]);

test('nn.Conv2d(3, 8, [3]) called by forward(): an error at its line, never a 3×3 kernel, and the model incomplete', async () => {
  // nn.Conv2d(3, 8, [3]): weight (8, 3, 3), parameters 80; forward RuntimeError: expected stride to be a single
  // integer value or a list of 1 values to match the convolution dimensions, but got stride=[1, 1]
  const cases: [string, string][] = [
    ['nn.Conv2d(3, 8, [3])', 'kernel_size=[3] gives nn.Conv2d 1 kernel size for its 2 spatial axes: PyTorch makes a weight with 1 kernel axis, and forward() raises a RuntimeError'],
    ['nn.Conv2d(3, 8, (3,))', 'kernel_size=(3,) gives nn.Conv2d 1 kernel size for its 2 spatial axes: PyTorch makes a weight with 1 kernel axis, and forward() raises a RuntimeError'],
    // nn.Conv2d(3, 8, [3, 3, 3]): weight (8, 3, 3, 3, 3), parameters 656; forward RuntimeError (a list of 3 values)
    ['nn.Conv2d(3, 8, [3, 3, 3])', 'kernel_size=[3, 3, 3] gives nn.Conv2d 3 kernel sizes for its 2 spatial axes: PyTorch makes a weight with 3 kernel axes, and forward() raises a RuntimeError'],
    // nn.ConvTranspose2d(3, 8, [3]): weight (3, 8, 3), parameters 80; forward RuntimeError
    ['nn.ConvTranspose2d(3, 8, kernel_size=[3])', 'kernel_size=[3] gives nn.ConvTranspose2d 1 kernel size for its 2 spatial axes: PyTorch makes a weight with 1 kernel axis, and forward() raises a RuntimeError'],
  ];
  for (const [layer, message] of cases) {
    const { diagnostics, complete } = await readModel(torchModel(`        self.conv = ${layer}`, 'self.conv(x)'));
    assert.deepEqual(errorsOf(diagnostics), [[7, message]], layer);
    assert.ok(diagnostics.some((d) => d.severity === 'error' && d.message.startsWith('Net is incomplete: shapes are unknown from conv (line 7) on')), layer);
    assert.equal(complete, false, layer);
  }
});

test('a registered nn.Conv2d(3, 8, [3]) forward() never calls: the warning says why its parameters are not known', async () => {
  const { diagnostics, rows } = await readModel(torchModel('        self.conv = nn.Conv2d(3, 8, 3)\n        self.unused = nn.Conv2d(3, 8, [3])', 'self.conv(x)'));
  const warnings = ofSeverity(diagnostics, 'warning').filter(([, m]) => m.includes('never calls'));
  assert.deepEqual(warnings, [
    [8, 'nn.Conv2d is registered but forward() never calls it; its parameters are not known (kernel_size=[3] gives nn.Conv2d 1 kernel size for its 2 spatial axes: PyTorch makes a weight with 1 kernel axis, and forward() raises a RuntimeError), so the total is at least what is shown'],
  ]);
  // The called conv is still exact: nn.Conv2d(3, 8, [3, 3]) forward OK (1, 8, 14, 14), parameters 224.
  assert.deepEqual(rows[0], { name: 'conv', output: [1, 8, 14, 14], params: 224 });
});

test('one-item stride and padding lists are repeated over the axes, as PyTorch repeats them', async () => {
  // nn.Conv2d(3, 8, 3, stride=[2], padding=[1]): weight (8, 3, 3, 3), parameters 224; forward OK (1, 8, 8, 8)
  const { diagnostics, rows, complete } = await readModel(torchModel('        self.conv = nn.Conv2d(3, 8, 3, stride=[2], padding=[1])', 'self.conv(x)'));
  assert.deepEqual(ofSeverity(diagnostics, 'error'), []);
  assert.equal(complete, true);
  assert.deepEqual(rows, [{ name: 'conv', output: [1, 8, 8, 8], params: 224 }]);
});
