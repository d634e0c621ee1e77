/**
 * The layers the readers learned in 2026, each read from Python text (source reader → model → analysis) and
 * checked against the real framework: test/fixtures/reference/coverage2026.json was written by
 * scripts/reference/layer_coverage.py (torch 2.13, Keras 3.15), which evaluates the same code as the model
 * built here. Output shapes are the framework's ((N, C, ...) for PyTorch, (None, ..., C) for Keras), parameters
 * its count, MACs torch's FlopCounterMode (Keras: kernel × output positions); a call the framework rejects is
 * an error at its line with the framework's message.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLayersModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { diagnosticsFromReport, toFrameworkShape } from '../../../extension/core/source/index';
import { analyse, built, getReader } from '../source/helpers';
import { torchClassAfterRun } from '../../../extension/core/layerKnowledge/torchLazyModules';

interface Case {
  framework: 'pytorch' | 'keras';
  code: string;
  className?: string;
  input: (number | null)[];
  outputShape?: (number | null)[];
  params?: number;
  macs?: number;
  /** The rows torchinfo (leaf modules) or Keras' summary() (layers) show; none for a PyTorch function. */
  rows?: number;
  error?: string;
}
interface NumericCase {
  framework: 'pytorch' | 'keras';
  code: string;
  input: number[];
  /** Flat, in the engine's channels-last layout, as are y and yShape. */
  x: number[];
  y: number[];
  yShape: number[];
}
const reference = JSON.parse(readFileSync(join(__dirname, '../../fixtures/reference/coverage2026.json'), 'utf8')) as { cases: Case[]; numeric: NumericCase[] };

/** The model the reference script evaluates: the layer at line 9 (a PyTorch module), 12 (a function) or 5 (Keras). */
function modelCode(c: Case): { code: string; line: number } {
  if (c.framework === 'pytorch') {
    const functional = c.code.startsWith('F.');
    return {
      line: functional ? 12 : 9,
      code: `import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        ${functional ? 'pass' : `self.p = ${c.code}`}

    def forward(self, x):
        return ${functional ? c.code : 'self.p(x)'}


model = Net()
model(torch.randn(${c.input.join(', ')}))
`,
    };
  }
  return {
    line: 5,
    code: `import keras
from keras import layers

inputs = keras.Input(shape=(${c.input.slice(1).join(', ')},))
x = ${c.code}
model = keras.Model(inputs, x)
`,
  };
}

/** PyTorch's nn class (or F function's name) as written (a lazy module becomes its eager class once run; the report keeps what the code says). */
/** The class a hook sees once the module has run: a lazy module has become its cls_to_become (LazyConv2d → Conv2d). */
function torchClass(code: string): string {
  const [, module, fn] = /^(?:(nn\.\w+)|F\.(\w+))/.exec(code)!;
  return module ? `nn.${torchClassAfterRun(module.slice(3))}` : fn!;
}

async function read(c: Case) {
  const { code, line } = modelCode(c);
  const result = (await getReader()).read(code, { file: 'model.py', language: 'python' });
  const model = built(result.defaultModel!);
  const report = await analyse(model);
  return { result, model, report, line };
}

