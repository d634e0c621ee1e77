/**
 * PyTorch checkpoints: state dicts (zip and legacy formats), a whole pickled module, TorchScript, and a
 * pickle crafted to run os.system when torch.load reads it. Parameter shapes and counts are torch's
 * (model.state_dict(), sum(p.numel() for p in model.parameters())), from scripts/files/make_fixtures.py.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parameterReport, readModelFile, ModelFileError } from '../../../extension/core/files/index';
import { readPickle } from '../../../extension/core/files/pickle';
import { crc32 } from '../../../extension/core/files/zip';
import { EXPECTED, fixture, reportOf } from './helpers';

function stateDictOf(file: Awaited<ReturnType<typeof readModelFile>>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const g of file.parameters!.groups) for (const t of g.tensors) out[`${g.name}.${t.name}`] = t.shape;
  return out;
}

describe('PyTorch checkpoints', () => {
  for (const name of ['torch_small_state_dict.pth', 'torch_small_legacy.pth', 'torch_small_module.pt', 'torch_small_scripted.pt']) {
    it(`${name}: every tensor's shape and model.parameters()'s count`, async () => {
      const { file, report } = await reportOf(name);
      assert.equal(file.spec, null);
      assert.deepEqual(stateDictOf(file), EXPECTED.torch_small.stateDict);
      assert.equal(report.totals.params, EXPECTED.torch_small.params);
      assert.equal(report.layers.find((l) => l.name === 'conv1')!.params, 432);
      assert.equal(report.totals.macs, 0);
      assert.equal(report.complete, false, 'a checkpoint has no graph: the report says so');
      assert.match(report.issues[0]!.message, /parameters, not the graph/);
    });
  }

  // scripts/files/make_frozen_fixtures.py (torch 2.13): Conv2d(3, 8, 3) frozen (requires_grad False) before
  // BatchNorm2d(8) and Linear(288, 10): model.parameters() 3,130, of which 2,906 train and 224 do not.
  for (const name of ['torch_frozen_module.pt', 'torch_frozen_scripted.pt']) {
    it(`${name}: the requires_grad the file records splits trainable from frozen, as model.parameters() does`, async () => {
      const { report } = await reportOf(name);
      assert.equal(report.totals.params, EXPECTED.torch_frozen.params);
      assert.equal(report.totals.trainableParams, EXPECTED.torch_frozen.trainable);
      assert.equal(report.totals.nonTrainableParams, EXPECTED.torch_frozen.frozen);
      assert.equal(report.totals.trainableUnknown, undefined);
      const conv = report.layers.find((l) => l.name === '0')!;
      assert.deepEqual([conv.trainableParams, conv.nonTrainableParams], [0, 224]);
    });
  }

  it('a state dict does not record requires_grad (torch saves every tensor detached): trainable is unknown, the total exact', async () => {
    // torch.load(...).values(): requires_grad is False for every tensor, frozen or not.
    assert.deepEqual(EXPECTED.torch_frozen.stateDictRequiresGrad, [false]);
    const { report } = await reportOf('torch_frozen_state_dict.pth');
    assert.equal(report.totals.params, EXPECTED.torch_frozen.params);
    assert.match(report.totals.trainableUnknown!.message, /state dict does not record which parameters train/);
    assert.ok(report.layers.every((l) => l.unknown?.trainable === true));
  });

  // scripts/files/make_torch_buffer_fixtures.py (torch 2.13): a module with Swin's int64 relative_position_index (256)
  // and a bool buffer (1) beside Conv2d, BatchNorm2d and Linear; sum(p.numel()) 383. The state dict does not mark
  // buffers: an integer tensor cannot be a trained parameter, so it is one (was counted: 640, a confident wrong total).
  // index_buffer.module.pt: the whole module after an eval forward, whose bias_cache dict holds a 512-element tensor
  // in neither parameters() nor state_dict() (timm LeViT's attention_bias_cache: levit_128s read 8,225,172 for 7,777,058).
  for (const name of ['index_buffer.state_dict.pth', 'index_buffer.legacy.pth', 'index_buffer.checkpoint.pth', 'index_buffer.module.pt']) {
    it(`${name}: integer and bool tensors are buffers, so the count is model.parameters()'s 383`, async () => {
      const file = await readModelFile(join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'torch', name));
      const report = parameterReport(file.parameters!);
      assert.equal(report.totals.params, 383);
      const tensors = file.parameters!.groups.flatMap((g) => g.tensors);
      assert.deepEqual(tensors.filter((t) => t.buffer && !/running_|num_batches/.test(t.name)).map((t) => [t.name, t.dtype, t.shape]), [
        ['relative_position_index', 'int64', [16, 16]],
        ['seen', 'bool', []],
      ]);
    });
  }

  it('TorchScript code is listed as not executed', async () => {
    const { file } = await reportOf('torch_small_scripted.pt');
    assert.equal(file.format, 'torchscript');
    assert.ok(EXPECTED.torch_small_scripted.code.length > 0);
    assert.match(file.diagnostics.find((d) => d.severity === 'warning')!.message, /TorchScript archive: its code .* is not executed/);
  });

  it('a pickle that runs os.system under torch.load runs nothing here, and says what it asked for', async () => {
    const marker = EXPECTED.torch_evil.marker as string;
    rmSync(marker, { force: true });
    const { file } = await reportOf('torch_evil.pth');
    assert.equal(existsSync(marker), false, 'the pickle ran');
    assert.deepEqual(stateDictOf(file), EXPECTED.torch_evil.stateDict);
    assert.match(file.diagnostics.find((d) => d.severity === 'warning')!.message, /asks to call posix\.system .* nothing was called/);
  });

  it('GLOBAL + REDUCE of any function is recorded, never called', () => {
    // Protocol 0: c builtins\neval\n (S'1+1'\n tR. — pickle.loads would evaluate it.
    const bytes = new TextEncoder().encode("cbuiltins\neval\n(S'__import__(\"os\").system(\"touch /tmp/x\")'\ntR.");
    const result = readPickle(bytes);
    assert.deepEqual(result.refusedCalls, ['builtins.eval']);
  });

  it('a truncated checkpoint is one clear message naming the file', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('torch_small_state_dict.pth')));
    await assert.rejects(readModelFile({ name: 'cut.pth', bytes: bytes.subarray(0, 3000) }), (e: Error) => e instanceof ModelFileError && /^cut\.pth: /.test(e.message));
    const legacy = new Uint8Array(readFileSync(fixture('torch_small_legacy.pth')));
    await assert.rejects(readModelFile({ name: 'cut-legacy.pth', bytes: legacy.subarray(0, 200) }), (e: Error) => e instanceof ModelFileError && /^cut-legacy\.pth: /.test(e.message));
  });
});

describe('files that are no model', () => {
  it('an empty file, a directory and an unknown format each get one message naming them', async () => {
    await assert.rejects(readModelFile({ name: 'empty.onnx', bytes: new Uint8Array(0) }), /empty\.onnx: the file is empty/);
    await assert.rejects(readModelFile(fixture('')), /not a regular file/);
    await assert.rejects(readModelFile({ name: 'notes.pt', bytes: new TextEncoder().encode('hello') }), /notes\.pt: not a model file CNN Inspector recognises/);
  });

  it('one flipped bit in data.pkl is refused (the zip\'s CRC-32), never read as another model', async () => {
    // The standard CRC-32 check value.
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    await assert.rejects(readModelFile(fixture('../hostile/torch_flipped_size.pth')), (e: Error) => e instanceof ModelFileError && /data\.pkl is corrupt \(its CRC-32/.test(e.message));
  });
});

