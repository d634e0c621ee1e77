/**
 * Python's floats kept apart from its ints: 64 / 2 is 32.0, never the int 32. The interpreter's answers are
 * Python 3's, and a float where PyTorch or Keras takes an int is refused as the framework refuses it. Every
 * expected value and message below is the output of scripts/reference/float_arguments.py (Python 3, torch 2.13
 * cpu, keras 3.15 on tensorflow 2.21), quoted in the comment beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupeDiagnostics, diagnosticsFromReport, type ReadResult, type SourceDiagnostic } from '../../../extension/core/source/index';
import { PythonInterpreter } from '../../../extension/core/source/python/interpreter';
import { DEFAULT_LIMITS } from '../../../extension/core/source/types';
import { SyntaxParser } from '../../../extension/core/source/syntax';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyse, built, callRows, getReader } from './helpers';

/** Runs `code` at module level and returns what `str(name)` gives for each name (null: the reader cannot tell). */
async function strOf(code: string, names: string[]): Promise<(string | null)[]> {
  const parser = await SyntaxParser.load();
  await parser.prepare('python');
  const it = new PythonInterpreter(parser.parse(code, 'python'), 'floats.py', DEFAULT_LIMITS, await loadTensorFlow('cpu'));
  it.runModule(it.source.root);
  return names.map((n) => it.str(it.state.globals.lookup(n)!));
}

async function readText(text: string): Promise<ReadResult> {
  return (await getReader()).read(text, { file: 'floats.py', language: 'python' });
}

