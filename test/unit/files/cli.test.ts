/** cnn-inspect on model files, through the CLI's I/O seam. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../extension/cli/main';
import { readModelFile } from '../../../extension/core/files/index';
import { EXPECTED, fixture } from './helpers';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

it('an ONNX file: the JSON report in the documented schema, NCHW shapes, exit 0', async () => {
  const { code, out, err } = await run(fixture('resnet50_bn.onnx'), '--format', 'json');
  assert.equal(code, 0, err);
  const json = JSON.parse(out);
  assert.equal(json.framework, 'onnx');
  assert.deepEqual(json.input, [null, 3, 224, 224]);
  assert.deepEqual(json.layers[0].outputShape, [null, 64, 112, 112]);
  assert.equal(json.totals.macs, EXPECTED.resnet50.macs);
});

it('--input re-sizes a file model in its own order (C,H,W for ONNX)', async () => {
  const { code, out } = await run(fixture('torch_small_bn.onnx'), '--input', '3,64,64', '--format', 'json');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out).layers[0].outputShape, [null, 16, 64, 64]);
});

it('a checkpoint: parameters per module, exit 1 because shapes and MACs are unknown', async () => {
  const { code, out, err } = await run(fixture('torch_small_state_dict.pth'));
  assert.equal(code, 1);
  assert.match(out, /Total params: 1,938/);
  assert.match(err, /parameters, not the graph/);
});

it('a file that cannot be read: one line naming it, exit 1, no stack trace', async () => {
  const { code, err } = await run(fixture('not_keras.h5'));
  assert.equal(code, 1);
  assert.match(err, /^cnn-inspect: error: .*not_keras\.h5: an HDF5 file without a model_config attribute/);
  assert.doesNotMatch(err, /\n\s+at /);
});

it('an input in the engine\'s order (the VS Code field, H,W,C) is turned into each format\'s own', async () => {
  const onnx = await readModelFile(fixture('torch_small_bn.onnx'), { engineInput: [64, 48, 3] });
  assert.deepEqual(onnx.spec!.input, [64, 48, 3]);
  const keras = await readModelFile(fixture('keras_small.keras'), { engineInput: [64, 48, 3] });
  assert.deepEqual(keras.spec!.input, [64, 48, 3]);
});
