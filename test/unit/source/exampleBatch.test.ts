/**
 * A mismatch message quotes the shapes the file's own example run would see: batch 8 when the file feeds 8.
 * The PyTorch messages below are what torch 2.13 prints for the same code and input (run on this project's
 * venv: `model(torch.randn(8, 1, 28, 28))` on pytorch_mnist_mismatch.py and the Sequential below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnosticsFromReport, type ReadResult } from '../../../extension/core/source/index';
import { analyse, built, fixtureText, getReader } from './helpers';

async function readText(text: string, file = 'inline.py'): Promise<ReadResult> {
  return (await getReader()).read(text, { file, language: 'python' });
}

async function declaredSizeMessages(text: string): Promise<string[]> {
  const model = built((await readText(text)).defaultModel!);
  return diagnosticsFromReport(model, await analyse(model))
    .filter((d) => d.code === 'declared-size')
    .map((d) => d.message);
}

for (const batch of [1, 8, 32]) {
  test(`MNIST with fc1 = Linear(4608, 128) fed torch.randn(${batch}, 1, 28, 28): "(${batch}x9216 and 4608x128)"`, async () => {
    const text = fixtureText('pytorch_mnist_mismatch.py').replace('torch.randn(1, 1, 28, 28)', `torch.randn(${batch}, 1, 28, 28)`);
    assert.ok(text.includes(`torch.randn(${batch}, 1, 28, 28)`));
    const [message, ...rest] = await declaredSizeMessages(text);
    assert.equal(rest.length, 0);
    assert.match(message!, new RegExp(`the incoming tensor \\(${batch}, 9216\\)|input \\(${batch}, 9216\\)`));
    assert.match(message!, new RegExp(`mat1 and mat2 shapes cannot be multiplied \\(${batch}x9216 and 4608x128\\)`));
  });
}

test('the batch of a `# cnn-inspect: input=(8, …)` comment is the one quoted', async () => {
  const messages = await declaredSizeMessages(`import torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(3, 16, 3),
    nn.BatchNorm2d(32),
)
# cnn-inspect: input=(8, 3, 28, 28)
`);
  // torch: "running_mean should contain 16 elements not 32" for the input (8, 16, 26, 26).
  assert.deepEqual(messages, ['1: num_features=32 but the input (8, 16, 26, 26) has 16 channels; PyTorch fails with "running_mean should contain 16 elements not 32"']);
});

test('without an example or a comment (the input was given), a batch of one is quoted', async () => {
  const text = `import torch.nn as nn
net = nn.Sequential(nn.Conv2d(1, 16, 3))
`;
  const found = (await readText(text)).defaultModel!;
  const model = built(found, [28, 28, 3]);
  assert.equal(model.exampleBatch, null);
  const diags = diagnosticsFromReport(model, await analyse(model)).filter((d) => d.code === 'declared-size');
  assert.match(diags[0]!.message, /in_channels=1 but the input \(1, 3, 28, 28\) has 3 channels/);
});