test('whole floats print and compute as Python 3 does', async () => {
  const lines: [string, string | null][] = [
    ['str(2.0)', '2.0'], // str(2.0): '2.0'
    ["f'{64 / 2}'", '32.0'], // f'{64 / 2}': '32.0'
    ['repr(1e16)', '1e+16'], // repr(1e16): '1e+16'
    ['repr(2.0)', '2.0'], // repr(2.0): '2.0'
    ['str(1e-5)', '1e-05'], // str(1e-5): '1e-05'
    ['64 / 2', '32.0'], // 64 / 2: 32.0 (float)
    ['int(64 / 2)', '32'], // int(64 / 2): 32 (int)
    ['64 // 2.0', '32.0'], // 64 // 2.0: 32.0 (float)
    ['2 * 1.0', '2.0'], // 2 * 1.0: 2.0 (float)
    ['2 ** -1', '0.5'], // 2 ** -1: 0.5 (float)
    ['math.ceil(2.5)', '3'], // math.ceil(2.5): 3 (int)
    ['math.floor(2.5)', '2'], // math.floor(2.5): 2 (int)
    ['math.log(512, 2)', '9.0'], // math.log(512, 2): 9.0 (float; the base is not dropped)
    ['int(abs(math.log(512, 2) + 1) / 2)', '5'], // int(abs(math.log(512, 2) + 1) / 2): 5 (timm's EcaModule kernel)
    ['math.log(1000, 10)', '2.9999999999999996'], // math.log(1000, 10): 2.9999999999999996 (float)
    ['math.log10(1000)', '3.0'], // math.log10(1000): 3.0 (float)
    ['round(2.5)', '2'], // round(2.5): 2 (int)
    ['round(2.0, 1)', '2.0'], // round(2.0, 1): 2.0 (float)
    ['max(2, 3.0)', '3.0'], // max(2, 3.0): 3.0 (float)
    ['max(3, 3.0)', '3'], // max(3, 3.0): 3 (int)
    ['abs(-2.0)', '2.0'], // abs(-2.0): 2.0 (float)
    ['sum([1, 2.0])', '3.0'], // sum([1, 2.0]): 3.0 (float)
    ['2.0 == 2', 'True'], // 2.0 == 2: True
    ["{2: 'a'}[2.0]", 'a'], // {2: 'a'}[2.0]: 'a'
    ['bool(0.0)', 'False'], // bool(0.0): False
    ['isinstance(2.0, float)', 'True'], // isinstance(2.0, float): True
    ['isinstance(2, float)', 'False'], // isinstance(2, float): False
    ["'%d' % 2.0", '2'], // '%d' % 2.0: '2'
    ["'%s' % 2.0", '2.0'], // '%s' % 2.0: '2.0'
    ["f'{2.0:.1f}'", '2.0'], // f'{2.0:.1f}': '2.0'
    ["f'{2:03d}'", '002'], // f'{2:03d}': '002'
    ["f'{2.5:5}'", '  2.5'], // f'{2.5:5}': '  2.5'
    ["'{:.2f}'.format(2)", '2.00'], // '{:.2f}'.format(2): '2.00'
    ["'{:>4}'.format('ab')", '  ab'], // '{:>4}'.format('ab'): '  ab'
    ["format(2.0, '.1f')", '2.0'], // format(2.0, '.1f'): '2.0'
    ["f'{2.0:d}'", null], // f'{2.0:d}': ValueError Unknown format code 'd' for object of type 'float'
    ['-2.0', '-2.0'], // -2.0: -2.0 (float)
    ['float(3)', '3.0'], // float(3): 3.0 (float)
    ['isinstance(64 / 2, float)', 'True'], // isinstance(64 / 2, float): True
    // What Python raises on is unknown to the reader, never an answer:
    ['range(2.0)', null], // range(2.0): TypeError: 'float' object cannot be interpreted as an integer
    ['[1, 2][1.0]', null], // [1, 2][1.0]: TypeError: list indices must be integers or slices, not float
    ['[1] * 2.0', null], // [1] * 2.0: TypeError: can't multiply sequence by non-int of type 'float'
    ['math.sqrt(-1)', null], // math.sqrt(-1): ValueError: math domain error
    ['math.sqrt(4, 2)', null], // math.sqrt(4, 2): TypeError: math.sqrt() takes exactly one argument (2 given)
    ['math.log(8, 1)', null], // math.log(8, 1): ZeroDivisionError: float division by zero
    ['0 ** -1', null], // 0 ** -1: ZeroDivisionError: 0.0 cannot be raised to a negative power
    ['5 / 0', null], // 5 / 0: ZeroDivisionError: division by zero
    ['1 << 2.0', null], // 1 << 2.0: TypeError: unsupported operand type(s) for <<: 'int' and 'float'
    ['enumerate([7], 1.0)', null], // enumerate([7], 1.0): TypeError: 'float' object cannot be interpreted as an integer
    ['math.prod([2, 3.0])', '6.0'], // math.prod([2, 3.0]): 6.0 (float)
    ['sorted([3, 1.0, 2])', '[1.0, 2, 3]'], // sorted([3, 1.0, 2]): [1.0, 2, 3]
  ];
  const code = ['import math', ...lines.map(([expr], i) => `v${i} = ${expr}`)].join('\n');
  const got = await strOf(code, lines.map((_, i) => `v${i}`));
  assert.deepEqual(
    lines.map(([expr], i) => [expr, got[i]]),
    lines.map(([expr, want]) => [expr, want]),
  );
});

const torchModel = (layers: string, forward: string, input: string): string => `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
${layers}

    def forward(self, x):
        return ${forward}

model = Net()
model(torch.randn(${input}))
`;

/** The model's diagnostics (the reader's and those that need shapes) and its rows, built at its example input. */
async function readModel(text: string): Promise<{ diagnostics: SourceDiagnostic[]; rows: { name: string; output: (number | null)[] | null; params: number }[]; complete: boolean }> {
  const read = await readText(text);
  const model = built(read.defaultModel!);
  const report = await analyse(model);
  const rows = callRows(model, report, 1).map(({ name, output, params }) => ({ name, output, params }));
  // A Keras model the top level builds is read with the file: its reader diagnostics are the file's.
  return { diagnostics: dedupeDiagnostics([...read.diagnostics, ...model.diagnostics, ...diagnosticsFromReport(model, report)]), rows, complete: report.complete };
}

