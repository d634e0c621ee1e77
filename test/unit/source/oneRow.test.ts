/**
 * One row per module, as torchinfo shows, where tfjs computes the module in another layout than the engine holds
 * it (extension/core/sequenceLayout.ts): a Conv1d on (N, C, L) (tfjs' conv1d reads (L, C)), a grouped Conv1d
 * (a (1, k) Conv2D inside), a ConvTranspose1d, a padded MaxPool1d, an InstanceNorm1d, and a Linear on
 * (N, H, W, C) (PyTorch's last dim is not the engine's last axis). The table, JSON and CSV show the module once,
 * with PyTorch's class and shape. Facts from torch 2.13 (FlopCounterMode for MACs, per sample):
 *   Seq: Conv1d(4, 8, 3, groups=2, padding=2) (N, 8, 18) 56 params 864 MACs; MaxPool1d(3, 2, 1) (N, 8, 9);
 *        ConvTranspose1d(8, 4, 4, 2, 1) (N, 4, 18) 132, 1,152; InstanceNorm1d(4, affine=True) (N, 4, 18) 8;
 *        196 parameters, 2,016 MACs on torch.randn(1, 4, 16).
 *   Mlp: Linear(8, 4) (N, 3, 5, 4) 36, 480; GELU; Linear(4, 6, bias=False) (N, 3, 5, 6) 24, 360; on (2, 3, 5, 8):
 *        60 parameters, 840 MACs per sample.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, built, getReader } from './helpers';
import { formatFrameworkShape } from '../../../extension/core/source/index';
import { toCsv } from '../../../extension/core/report/csv';
import { toJsonReport } from '../../../extension/core/report/json';
import { toTable } from '../../../extension/core/report/table';

const module = (layers: string, input: string) => `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            ${layers}
        )

    def forward(self, x):
        return self.body(x)


model = Net()
model(torch.randn(${input}))
`;

async function report(text: string) {
  const read = (await getReader()).read(text, { file: 'net.py', language: 'python' });
  return analyse(built(read.defaultModel!));
}

const rowsOf = (r: Awaited<ReturnType<typeof report>>) =>
  r.layers.map((l) => [l.name, l.frameworkType, formatFrameworkShape('pytorch', l.outputShape), l.params, l.macs]);

test('1-D modules are one row each: PyTorch class, (N, C, L), the module\'s parameters and MACs', async () => {
  const r = await report(module(
    'nn.Conv1d(4, 8, 3, groups=2, padding=2), nn.MaxPool1d(3, stride=2, padding=1), nn.ConvTranspose1d(8, 4, 4, 2, 1), nn.InstanceNorm1d(4, affine=True)',
    '1, 4, 16',
  ));
  assert.equal(r.complete, true, r.issues.map((i) => i.message).join('\n'));
  assert.deepEqual(rowsOf(r), [
    ['body.0', 'Conv1d', '(N, 8, 18)', 56, 864],
    ['body.1', 'MaxPool1d', '(N, 8, 9)', 0, 0],
    ['body.2', 'ConvTranspose1d', '(N, 4, 18)', 132, 1152],
    ['body.3', 'InstanceNorm1d', '(N, 4, 18)', 8, 0],
  ]);
  assert.equal(r.totals.params, 196);
  assert.equal(r.totals.macs, 2016);
  assert.match(toTable(r), /^body\.0 \(Conv1d\)\s+\(N, 8, 18\)\s+56\s+864\s/m);
  assert.doesNotMatch(toTable(r), /to_length_first|to_image|\//);
  const csv = toCsv(r).trimEnd().split('\r\n').slice(1).map((row) => row.split(','));
  assert.deepEqual(csv.map((row) => [row[1], row[2]]), [['body.0', 'Conv1d'], ['body.1', 'MaxPool1d'], ['body.2', 'ConvTranspose1d'], ['body.3', 'InstanceNorm1d']]);
  const json = toJsonReport(r) as { layers: { name: string; frameworkType: string | null }[] };
  assert.deepEqual(json.layers.map((l) => [l.name, l.frameworkType]), [['body.0', 'Conv1d'], ['body.1', 'MaxPool1d'], ['body.2', 'ConvTranspose1d'], ['body.3', 'InstanceNorm1d']]);
});

test('a Linear on (N, H, W, C) is one row with PyTorch\'s shape, its weights and MACs', async () => {
  const r = await report(module('nn.Linear(8, 4), nn.GELU(), nn.Linear(4, 6, bias=False)', '2, 3, 5, 8'));
  assert.equal(r.complete, true, r.issues.map((i) => i.message).join('\n'));
  assert.deepEqual(rowsOf(r), [
    ['body.0', 'Linear', '(N, 3, 5, 4)', 36, 480],
    ['body.1', 'GELU', '(N, 3, 5, 4)', 0, 0],
    ['body.2', 'Linear', '(N, 3, 5, 6)', 24, 360],
  ]);
  assert.equal(r.totals.params, 60);
  assert.equal(r.totals.macs, 840);
});
