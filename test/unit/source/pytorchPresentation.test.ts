/**
 * PyTorch models read from code look like PyTorch on every surface (issue 9, item 5), and the CLI says no more
 * than it must (issue 11, item 3). Shapes from running the same code with PyTorch 2.13:
 * Net()(torch.randn(2, 3, 32, 32)): conv (2, 8, 30, 30), pool (2, 8, 1, 1), fc (2, 10);
 * sum(p.numel() for p in Net().parameters()) = 224 + 90 + 33 = 347 (aux = nn.Linear(10, 3), never called).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse, built, getReader } from './helpers';
import { runCli } from '../../../extension/cli/main';
import { toCsv } from '../../../extension/core/report/csv';
import { toJsonReport } from '../../../extension/core/report/json';
import { toTable } from '../../../extension/core/report/table';

const NET = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.aux = nn.Linear(10, 3)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.pool(self.conv(x))
        x = torch.flatten(x, 1)
        return self.fc(x)
`;

const EXAMPLE = `
model = Net()
y = model(torch.randn(2, 3, 32, 32))
`;

async function report(text: string) {
  const read = (await getReader()).read(text, { file: 'net.py', language: 'python' });
  return analyse(built(read.defaultModel!));
}

test('AdaptiveAvgPool2d(1) is one row, (N, C, 1, 1) as PyTorch gives it, and the flatten after it is (N, C)', async () => {
  const r = await report(NET + EXAMPLE);
  // One row, named and typed as the module (its line is where the module is made, line 8).
  const pool = r.layers.filter((l) => l.source?.line === 8);
  assert.equal(pool.length, 1);
  assert.equal(pool[0]!.frameworkType, 'AdaptiveAvgPool2d');
  assert.deepEqual(pool[0]!.outputShape, [1, 1, 8]);
  assert.match(toTable(r), /^pool \(AdaptiveAvgPool2d\)\s+\(N, 8, 1, 1\)\s+0\s+0\s*$/m);
  assert.deepEqual(r.layers.find((l) => l.name === 'fc')!.outputShape, [10]);
  assert.equal(r.totals.params, 347);
});

test('F.adaptive_avg_pool2d(x, 1) is one layer too', async () => {
  const text = NET.replace('x = self.pool(self.conv(x))', 'x = torch.nn.functional.adaptive_avg_pool2d(self.conv(x), 1)') + EXAMPLE;
  const r = await report(text);
  const pool = r.layers.filter((l) => l.source?.line === 13 && l.type === 'GlobalAveragePooling2D');
  assert.equal(pool.length, 1);
  assert.deepEqual(pool[0]!.outputShape, [1, 1, 8]);
});

test('a module forward() never calls keeps its PyTorch class and says "not called" in the table, JSON and CSV', async () => {
  const r = await report(NET + EXAMPLE);
  const aux = r.layers.find((l) => l.name === 'aux')!;
  assert.equal(aux.notCalled, true);
  assert.equal(aux.frameworkType, 'Linear');
  assert.equal(aux.params, 33);
  assert.match(toTable(r), /^aux \(Linear\)\s+not called\s+33\s+0\s*$/m);
  const json = toJsonReport(r) as { layers: { name: string; notCalled?: boolean; frameworkType: string | null }[] };
  const inJson = json.layers.find((l) => l.name === 'aux')!;
  assert.equal(inJson.notCalled, true);
  assert.equal(inJson.frameworkType, 'Linear');
  assert.equal(json.layers.find((l) => l.name === 'fc')!.notCalled, undefined);
  // The CSV's type column is the class PyTorch names (Conv2d, not the engine's Conv2D).
  const rows = toCsv(r).trimEnd().split('\r\n').slice(1).map((row) => row.split(','));
  assert.deepEqual(rows.map((row) => [row[1], row[2]]), [['conv', 'Conv2d'], ['pool', 'AdaptiveAvgPool2d'], ['flatten', 'flatten'], ['fc', 'Linear'], ['aux', 'Linear']]);
});

test('given --input, the CLI prints no "does not state its input shape" line, for this model or any other', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-present-'));
  const file = join(dir, 'lib.py');
  writeFileSync(file, `${NET}
class Other(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 1)

    def forward(self, x):
        return self.c(x)
`);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  assert.equal(await runCli([file, '--model', 'Net', '--input', '3,32,32'], io), 0);
  assert.match(out.join('\n'), /Total params: 347 /);
  assert.deepEqual(err, []);
  // Without an input the model cannot be built, and the error says so (once, located at the class).
  err.length = 0;
  assert.equal(await runCli([file, '--model', 'Net'], io), 1);
  assert.equal(err.length, 1);
  assert.match(err[0]!, /lib\.py:4:1: .*Net does not state its input shape; .*pass --input/);
});

test('a 5-D view is shown in PyTorch order, and a permute of it moves the axes PyTorch moves', async () => {
  // PyTorch 2.13: x (2, 6, 4, 4).view(2, 1, 6, 4, 4) → (2, 1, 6, 4, 4); .permute(0, 2, 1, 3, 4) → (2, 6, 1, 4, 4).
  const text = `import torch
import torch.nn as nn

class Shuffle(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 6, 1)

    def forward(self, x):
        x = self.conv(x)
        N, C, H, W = x.size()
        y = x.view(N, 1, C, H, W)
        y = y.permute(0, 2, 1, 3, 4)
        return y.reshape(N, C, H, W)

model = Shuffle()
out = model(torch.randn(2, 3, 4, 4))
`;
  const r = await report(text);
  const rows = toTable(r).split('\n');
  assert.ok(rows.some((l) => /^view \(view\)\s+\(N, 1, 6, 4, 4\)/.test(l)), rows.join('\n'));
  assert.ok(rows.some((l) => /^permute \(permute\)\s+\(N, 6, 1, 4, 4\)/.test(l)), rows.join('\n'));
  assert.deepEqual(r.layers.at(-1)!.outputShape, [4, 4, 6]);
});

test('given --input, the CLI says what the build at that input says, not what a read without sizes could not tell, nor other models\' problems', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-present-'));
  const file = join(dir, 'paths.py');
  // PyTorch 2.13, Paths()(torch.randn(1, 3, 8, 8)): (1, 12, 8, 8); 4·3 + 4 + 8·3 + 8 = 48 parameters.
  writeFileSync(file, `import torch
import torch.nn as nn

class Paths(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 1)
        self.b = nn.Conv2d(3, 8, 1)

    def forward(self, x):
        a, b = self.a(x), self.b(x)
        return torch.cat([a[:, :2], b, a[:, 2:]], 1)


class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(5, 2)

    def forward(self, x):
        return self.fc(x)
`);
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
  assert.equal(await runCli([file, '--model', 'Paths', '--input', '3,8,8'], io), 0);
  assert.match(out.join('\n'), /Total params: 48 /);
  assert.deepEqual(err, []);
  // The same file read for Broken at that input: its own error, located, and exit 1.
  err.length = 0;
  assert.equal(await runCli([file, '--model', 'Broken', '--input', '3,8,8'], io), 1);
  assert.ok(err.length > 0 && err.every((l) => !/Paths|paths\.py:1[0-2]:/.test(l)), err.join('\n'));
});