const errorsOf = (diagnostics: SourceDiagnostic[]): [number, string][] =>
  diagnostics.filter((d) => d.severity === 'error' && d.code === 'invalid').map((d) => [d.source.line, d.message]);

test('nn.Linear(10.0, 3) and nn.Conv2d(3, 64 / 2, 3): the TypeError PyTorch raises, at the line, and the model incomplete', async () => {
  const linear = await readModel(torchModel('        self.fc = nn.Linear(10.0, 3)', 'self.fc(x)', '1, 10'));
  // nn.Linear(10.0, 3): constructor TypeError: empty(): argument 'size' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"
  assert.deepEqual(errorsOf(linear.diagnostics), [[7, `empty(): argument 'size' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`]]);
  assert.equal(linear.diagnostics.find((d) => d.code === 'invalid')!.source.file, 'floats.py');
  assert.equal(linear.complete, false);
  assert.ok(linear.diagnostics.some((d) => d.code === 'incomplete' && d.source.line === 7));
  assert.deepEqual(linear.rows.map((r) => r.output), [null]);

  const conv = await readModel(torchModel('        self.conv = nn.Conv2d(3, 64 / 2, 3)', 'self.conv(x)', '1, 3, 8, 8'));
  // nn.Conv2d(3, 64 / 2, 3): constructor TypeError: empty(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0
  assert.deepEqual(errorsOf(conv.diagnostics), [[7, "empty(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"]]);
  assert.equal(conv.complete, false);
});

