/**
 * Convolutions run functionally on a module's own state (functionalConv.ts): a weight-standardised nn.Conv2d
 * subclass (WSConv2d), a module's own nn.Parameter kernel, a buffer kernel (timm's BlurPool2d: no
 * parameters), WSConv1d / WSConv3d, timm's Conv2dSame (pad_same by `weight.shape[-2:]`), MaxPool2dSame / AvgPool2dSame (rows of their class) and ScaledStdConv2d (F.batch_norm over the
 * reshaped weight with a gain nn.Parameter, reshape_as), StdConv2d with GroupNormAct (F.group_norm on its own
 * weight and bias, or on none with affine=False). Every row, total and MAC count is PyTorch 2.13's on
 * the same files (test/fixtures/functional_conv/, scripts/reference/functional_conv_reference.py →
 * expected.json); a weight computed to other sizes than the layer's own is unknown, at its line, with why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyse, built, callRows, getReader } from './helpers';

const DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'functional_conv');

interface Expected {
  input: number[];
  layers: { name: string; type: string; output: number[]; params: number }[];
  total_params: number;
  macs: number;
}
const expected = (JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { files: Record<string, Expected> }).files;

// The 1-D file's batch of (4, 64) sequences is given: the reader takes a 3-D example as one only before an nn.Conv1d.
const INPUTS: Record<string, number[]> = { 'ws_conv1d.py': [4, 64] };

async function read(file: string) {
  const text = readFileSync(path.join(DIR, file), 'utf8');
  const result = (await getReader()).read(text, { file, language: 'python' });
  const model = built(result.defaultModel!, INPUTS[file]);
  return { text, result, model, report: await analyse(model) };
}

for (const file of ['ws_conv.py', 'ws_conv1d.py', 'ws_conv3d.py', 'own_kernel.py', 'buffer_kernel.py', 'conv2d_same.py', 'std_conv_group_norm.py']) {
  test(`${file}: every module, the total parameters and MACs are PyTorch's`, async () => {
    const want = expected[file]!;
    const { model, report } = await read(file);
    const rows = callRows(model, report, want.input[0]!, (t) => t.startsWith('nn.') || /^[A-Z]\w*$/.test(t));
    assert.deepEqual(
      rows.map(({ name, type, output, params }) => ({ name, type, output, params })),
      want.layers,
    );
    assert.equal(report.complete, true);
    assert.equal(report.totals.params, want.total_params);
    assert.equal(report.totals.macs, want.macs);
  });
}

test('a buffer kernel carries no parameters; an own nn.Parameter kernel carries its own once', async () => {
  const blur = (await read('buffer_kernel.py')).report.layers.filter((l) => l.frameworkType === 'Blur');
  assert.deepEqual(blur.map((l) => l.params), [0, 0]);
  const own = (await read('own_kernel.py')).report.layers.filter((l) => l.frameworkType === 'OwnKernel');
  assert.deepEqual(own.map((l) => l.params), [3 * 8 * 9 + 8, 8 * 16 * 9 + 16]);
});

test('a weight computed to other sizes than the layer\'s own is unknown, at the F.conv2d line, with why', async () => {
  const { text, result, report } = await read('reshaped_weight.py');
  assert.equal(report.complete, false);
  const line = text.split('\n').findIndex((l) => l.includes('return F.conv2d(x, w')) + 1;
  const said = result.diagnostics.filter((d) => d.source.line === line && /odd\.weight \(16, 8, 3, 3\) with sizes \(16, 1, 3, 3\), not the layer's own/.test(d.message));
  assert.equal(said.length, 1, JSON.stringify(result.diagnostics));
  // PyTorch runs it (its weight is (16, 1, 3, 3) on a 1-channel input), with 1,196 parameters: never a guessed total.
  assert.equal(expected['reshaped_weight.py']!.total_params, 1196);
  assert.notEqual(report.totals.params, 1196);
});

// NASNet/PNASNet shift a path by ZeroPad2d((-1, 1, -1, 1)) before a stride-2 pool: negative sides crop.
// torch 2.13 on torch.randn(1, 8, 16, 16): ZeroPad2d and ConstantPad2d(p, 0.5) alike.
for (const [pad, shape] of [['(-1, 1, -1, 1)', [16, 16, 8]], ['(-2, 0, 1, -1)', [16, 14, 8]], ['(-1, -1, -2, -2)', [12, 14, 8]]] as const) {
  for (const layer of [`nn.ZeroPad2d(${pad})`, `nn.ConstantPad2d(${pad}, 0.5)`]) {
    test(`${layer} on (1, 8, 16, 16) is torch's shape`, async () => {
      const code = `import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(${layer})\nmodel(torch.randn(1, 8, 16, 16))\n`;
      const result = (await getReader()).read(code, { file: 'pad.py', language: 'python' });
      const report = await analyse(built(result.defaultModel!));
      assert.deepEqual(report.layers.at(-1)!.outputShape, shape);
      assert.equal(report.complete, true);
    });
  }
}