for (const framework of ['pytorch', 'keras'] as const) {
  describe(`${framework} layers as the framework builds them`, () => {
    for (const c of reference.cases.filter((x) => x.framework === framework && x.error === undefined)) {
      it(`${c.code} on ${JSON.stringify(c.input)} → ${JSON.stringify(c.outputShape)}, ${c.params} parameters, ${c.macs} MACs`, async () => {
        const { model, report } = await read(c);
        const last = report.layers.at(-1)!;
        const problems = report.layers.filter((l) => l.error).map((l) => l.error!.message);
        assert.deepEqual(problems, []);
        assert.equal(report.complete, true);
        assert.deepEqual(toFrameworkShape(framework, last.outputShape, framework === 'pytorch' ? c.input[0]! : null), c.outputShape);
        assert.equal(report.layers.reduce((s, l) => s + Number(l.params ?? 0), 0), c.params);
        assert.equal(report.layers.reduce((s, l) => s + Number(l.macs ?? 0), 0), c.macs);
        // One row per module (torchinfo) or layer (Keras' summary()): a 1-D layer tfjs computes in another layout too.
        if (c.rows !== undefined) assert.equal(report.layers.length, c.rows, report.layers.map((l) => l.name).join(', '));
        const call = model.calls.filter((x) => x.layers.length > 0).at(-1)!;
        // Keras' summary() names an alias (Convolution3D) by its class (Conv3D), as the reference records it.
        if (framework === 'pytorch') assert.equal(call.sourceType, torchClass(c.code));
        else assert.equal(last.frameworkType ?? last.type, c.className);
      });
    }
  });
  describe(`${framework} arguments and inputs the framework rejects`, () => {
    for (const c of reference.cases.filter((x) => x.framework === framework && x.error !== undefined)) {
      it(`${c.code} on ${JSON.stringify(c.input)}: "${c.error}"`, async () => {
        const { model, report, line } = await read(c);
        const errors = diagnosticsFromReport(model, report).filter((d) => d.severity === 'error' && d.source.line === line);
        // A layer's shape rule sees no batch size: PyTorch's "input [1, 3, 4]" is "input [N, 3, 4]" here.
        const expected = c.error!.replace(/of input \[\d+, /, 'of input [N, ');
        assert.ok(errors.some((d) => d.message.includes(expected)), errors.map((d) => d.message).join('\n'));
        assert.equal(report.complete, false);
      });
    }
  });
}

/**
 * What tfjs cannot build faithfully stays unsupported at its line, never approximated: the shape after it is
 * unknown. (torch 2.13 / Keras 3.15 would give: AdaptiveAvgPool1d(8) on 4 → 8 with repeated bins; the dilated
 * Conv1DTranspose (N, 20, 4); Conv3DTranspose(output_padding=1) (N, 10, 18, 18, 4); ZeroPadding3D(-1) crops.)
 */
describe('layers tfjs cannot build faithfully stay unsupported', () => {
  const cases: [Case, string][] = [
    [{ framework: 'pytorch', code: 'nn.AdaptiveAvgPool1d(8)', input: [1, 3, 4] }, 'its bins repeat'],
    [{ framework: 'pytorch', code: 'nn.ConvTranspose1d(3, 4, 3, dilation=2)', input: [1, 3, 16] }, 'dilation'],
    [{ framework: 'pytorch', code: 'nn.ConstantPad1d(-1, 0.0)', input: [1, 3, 16] }, 'negative'],
    // torch 2.13: (1, 4, 12, 12); tfjs would ignore the dilation and give 10×10.
    [{ framework: 'pytorch', code: 'nn.ConvTranspose2d(3, 4, 3, dilation=2)', input: [1, 3, 8, 8] }, 'dilation>1'],
    [{ framework: 'keras', code: 'layers.Conv1DTranspose(4, 3, dilation_rate=2)(inputs)', input: [null, 16, 3] }, 'has no dilation'],
    [{ framework: 'keras', code: 'layers.Conv2DTranspose(4, 3, dilation_rate=2)(inputs)', input: [null, 8, 8, 3] }, 'would ignore it'],
    [{ framework: 'keras', code: 'layers.Conv3DTranspose(4, 3, strides=2, output_padding=1)(inputs)', input: [null, 4, 8, 8, 3] }, 'has no output padding'],
    [{ framework: 'keras', code: 'layers.ZeroPadding3D(-1)(inputs)', input: [null, 4, 8, 8, 3] }, 'Keras crops'],
  ];
  for (const [c, why] of cases) {
    it(`${c.code} on ${JSON.stringify(c.input)}: unknown from its line (${why})`, async () => {
      const { result, model, report, line } = await read(c);
      const messages = [...result.diagnostics, ...model.diagnostics, ...diagnosticsFromReport(model, report)].filter((d) => d.source.line === line).map((d) => d.message);
      assert.ok(messages.some((m) => m.includes(why)), messages.join('\n'));
      assert.equal(report.complete, false);
      assert.equal(report.layers.at(-1)!.outputShape, null);
    });
  }
});

/** The layers the repo defines itself (tfjs lacks them) compute what the framework computes, value by value. */
describe('the custom layers run as the framework does', () => {
  for (const c of reference.numeric) {
    it(`${c.code} on ${JSON.stringify(c.input)}: ${c.y.length} values`, async () => {
      const { model } = await read({ framework: c.framework, code: c.code, input: c.framework === 'keras' ? [null, ...c.input.slice(1)] : c.input });
      const tf = await loadTensorFlow();
      const layers = await buildLayersModel(model.spec, { weights: 'initialized' });
      const inputShape = [1, ...(model.spec.input as number[])];
      const y = layers.predict(tf.core.tensor(c.x, inputShape)) as unknown as { shape: number[]; dataSync(): Float32Array };
      assert.deepEqual(y.shape, c.yShape);
      const got = Array.from(y.dataSync());
      const worst = Math.max(...got.map((v, i) => Math.abs(v - c.y[i]!)));
      assert.ok(worst < 1e-4, `largest difference ${worst}: ${got.map((v) => v.toFixed(3)).join(' ')}`);
      layers.dispose();
    });
  }
});

describe('Keras names a layer by its class, not the alias written', () => {
  // Keras 3.15: [l.name for l in model.layers] of MaxPool2D(), GlobalAvgPool2D(), Convolution2D(2, 1), GlobalAvgPool3D().
  it('MaxPool2D is max_pooling2d, GlobalAvgPool2D global_average_pooling2d, Convolution2D conv2d', async () => {
    const code = `import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 3))
x = layers.MaxPool2D()(inputs)
x = layers.Convolution2D(2, 1)(x)
x = layers.GlobalAvgPool2D()(x)
model = keras.Model(inputs, x)
`;
    const result = (await getReader()).read(code, { file: 'model.py', language: 'python' });
    const report = await analyse(built(result.defaultModel!));
    assert.deepEqual(report.layers.map((l) => l.name), ['max_pooling2d', 'conv2d', 'global_average_pooling2d']);
  });
});

describe('modules forward() never calls count as model.parameters() does', () => {
  // torch 2.13: sum(p.numel() for p in Net().parameters()) = 160 (Conv2d 112, InstanceNorm1d 6, ConvTranspose1d 28,
  // InstanceNorm2d 6, RMSNorm 8; the pads, GLU, pooling, Unflatten and PixelUnshuffle none).
  it('the new modules, never called, add their weights and no warnings', async () => {
    const code = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3)
        self.a = nn.ZeroPad1d(2)
        self.b = nn.GLU()
        self.d = nn.AdaptiveAvgPool1d(4)
        self.e = nn.Unflatten(1, (2, 2))
        self.f = nn.InstanceNorm1d(3, affine=True)
        self.g = nn.ConvTranspose1d(3, 4, 2)
        self.h = nn.InstanceNorm2d(3, affine=True)
        self.i = nn.RMSNorm(8)
        self.j = nn.PixelUnshuffle(2)

    def forward(self, x):
        return self.c(x)


model = Net()
model(torch.randn(1, 3, 8, 8))
`;
    const result = (await getReader()).read(code, { file: 'model.py', language: 'python' });
    const model = built(result.defaultModel!);
    const report = await analyse(model);
    assert.equal(report.totals.params, 160);
    assert.deepEqual([...result.diagnostics, ...model.diagnostics].filter((d) => d.severity !== 'info').map((d) => d.message), []);
  });
});