test('PyTorch: each int argument refused in its own words, floats where PyTorch takes them kept', async () => {
  // [module, forward's return, input, message, line of the error: the module's, 7, or forward's, 10]
  const cases: [string, string, string, string, number?][] = [
    // nn.Conv2d(3, 32, (3, 3.0)): constructor TypeError: empty(): argument 'size' failed to unpack the object at pos 4 with error "type must be tuple of ints,but got float"
    ['nn.Conv2d(3, 32, (3, 3.0))', 'self.m(x)', '1, 3, 8, 8', `empty(): argument 'size' failed to unpack the object at pos 4 with error "type must be tuple of ints,but got float"`],
    // nn.Conv2d(4, 32, 3, groups=2.0): constructor TypeError: empty(): argument 'size' failed to unpack the object at pos 2 ...
    ['nn.Conv2d(4, 32, 3, groups=2.0)', 'self.m(x)', '1, 4, 8, 8', `empty(): argument 'size' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`],
    // nn.Conv2d(3, 32, 3, stride=2.0): forward TypeError: conv2d() received an invalid combination of arguments - got (...)
    ['nn.Conv2d(3, 32, 3, stride=2.0)', 'self.m(x)', '1, 3, 8, 8', 'conv2d() received an invalid combination of arguments'],
    // nn.ConvTranspose2d(3.0, 32, 3): constructor TypeError: empty(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0
    ['nn.ConvTranspose2d(3.0, 32, 3)', 'self.m(x)', '1, 3, 8, 8', "empty(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0"],
    // nn.BatchNorm2d(32.0): constructor TypeError: empty(): argument 'size' (position 1) must be tuple of ints, not float
    ['nn.BatchNorm2d(3.0)', 'self.m(x)', '1, 3, 8, 8', "empty(): argument 'size' (position 1) must be tuple of ints, not float"],
    // nn.MaxPool2d(2.0): forward TypeError: max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float
    ['nn.MaxPool2d(2.0)', 'self.m(x)', '1, 3, 8, 8', "max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"],
    // nn.MaxPool2d(2, 2.0): forward TypeError: max_pool2d(): argument 'stride' (position 3) must be tuple of ints, not float
    ['nn.MaxPool2d(2, 2.0)', 'self.m(x)', '1, 3, 8, 8', "max_pool2d(): argument 'stride' (position 3) must be tuple of ints, not float"],
    // The rest as scripts/reference/float_arguments.py prints them (forward or constructor TypeError: <message>):
    ['nn.MaxPool2d(2, (2.0, 2))', 'self.m(x)', '1, 3, 8, 8', "max_pool2d(): argument 'stride' (position 3) must be tuple of ints, but found element of type float at pos 0"],
    // nn.MaxPool2d((2, 2.0)): PyTorch blames stride (kernel_size's copy); the reader says what it knows
    ['nn.MaxPool2d((2, 2.0))', 'self.m(x)', '1, 3, 8, 8', 'kernel_size=(2, 2.0) holds a float, which PyTorch refuses with a TypeError'],
    ['nn.ConvTranspose2d(3, 8, 3, stride=(2, 2.0))', 'self.m(x)', '1, 3, 8, 8', `conv_transpose2d(): argument 'stride' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`],
    ['nn.ConvTranspose2d(3, 8, 3, dilation=1.0)', 'self.m(x)', '1, 3, 8, 8', "conv_transpose2d(): argument 'dilation' (position 8) must be tuple of ints, but found element of type float at pos 0"],
    ['nn.LayerNorm(8.0)', 'self.m(x)', '1, 3, 8, 8', "'float' object is not iterable"],
    ['nn.LayerNorm((8, 8.0))', 'self.m(x)', '1, 3, 8, 8', `empty(): argument 'size' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`],
    ['nn.PReLU(num_parameters=3.0)', 'self.m(x)', '1, 3, 8, 8', "empty(): argument 'size' (position 1) must be tuple of ints, not float"],
    ['nn.AdaptiveAvgPool2d(1.0)', 'self.m(x)', '1, 3, 8, 8', "object of type 'float' has no len()"],
    ['nn.AdaptiveAvgPool2d((1.0, 1))', 'self.m(x)', '1, 3, 8, 8', "adaptive_avg_pool2d(): argument 'output_size' (position 2) must be tuple of ints, but found element of type float at pos 0"],
    ['nn.PixelShuffle(2.0)', 'self.m(x)', '1, 4, 8, 8', "pixel_shuffle(): argument 'upscale_factor' (position 2) must be int, not float"],
    ['nn.Flatten(1, -1.0)', 'self.m(x)', '1, 3, 8, 8', "flatten(): argument 'end_dim' (position 2) must be int, not float"],
    ['nn.ZeroPad2d((1, 1.0, 1, 1))', 'self.m(x)', '1, 3, 8, 8', `pad(): argument 'pad' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`],
    ['nn.ReflectionPad2d(1.0)', 'self.m(x)', '1, 3, 8, 8', "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type float at pos 0"],
    ['nn.LPPool2d(2, 2.0)', 'self.m(x)', '1, 3, 8, 8', "avg_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"],
    ['nn.LazyConv2d(8, 3.0)', 'self.m(x)', '1, 3, 8, 8', `empty(): argument 'size' failed to unpack the object at pos 3 with error "type must be tuple of ints,but got float"`],
    // nn.Upsample(size=16.0): forward TypeError: upsample_nearest2d() received an invalid combination of arguments (the overloads of the mode's function)
    ['nn.Upsample(size=16.0)', 'self.m(x)', '1, 3, 8, 8', 'size=16.0 holds a float, which PyTorch refuses with a TypeError'],
    ['nn.Softmax(dim=1.0)', 'self.m(x)', '1, 3, 8, 8', "softmax(): argument 'dim' (position 1) must be int, not float"],
    ['nn.BatchNorm2d(3.0, affine=False)', 'self.m(x)', '1, 3, 8, 8', "zeros(): argument 'size' (position 1) must be tuple of ints, not float"],
    ['nn.InstanceNorm2d(3.0, affine=True)', 'self.m(x)', '1, 3, 8, 8', "empty(): argument 'size' (position 1) must be tuple of ints, not float"],
    ['nn.MaxPool2d(2, dilation=1.0)', 'self.m(x)', '1, 3, 8, 8', "max_pool2d(): argument 'dilation' (position 5) must be tuple of ints, not float"],
    // F.max_pool2d(x, 2.0): forward TypeError: max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float
    ['nn.Identity()', 'torch.nn.functional.max_pool2d(x, 2.0)', '1, 3, 8, 8', "max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float", 10],
    // torch.flatten(x, 1.0), x.flatten(1.0), F.pad(x, (1.0, 1, 1, 1)): TypeError: <message>
    ['nn.Identity()', 'torch.flatten(x, 1.0)', '1, 3, 8, 8', "flatten(): argument 'start_dim' (position 2) must be int, not float", 10],
    ['nn.Identity()', 'x.flatten(1.0)', '1, 3, 8, 8', "flatten(): argument 'start_dim' (position 1) must be int, not float", 10],
    ['nn.Identity()', 'torch.nn.functional.pad(x, (1.0, 1, 1, 1))', '1, 3, 8, 8', "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type float at pos 0", 10],
    // nn.AvgPool1d(2.0): forward TypeError: avg_pool1d(): argument 'kernel_size' (position 2) must be tuple of ints, but found element of type float at pos 0
    ['nn.AvgPool1d(2.0)', 'self.m(x)', '1, 3, 8', "avg_pool1d(): argument 'kernel_size' (position 2) must be tuple of ints, but found element of type float at pos 0"],
  ];
  for (const [layer, forward, input, message, line = 7] of cases) {
    const { diagnostics, complete } = await readModel(torchModel(`        self.m = ${layer}`, forward, input));
    assert.deepEqual(errorsOf(diagnostics), [[line, message]], forward);
    assert.equal(complete, false, layer);
  }
  // nn.Dropout(0.0), nn.LeakyReLU(0.0), nn.BatchNorm2d(3, eps=1.0, momentum=1.0), nn.Upsample(scale_factor=2.0),
  // nn.InstanceNorm2d(4.0) (no weight or statistics to make): OK
  const kept = await readModel(
    torchModel(
      '        self.a = nn.Dropout(0.0)\n        self.b = nn.LeakyReLU(0.0)\n        self.c = nn.BatchNorm2d(3, eps=1.0, momentum=1.0)\n        self.d = nn.Upsample(scale_factor=2.0)\n        self.e = nn.InstanceNorm2d(3.0)',
      'self.d(self.e(self.c(self.b(self.a(x)))))',
      '1, 3, 8, 8',
    ),
  );
  assert.deepEqual(errorsOf(kept.diagnostics), []);
  assert.equal(kept.complete, true);
  // nn.Upsample(scale_factor=2.0): OK (1, 3, 16, 16)
  assert.deepEqual(kept.rows.at(-1)!.output, [1, 3, 16, 16]);
});

