/**
 * `cnn-inspect FILE --format json` on a model file writes counts past 2^53 exactly, as digits, as it does for
 * model code (it stopped with "internal error: Do not know how to serialize a BigInt"). A tfjs layers model:
 * one Conv2D(512, 3) on a 2,000,000×2,000,000×3 input, MACs = 1,999,998² · 512 · 3 · 3 · 3.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../extension/cli/main';

const MODEL = {
  format: 'layers-model',
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'big',
      layers: [{ class_name: 'Conv2D', config: { name: 'c', batch_input_shape: [null, 2_000_000, 2_000_000, 3], filters: 512, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', use_bias: true, activation: 'linear' } }],
    },
  },
  weightsManifest: [],
};

test('a model file whose MACs pass 2^53 prints them exactly in JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-json-'));
  try {
    const path = join(dir, 'model.json');
    writeFileSync(path, JSON.stringify(MODEL));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([path, '--format', 'json'], { out: (t) => out.push(t), err: (t) => err.push(t) });
    const text = out.join('\n');
    assert.doesNotMatch(err.join('\n'), /internal error/);
    const macs = (1_999_998n ** 2n * 512n * 27n).toString();
    assert.match(text, new RegExp(`"macs": ${macs},`));
    assert.match(text, /"params": 14336,/);
    assert.equal(code, 0, err.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
