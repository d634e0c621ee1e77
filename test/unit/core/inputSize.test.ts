import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInputSize, inputFromDims, inputSizeDims, parseInputSize, readInputSize } from '../../../extension/core/inputSize';

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
  assert.throws(() => parseInputSize('3,224,abc', 'pytorch'), /"abc" is not a whole number: give C,H,W \(or N,C,H,W; features; C,L\), e.g. 3,224,224/);
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

test('the sizes as typed: brackets, a one-tuple comma, any of , x × * or spaces; everything else refused', () => {
  assert.deepEqual(inputSizeDims('224,224,3'), [224, 224, 3]);
  assert.deepEqual(inputSizeDims('299x299x3'), [299, 299, 3]);
  assert.deepEqual(inputSizeDims('(784,)'), [784]);
  assert.deepEqual(inputSizeDims('[1, 3, 32, 32]'), [1, 3, 32, 32]);
  assert.throws(() => inputSizeDims('224,,3'), /a size is missing/);
  assert.throws(() => inputSizeDims('-1,2,3'), /"-1" is not a whole number/);
  assert.throws(() => inputSizeDims('1.5,2,3'), /"1.5" is not a whole number/);
  assert.throws(() => inputSizeDims('0,2,3'), /at least 1/);
  assert.throws(() => inputSizeDims(''), /Enter an input size/);
});

test('a size typed for a model with a known input keeps its rank: a volume, a vector, an image', () => {
  // A PyTorch video model: C,D,H,W → the engine's D,H,W,C.
  assert.deepEqual(readInputSize('3,16,112,112', 'pytorch', [8, 112, 112, 3]), { ok: true, input: [16, 112, 112, 3] });
  assert.deepEqual(readInputSize('1,3,16,112,112', 'pytorch', [8, 112, 112, 3]), { ok: true, input: [16, 112, 112, 3] });
  const flat = readInputSize('112,112', 'pytorch', [8, 112, 112, 3]);
  assert.equal(flat.ok, false);
  if (!flat.ok) assert.match(flat.error, /volume of 4 sizes \(C×D×H×W\); "112,112" has 2/);
  // No input known (VS Code's prompt): the CLI's rules.
  assert.deepEqual(readInputSize('1, 3, 224, 224', 'pytorch', null), { ok: true, input: [224, 224, 3] });
  assert.deepEqual(readInputSize('784', 'pytorch', null), { ok: true, input: [784] });
});

// Cases the mutation run (npm run mutation:input) showed no test held: messages word for word, trimming, where
// brackets and separators may stand, and readInputSize for vector, sequence and image models.
test('messages name the order and an example of the framework, or both orders before the model is known', () => {
  assert.throws(() => inputSizeDims('', null), { message: 'Enter an input size: give H,W,C, e.g. 224,224,3 (PyTorch: C,H,W, e.g. 3,224,224)' });
  assert.throws(() => inputSizeDims('  ', 'keras'), { message: 'Enter an input size: give H,W,C (or N,H,W,C; features; steps,channels), e.g. 224,224,3' });
  assert.throws(() => inputSizeDims(' ,3 ', 'pytorch'), { message: '",3" is not an input size (a size is missing): give C,H,W (or N,C,H,W; features; C,L), e.g. 3,224,224' });
  assert.throws(() => inputFromDims('keras', [0, 3, 3]), { message: '"0,3,3" is not an input size: every size must be a positive whole number' });
  assert.throws(() => parseInputSize(' 1,2,3,4,5 ', 'pytorch'), { message: '"1,2,3,4,5" is not an input size: give 1 to 3 sizes without the batch, or a batch and an image: C,H,W (or N,C,H,W; features; C,L)' });
});

test('brackets only around the whole size, separators with spaces around them, runs of spaces as one', () => {
  assert.throws(() => inputSizeDims('3,(224,224'), /"\(224" is not a whole number/);
  assert.throws(() => inputSizeDims('3,224),224'), /"224\)" is not a whole number/);
  assert.deepEqual(inputSizeDims('  3   224    224  '), [3, 224, 224]);
  assert.deepEqual(inputSizeDims('3 x 224 X 224'), [3, 224, 224]);
  assert.deepEqual(inputSizeDims('[ 3 * 224 × 224 ]'), [3, 224, 224]);
});

test('readInputSize: a vector or sequence model takes its own rank (the batch may be written); an image keeps its channels', () => {
  assert.deepEqual(readInputSize(' 784 ', 'pytorch', [784]), { ok: true, input: [784] });
  assert.deepEqual(readInputSize('1, 784', 'pytorch', [784]), { ok: true, input: [784] });
  assert.deepEqual(readInputSize('3,128', 'pytorch', [3, 100]), { ok: true, input: [3, 128] });
  assert.deepEqual(readInputSize('8,3,128', 'keras', [100, 3]), { ok: true, input: [3, 128] });
  assert.deepEqual(readInputSize(' 3,4,5,6 ', 'pytorch', [784]), { ok: false, error: 'This model\'s input has 1 dimension (features); "3,4,5,6" has 4.' });
  assert.deepEqual(readInputSize('1,2,3,4', 'pytorch', [3, 100]), { ok: false, error: 'This model\'s input has 2 dimensions (C,L); "1,2,3,4" has 4.' });
  assert.deepEqual(readInputSize('1,2,3,4', 'keras', [100, 3]), { ok: false, error: 'This model\'s input has 2 dimensions (steps,channels); "1,2,3,4" has 4.' });
  // An image: one size is the side of a square, two height × width, both with the model's channels.
  assert.deepEqual(readInputSize('299', 'pytorch', [224, 224, 1]), { ok: true, input: [299, 299, 1] });
  assert.deepEqual(readInputSize('120x160', 'keras', [224, 224, 4]), { ok: true, input: [120, 160, 4] });
  assert.deepEqual(readInputSize('3,64,64', 'pytorch', [224, 224, 3]), { ok: true, input: [64, 64, 3] });
  assert.deepEqual(readInputSize('1,3,64,64', 'pytorch', [224, 224, 3]), { ok: true, input: [64, 64, 3] });
  assert.deepEqual(readInputSize('1,2,3,4,5', 'pytorch', [224, 224, 3]), { ok: false, error: 'An image input has 3 sizes (C×H×W), or 4 with the batch; "1,2,3,4,5" has 5.' });
  assert.deepEqual(readInputSize('1,2,3,4,5', 'keras', [224, 224, 3]), { ok: false, error: 'An image input has 3 sizes (H×W×C), or 4 with the batch; "1,2,3,4,5" has 5.' });
  assert.deepEqual(readInputSize('abc', 'keras', null), { ok: false, error: '"abc" is not a whole number: give H,W,C (or N,H,W,C; features; steps,channels), e.g. 224,224,3.' });
  assert.deepEqual(readInputSize('3,16,112', 'keras', [8, 112, 112, 3]), { ok: false, error: 'This model\'s input is a volume of 4 sizes (D×H×W×C); "3,16,112" has 3.' });
  assert.deepEqual(readInputSize('16,112,112,3', 'keras', [8, 112, 112, 3]), { ok: true, input: [16, 112, 112, 3] });
});

test('formatInputSize shows the framework order', () => {
  assert.equal(formatInputSize([224, 224, 3], 'pytorch'), '3×224×224');
  assert.equal(formatInputSize([16, 112, 112, 3], 'pytorch'), '3×16×112×112');
  assert.equal(formatInputSize([224, 224, 3], 'keras'), '224×224×3');
  assert.equal(formatInputSize([3, 128], 'pytorch'), '3×128');
  assert.equal(formatInputSize([784], 'tfjs'), '784');
});