test('nn.Conv2d(3, int(64 / 2), 3) and nn.Linear(64 // 2, 10) are exact', async () => {
  const { diagnostics, rows, complete } = await readModel(
    torchModel('        self.conv = nn.Conv2d(3, int(64 / 2), 3)\n        self.fc = nn.Linear(64 // 2, 10)', 'self.fc(torch.flatten(torch.mean(self.conv(x), (2, 3), keepdim=True), 1))', '1, 3, 8, 8'),
  );
  assert.deepEqual(errorsOf(diagnostics), []);
  assert.equal(complete, true);
  // nn.Conv2d(3, int(64 / 2), 3): OK (1, 32, 6, 6); nn.Linear(64 // 2, 10): OK (1, 10); params 3*32*9+32 = 896, 32*10+10 = 330
  assert.deepEqual(rows.filter((r) => r.name === 'conv' || r.name === 'fc'), [
    { name: 'conv', output: [1, 32, 6, 6], params: 896 },
    { name: 'fc', output: [1, 10], params: 330 },
  ]);
});

const kerasModel = (layer: string, input: string): string => `import keras
from keras import layers

inputs = keras.Input(shape=(${input}))
outputs = layers.${layer}(inputs)
model = keras.Model(inputs, outputs)
`;

test('Keras: Dense(10.0), Conv2D(8.0, 3), Conv2D(8, 3.0) refused as Keras refuses them; floats Keras takes kept', async () => {
  const cases: [string, string, string][] = [
    // layers.Dense(10.0): constructor ValueError: Received an invalid value for `units`, expected a positive integer. Received: units=10.0
    ['Dense(10.0)', '4,', 'Received an invalid value for `units`, expected a positive integer. Received: units=10.0'],
    // layers.Conv2D(8.0, 3): build ValueError: Cannot convert '(3, 3, 3, 8.0)' to a shape. Found invalid dimension '8.0' of type '<class 'float'>'.
    ['Conv2D(8.0, 3)', '8, 8, 3', "Found invalid dimension '8.0' of type '<class 'float'>'."],
    // layers.Conv2D(8, 3.0): constructor ValueError: The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=3.0
    ['Conv2D(8, 3.0)', '8, 8, 3', 'The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=3.0'],
    // layers.Conv2D(8, (3.0, 3)): build ValueError: Cannot convert '(3.0, 3, 3, 8)' to a shape. Found invalid dimension '3.0' ...
    ['Conv2D(8, (3.0, 3))', '8, 8, 3', "Found invalid dimension '3.0' of type '<class 'float'>'."],
    // layers.Conv1D(8, 3.0): constructor ValueError: The `kernel_size` argument must be a tuple of 1 integers. Received kernel_size=3.0
    ['Conv1D(8, 3.0)', '8, 3', 'The `kernel_size` argument must be a tuple of 1 integers. Received kernel_size=3.0'],
    // layers.Conv2DTranspose(8, 3.0): constructor ValueError: The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=3.0
    ['Conv2DTranspose(8, 3.0)', '8, 8, 3', 'The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=3.0'],
    // layers.SeparableConv2D(8, 3, depth_multiplier=2.0): build ValueError: Cannot convert '(3, 3, 3, 2.0)' to a shape. Found invalid dimension '2.0' ...
    ['SeparableConv2D(8, 3, depth_multiplier=2.0)', '8, 8, 3', "Found invalid dimension '2.0' of type '<class 'float'>'."],
    // layers.ZeroPadding2D((1.0, 1)): constructor ValueError: The `1st entry of padding` argument must be a tuple of 2 integers. Received 1st entry of padding=1.0
    ['ZeroPadding2D((1.0, 1))', '8, 8, 3', 'The `1st entry of padding` argument must be a tuple of 2 integers. Received 1st entry of padding=1.0'],
    // layers.UpSampling2D((2.0, 2)): build ValueError (of its output's shape): words that depend on the input
    ['UpSampling2D((2.0, 2))', '8, 8, 3', 'size=(2.0, 2) holds a float, which Keras refuses with a ValueError'],
    // layers.MaxPooling2D(2.0): constructor ValueError: The `pool_size` argument must be a tuple of 2 integers. Received pool_size=2.0
    ['MaxPooling2D(2.0)', '8, 8, 3', 'The `pool_size` argument must be a tuple of 2 integers. Received pool_size=2.0'],
    // MaxPool2D is Keras' alias of MaxPooling2D (the same class)
    ['MaxPool2D(2.0)', '8, 8, 3', 'The `pool_size` argument must be a tuple of 2 integers. Received pool_size=2.0'],
  ];
  for (const [layer, input, message] of cases) {
    const { diagnostics, complete } = await readModel(kerasModel(layer, input));
    assert.deepEqual(errorsOf(diagnostics), [[5, message]], layer);
    assert.equal(complete, false, layer);
  }
  // layers.Dense(64 // 2): OK (None, 32) params=160; layers.Conv2D(8, 3, strides=(2.0, 2)): OK (None, 3, 3, 8) params=224
  for (const [layer, input, output, params] of [
    ['Dense(64 // 2)', '4,', [1, 32], 160],
    ['Conv2D(8, 3, strides=(2.0, 2))', '8, 8, 3', [1, 3, 3, 8], 224],
    ['Dropout(0.0)', '4,', [1, 4], 0],
    // layers.Conv2D(8, 3, dilation_rate=(1.0, 1)): OK (None, 6, 6, 8) params=224
    ['Conv2D(8, 3, dilation_rate=(1.0, 1))', '8, 8, 3', [1, 6, 6, 8], 224],
  ] as const) {
    const { diagnostics, rows, complete } = await readModel(kerasModel(layer, input));
    assert.deepEqual(errorsOf(diagnostics), [], layer);
    assert.equal(complete, true, layer);
    assert.deepEqual(rows.at(-1), { name: rows.at(-1)!.name, output, params }, layer);
  }
});

