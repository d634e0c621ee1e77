import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromDims, parseInputSize } from '../../../extension/core/inputSize';

test('input sizes are read in the framework order and returned as H, W, C', () => {
  assert.deepEqual(parseInputSize('3,224,224', 'pytorch'), [224, 224, 3]);
  assert.deepEqual(parseInputSize('(1, 3, 32, 32)', 'pytorch'), [32, 32, 3]);
  assert.deepEqual(parseInputSize('224x224x3', 'keras'), [224, 224, 3]);
  assert.deepEqual(parseInputSize('[1, 28, 28, 1]', 'tfjs'), [28, 28, 1]);
  assert.deepEqual(parseInputSize('1 28 28 1', 'keras'), [28, 28, 1]);
  // The bug from issue 9: "224, 224, 3" in a PyTorch prompt is C=224, H=224, W=3, never silently H,W,C.
  assert.deepEqual(parseInputSize('224, 224, 3', 'pytorch'), [224, 3, 224]);
  assert.deepEqual(parseInputSize('299x299', 'pytorch', 3), [299, 299, 3]);
});

test('bad input sizes are refused with the order the framework expects', () => {
  assert.throws(() => parseInputSize('0,224,224', 'pytorch'), /positive whole number/);
  assert.throws(() => parseInputSize('3,224,abc', 'pytorch'), /expected C,H,W \(or N,C,H,W; features; C,L\) such as 3,224,224/);
  assert.throws(() => parseInputSize('1,2,3,4,5', 'keras'), /not an input size: give 1 to 3 sizes without the batch/);
  assert.throws(() => inputFromDims('keras', [2.5, 3, 3]), /positive whole number/);
});

test('inputs that are not images: one size is a vector of features, two a sequence in the framework order', () => {
  // PyTorch (N, 784) / Keras (None, 784): the features, without the batch.
  assert.deepEqual(parseInputSize('784', 'pytorch'), [784]);
  assert.deepEqual(parseInputSize('(784,)', 'keras'), [784]);
  assert.deepEqual(parseInputSize('[1]', 'tfjs'), [1]);
  // PyTorch (C, L) stays as PyTorch writes it (the engine keeps PyTorch's rank-2 tensors channels-first);
  // Keras (steps, channels) likewise.
  assert.deepEqual(parseInputSize('3,128', 'pytorch'), [3, 128]);
  assert.deepEqual(parseInputSize('128, 3', 'keras'), [128, 3]);
  // Height × width with known channels is still an image.
  assert.deepEqual(parseInputSize('299x299', 'keras', 3), [299, 299, 3]);
});
