/**
 * PyTorch's x.squeeze / x.unsqueeze / torch.squeeze / torch.unsqueeze, and Keras' ops.squeeze / ops.expand_dims
 * and tf.squeeze / tf.expand_dims, read as the frameworks compute them. Every expected shape, count and message
 * is what torch 2.13 / Keras 3.15 / TF 2.21 gave on these programs: scripts/reference/squeeze_reference.py
 * (same template and cases) printed them. PyTorch shapes are (N, C, H, W) with the example's batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFrameworkShape, type FoundModel } from '../../../extension/core/source/index';
import { analyse, built, callRows, findModel, getReader } from './helpers';

/** squeeze_reference.py's template: a Net with `layers` in __init__, `body` in forward, run on torch.randn(example). */
function program(layers: string[], body: string[], example: string | null): string {
  const init = layers.map((l) => `        ${l}`).join('\n');
  const fwd = body.map((l) => `        ${l}`).join('\n');
  const run = example === null ? '' : `model(torch.randn(${example}))\n`;
  return `import torch\nimport torch.nn as nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n${init}\n\n    def forward(self, x):\n${fwd}\n        return x\n\n\nmodel = Net()\n${run}`;
}

/** Layers are made from line 8 on (a module's row is on that line); the body starts at 11 + (layers − 1). */
async function netOf(layers: string[], body: string[], example: string | null): Promise<FoundModel> {
  const result = (await getReader()).read(program(layers, body, example), { file: 'model.py', language: 'python' });
  return example === null ? findModel(result, 'Net') : result.defaultModel!;
}

/** Rows PyTorch would list: modules (hooks) and the squeezes (the reference wraps them); not view or parts. */
const SHOWN = (sourceType: string): boolean => /^([A-Z]|(un)?squeeze$)/.test(sourceType.split('.').pop()!);

interface Seen {
  rows: [string, number, (number | null)[] | null][];
  params: number;
  macs: number;
  complete: boolean;
  /** Why the first unknown layer is unknown, and the reader's errors, each "line: message". */
  problems: string[];
}