test('a module forward() never calls: refused when PyTorch refuses to make it, counted when only its forward would fail', async () => {
  const unused = (layer: string): string => torchModel(`        self.conv = nn.Conv2d(3, 8, 3)\n        self.unused = ${layer}`, 'self.conv(x)', '1, 3, 8, 8');
  // nn.Linear(10.0, 3): constructor TypeError: empty(): argument 'size' failed to unpack the object at pos 2 ...
  const made = await readModel(unused('nn.Linear(10.0, 3)'));
  assert.deepEqual(errorsOf(made.diagnostics), [[8, `empty(): argument 'size' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got float"`]]);
  assert.equal(made.complete, false);
  // nn.Conv2d(3, 32, 3, stride=2.0): forward TypeError; the constructor takes it
  const counted = await readModel(unused('nn.Conv2d(3, 32, 3, stride=2.0)'));
  assert.deepEqual(errorsOf(counted.diagnostics), []);
  assert.equal(counted.complete, true);
});

test('keras.Input(shape=(8.0, 8, 3)): the error Keras raises, at the line', async () => {
  const read = await readText("import keras\nfrom keras import layers\n\ninputs = keras.Input(shape=(8.0, 8, 3))\noutputs = layers.Conv2D(4, 3)(inputs)\nmodel = keras.Model(inputs, outputs)\n");
  // keras.Input(shape=(8.0, 8, 3)): ValueError: Cannot convert '(8.0, 8, 3)' to a shape. Found invalid dimension '8.0' of type '<class 'float'>'.
  assert.deepEqual(errorsOf(read.diagnostics), [[4, "Cannot convert '(8.0, 8, 3)' to a shape. Found invalid dimension '8.0' of type '<class 'float'>'."]]);
});

