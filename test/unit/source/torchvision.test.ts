/**
 * The reader on torchvision's own model sources, when Debian's python3-torchvision is installed (the files are
 * only read, never run; the test is skipped elsewhere). Parameter counts are torchvision's published ones
 * (docs "Classification" table, sum(p.numel())). Built without weights, googlenet() and inception_v3() keep
 * their auxiliary classifiers (aux_logits defaults to True; only loading weights removes them), which eval-mode
 * forward() never calls but model.parameters() counts: inception_v3 27,161,264 (the table's figure, aux
 * included), googlenet 13,004,888 (the table's 6,624,904 is after the weights loader drops aux1/aux2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { analyzeModel } from '../../../extension/core/analyze';
import { analyse, built, getReader } from './helpers';

// Debian's python3-torchvision 0.14 where it is installed, else the same package unpacked by scripts/corpus/fetch.sh.
const DEBIAN = '/usr/lib/python3/dist-packages/torchvision/models/';
const UNPACKED = `${__dirname}/../../../.corpus/python3-torchvision-0.14.1-2/torchvision/models/`;
const DIR = existsSync(DEBIAN) ? DEBIAN : UNPACKED;

const CASES = [
  ['resnet.py', 'resnet50', 224, 25557032],
  ['densenet.py', 'densenet121', 224, 7978856],
  ['googlenet.py', 'googlenet', 224, 13004888],
  ['inception.py', 'inception_v3', 299, 27161264],
  ['squeezenet.py', 'squeezenet1_0', 224, 1248424],
  ['vgg.py', 'vgg16_bn', 224, 138365992],
  ['mnasnet.py', 'mnasnet1_0', 224, 4383312],
  ['alexnet.py', 'alexnet', 224, 61100840],
  // Conv2dNormActivation and _make_divisible evaluated as torchvision/ops/misc.py and models/_utils.py define them.
  ['mobilenetv2.py', 'mobilenet_v2', 224, 3504872],
] as const;

for (const [file, name, size, params] of CASES) {
  test(`torchvision ${file}: ${name}`, { skip: !existsSync(DIR + file) && 'torchvision sources not installed' }, async () => {
    const reader = await getReader();
    const result = reader.read(readFileSync(DIR + file, 'utf8'), { file, language: 'python' });
    const found = result.models.find((m) => m.name === name);
    assert.ok(found, result.models.map((m) => m.name).join(', '));
    const outcome = found.build([size, size, 3]);
    assert.equal(outcome.kind, 'built');
    if (outcome.kind !== 'built') return;
    const report = await analyzeModel(outcome.model.spec, { backend: 'cpu' });
    assert.equal(report.complete, true, report.issues.map((i) => i.message).join('\n'));
    assert.deepEqual(report.layers.filter((l) => !l.notCalled).at(-1)!.outputShape, [1000]);
    assert.equal(report.totals.params, params);
  });
}

test('torchvision resnet.py: resnext50_32x4d and wide_resnet50_2 through _ovewrite_named_param and **kwargs', { skip: !existsSync(DIR + 'resnet.py') && 'torchvision sources not installed' }, async () => {
  // The factories set groups / width_per_group with torchvision's _ovewrite_named_param (a stand-in written from
  // torchvision/models/_utils.py). Counts: torchvision's model table (25,028,904 and 68,883,240 parameters; 4.23 and
  // 11.4 GFLOPS, i.e. MACs).
  const reader = await getReader();
  const result = reader.read(readFileSync(DIR + 'resnet.py', 'utf8'), { file: 'resnet.py', language: 'python' });
  const resnext = result.models.find((m) => m.name === 'resnext50_32x4d');
  assert.ok(resnext, result.models.map((m) => m.name).join(', '));
  const report = await analyse(built(resnext, [224, 224, 3]));
  assert.equal(report.totals.params, 25_028_904);
  assert.equal(Math.round(report.totals.macs / 1e7) / 100, 4.23);
  const wide = await analyse(built(result.models.find((m) => m.name === 'wide_resnet50_2')!, [224, 224, 3]));
  assert.equal(wide.totals.params, 68_883_240);
});