async function read(layers: string[], body: string[], example: string | null, input?: number[], batch = 2): Promise<Seen> {
  const model = built(await netOf(layers, body, example), input);
  const report = await analyse(model);
  const problems = [
    ...model.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.source.line}: ${d.message}`),
    ...report.layers.filter((l) => l.error).slice(0, 1).map((l) => `${l.source?.line}: ${l.error!.message}`),
  ];
  return {
    rows: callRows(model, report, batch, SHOWN).map((r) => [r.type, r.line, r.output]),
    params: report.totals.params,
    macs: report.totals.macs,
    complete: report.complete,
    problems,
  };
}

test("the defect's example: squeeze(-1).squeeze(-1), unsqueeze(1), then a Linear on (N, 1, 8)", async () => {
  const seen = await read(
    ['self.conv = nn.Conv2d(3, 8, 3)', 'self.fc = nn.Linear(8, 10)', 'self.pool = nn.AdaptiveAvgPool2d(1)'],
    ['x = self.pool(self.conv(x))', 'x = x.squeeze(-1).squeeze(-1)', 'x = x.unsqueeze(1)', 'x = self.fc(x)'],
    '2, 3, 32, 32',
  );
  assert.deepEqual(seen.rows, [
    ['Conv2d', 8, [2, 8, 30, 30]],
    ['AdaptiveAvgPool2d', 10, [2, 8, 1, 1]],
    ['squeeze', 14, [2, 8, 1]],
    ['squeeze', 14, [2, 8]],
    ['unsqueeze', 15, [2, 1, 8]],
    ['Linear', 9, [2, 1, 10]],
  ]);
  // torch: Conv2d 224 + Linear 90 parameters; 194,480 MACs per sample (the Linear's 80 on its one row).
  assert.deepEqual([seen.params, seen.macs, seen.complete], [314, 194480, true]);
});

test('torch.squeeze / torch.unsqueeze with a dim and dim=, and x.squeeze(dim=)', async () => {
  const seen = await read(
    ['self.pool = nn.AdaptiveAvgPool2d(1)', 'self.fc = nn.Linear(8, 10)'],
    ['x = self.pool(x)', 'x = torch.squeeze(x, 3)', 'x = torch.squeeze(x, dim=-1)', 'x = torch.unsqueeze(x, dim=-1)', 'x = x.squeeze(dim=2)', 'x = self.fc(x)'],
    '2, 8, 5, 5',
  );
  assert.deepEqual(seen.rows, [
    ['AdaptiveAvgPool2d', 8, [2, 8, 1, 1]],
    ['squeeze', 13, [2, 8, 1]],
    ['squeeze', 14, [2, 8]],
    ['unsqueeze', 15, [2, 8, 1]],
    ['squeeze', 16, [2, 8]],
    ['Linear', 9, [2, 10]],
  ]);
  assert.deepEqual([seen.params, seen.macs], [90, 80]);
});

test('a squeeze of a dim whose size is not 1 (the batch of 2 included) is the same tensor: no row', async () => {
  const seen = await read(['self.fc = nn.Linear(4, 3)'], ['x = x.squeeze(1)', 'x = x.squeeze(0)', 'x = x.squeeze(-1)', 'x = self.fc(x)'], '2, 6, 5, 4');
  // torch lists the three squeezes at (2, 6, 5, 4): unchanged, so the reader adds no row for them.
  assert.deepEqual(seen.rows, [['Linear', 8, [2, 6, 5, 3]]]);
  assert.deepEqual([seen.params, seen.macs], [15, 360]);
});

test('squeeze() removes every size-1 dim; so does squeeze((1, 3))', async () => {
  const all = await read(['self.fc = nn.Linear(6, 3)'], ['x = x.view(x.size(0), 1, 6, 1)', 'x = x.squeeze()', 'x = self.fc(x)'], '2, 1, 6, 1');
  assert.deepEqual(all.rows, [['squeeze', 12, [2, 6]], ['Linear', 8, [2, 3]]]);
  assert.deepEqual([all.params, all.macs], [21, 18]);
  const tuple = await read(['self.fc = nn.Linear(6, 3)'], ['x = x.squeeze((1, 3))', 'x = self.fc(x)'], '2, 1, 6, 1');
  assert.deepEqual(tuple.rows, [['squeeze', 11, [2, 6]], ['Linear', 8, [2, 3]]]);
});

test('unsqueeze at -1 and at 1 of a vector, then a Conv1d reads (N, 1, 8)', async () => {
  const seen = await read(
    ['self.fc = nn.Linear(12, 8)', 'self.conv = nn.Conv1d(1, 4, 3)'],
    ['x = self.fc(x)', 'x = x.unsqueeze(-1)', 'x = x.squeeze(2).unsqueeze(1)', 'x = self.conv(x)'],
    '2, 12',
  );
  assert.deepEqual(seen.rows, [
    ['Linear', 8, [2, 8]],
    ['unsqueeze', 13, [2, 8, 1]],
    ['squeeze', 14, [2, 8]],
    ['unsqueeze', 14, [2, 1, 8]],
    ['Conv1d', 9, [2, 4, 6]],
  ]);
  assert.deepEqual([seen.params, seen.macs], [120, 168]);
});

test('an image unsqueezed to (N, C, 1, H, W) and squeezed back keeps its channels for the next Conv2d', async () => {
  const seen = await read(['self.a = nn.Conv2d(3, 8, 3)', 'self.b = nn.Conv2d(8, 4, 3)'], ['x = self.a(x)', 'x = x.unsqueeze(2)', 'x = x.squeeze(2)', 'x = self.b(x)'], '2, 3, 16, 12');
  assert.deepEqual(seen.rows, [
    ['Conv2d', 8, [2, 8, 14, 10]],
    ['unsqueeze', 13, [2, 8, 1, 14, 10]],
    ['squeeze', 14, [2, 8, 14, 10]],
    ['Conv2d', 9, [2, 4, 12, 8]],
  ]);
  assert.deepEqual([seen.params, seen.macs], [516, 57888]);
});

test("squeeze(-1) of a Linear's (N, 1) is a batch of scalars, shown as Python writes it: (N,)", async () => {
  const seen = await read(['self.fc = nn.Linear(8, 1)'], ['x = self.fc(x).squeeze(-1)', 'x = x.unsqueeze(-1)'], '2, 8');
  assert.deepEqual(seen.rows, [['Linear', 8, [2, 1]], ['squeeze', 11, [2]], ['unsqueeze', 12, [2, 1]]]);
  assert.deepEqual([seen.params, seen.macs, formatFrameworkShape('pytorch', [])], [9, 8, '(N,)']);
});

test('out-of-range dims are an error at their line, in torch words; the model is incomplete from there', async () => {
  const squeeze = await read(['self.fc = nn.Linear(8, 3)'], ['x = x.squeeze(4)', 'x = self.fc(x)'], '2, 8, 1, 1');
  const message = 'squeeze(4): Dimension out of range (expected to be in range of [-4, 3], but got 4)';
  assert.deepEqual(squeeze.problems, [`11: ${message}`, `11: squeeze (Unknown): ${message}; shapes after it are unknown`]);
  assert.deepEqual([squeeze.rows.map((r) => r[2]), squeeze.complete], [[null, null], false]);
  const unsqueeze = await read(['self.fc = nn.Linear(8, 3)'], ['x = x.unsqueeze(3)', 'x = self.fc(x)'], '2, 8');
  assert.equal(unsqueeze.problems[0], '11: unsqueeze(3): Dimension out of range (expected to be in range of [-3, 2], but got 3)');
});

test('what would move or remove the batch is unknown, and says why (torch: (1, 2, 8), (8,))', async () => {
  const cases: [string[], string | null, number[] | undefined, string][] = [
    [['x = x.unsqueeze(0)', 'x = self.fc(x)'], '2, 8', undefined, 'unsqueeze(0) puts a new dim before the batch, which the report cannot show'],
    [['x = x.squeeze()', 'x = self.fc(x)'], '1, 8, 1, 1', undefined, 'squeeze() removes the batch dim (a batch of 1), which the report cannot show'],
    [['x = x.squeeze(0)', 'x = self.fc(x)'], '1, 8', undefined, 'squeeze(0) removes the batch dim (a batch of 1), which the report cannot show'],
    // No example, built at (8, 1, 1) (the engine holds it as (1, 1, 8)): the code does not say whether the batch is 1.
    [['x = x.squeeze()', 'x = self.fc(x)'], null, [1, 1, 8], 'squeeze() removes the batch dim when the batch is 1, and the code does not state the batch size'],
  ];
  for (const [body, example, input, why] of cases) {
    const seen = await read(['self.fc = nn.Linear(8, 3)'], body, example, input);
    assert.equal(seen.complete, false, body[0]);
    assert.equal(seen.problems.at(-1), `11: ${body[0]!.includes('unsqueeze') ? 'unsqueeze' : 'squeeze'} (Unknown): ${why}; shapes after it are unknown`, body[0]);
  }
});

async function kerasRows(lines: string[], shape: string): Promise<{ rows: [string, (number | null)[] | null][]; params: number; problems: string[] }> {
  const code = `import keras\nfrom keras import layers, ops\nimport tensorflow as tf\n\ninputs = keras.Input(shape=${shape})\nx = inputs\n${lines.join('\n')}\nmodel = keras.Model(inputs, x)\n`;
  const result = (await getReader()).read(code, { file: 'model.py', language: 'python' });
  const model = built(findModel(result, 'model'));
  const report = await analyse(model);
  // A functional model is read with the module, so the reader's errors are the read's.
  const problems = [...result.diagnostics, ...model.diagnostics].filter((d) => d.severity === 'error').map((d) => `${d.source.line}: ${d.message}`);
  return { rows: callRows(model, report, null).filter((r) => r.type !== 'keras.Input').map((r) => [r.type, r.output]), params: report.totals.params, problems };
}

test('Keras ops.squeeze / ops.expand_dims give Keras shapes; a Dense after them has its parameters', async () => {
  const seen = await kerasRows(['x = ops.squeeze(x, axis=1)', 'x = ops.expand_dims(x, 1)', 'x = ops.squeeze(x, axis=(1, 2))', 'x = ops.expand_dims(x, -1)', 'x = ops.squeeze(x)', 'x = ops.expand_dims(x, 1)', 'x = layers.Dense(10)(x)'], '(1, 1, 8)');
  assert.deepEqual(seen.rows, [
    ['keras.ops.squeeze', [null, 1, 8]],
    ['keras.ops.expand_dims', [null, 1, 1, 8]],
    ['keras.ops.squeeze', [null, 8]],
    ['keras.ops.expand_dims', [null, 8, 1]],
    ['keras.ops.squeeze', [null, 8]],
    ['keras.ops.expand_dims', [null, 1, 8]],
    ['Dense', [null, 1, 10]],
  ]);
  assert.equal(seen.params, 90);
});

test("Keras raises where PyTorch would not: a squeeze of a dim that is not 1, of the None batch; expand_dims out of range", async () => {
  assert.deepEqual((await kerasRows(['x = ops.squeeze(x, axis=-1)'], '(1, 1, 8)')).problems, ['7: keras.ops.squeeze(-1): Cannot squeeze axis -1, because the dimension is not 1.']);
  assert.deepEqual((await kerasRows(['x = ops.squeeze(x, axis=0)'], '(1, 1, 8)')).problems, ['7: keras.ops.squeeze(0): Cannot squeeze axis 0, because the dimension is not 1.']);
  assert.deepEqual((await kerasRows(['x = ops.expand_dims(x, 3)'], '(8,)')).problems, ['7: keras.ops.expand_dims(3): axis 3 is out of bounds for an array with dimension 3.']);
  // (1, None, 8) in Keras: a dim before the batch, which no report row can hold.
  const before = await kerasRows(['x = ops.expand_dims(x, 0)'], '(8,)');
  assert.deepEqual([before.rows, before.problems], [[['keras.ops.expand_dims', null]], []]);
});

test('tf.squeeze / tf.expand_dims by TF rules and words', async () => {
  const seen = await kerasRows(['x = tf.squeeze(x, [1, 2])', 'x = tf.expand_dims(x, -1)'], '(1, 1, 8)');
  assert.deepEqual(seen.rows, [['tf.squeeze', [null, 8]], ['tf.expand_dims', [null, 8, 1]]]);
  assert.deepEqual((await kerasRows(['x = tf.squeeze(x, -1)'], '(1, 1, 8)')).problems, ['7: tf.squeeze(-1): Can not squeeze dim[3], expected a dimension of 1, got 8']);
  assert.deepEqual((await kerasRows(['x = tf.expand_dims(x, 3)'], '(8,)')).problems, ['7: tf.expand_dims(3): dim 3 not in the interval [-3, 2].']);
});