test('a kernel size from math.log(channels, 2) (ECA attention): the base is used, as Python uses it', async () => {
  // PyTorch 2.13: Eca(512), Eca(64), Eca(2048) make Conv1d kernels 5, 3 and 7: 15 parameters. With the base
  // dropped (natural log) they were 3, 3 and 5: 11, shown complete.
  const read = await readText(`import math
import torch.nn as nn


class Eca(nn.Module):
    def __init__(self, channels=None, kernel_size=3, gamma=2, beta=1):
        super().__init__()
        if channels is not None:
            t = int(abs(math.log(channels, 2) + beta) / gamma)
            kernel_size = max(t if t % 2 else t + 1, 3)
        self.conv = nn.Conv1d(1, 1, kernel_size=kernel_size, padding=(kernel_size - 1) // 2, bias=False)

    def forward(self, x):
        return self.conv(x)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Eca(512)
        self.b = Eca(64)
        self.c = Eca(2048)

    def forward(self, x):
        return self.c(self.b(self.a(x)))
`);
  const found = read.models.find((m) => m.name === 'Net')!;
  const report = await analyse(built(found, [1, 32]));
  assert.equal(report.totals.params, 15);
  assert.deepEqual(report.layers.filter((l) => l.type === 'Conv1D').map((l) => l.params), [5, 3, 7]);
});
