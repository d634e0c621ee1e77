/**
 * A file whose every model is given the same input is read once, at that input (the editor's re-analysis after
 * an edit): the reads are counted (PythonInterpreter.runModule, one per read of the file), not timed. Each model
 * is exactly what a read without an input builds at that input; code that asks for the input (keras.Input) is
 * still read without one and again at the input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Shape } from '../../../extension/core/shape';
import type { BuildOutcome, ReadResult } from '../../../extension/core/source/index';
import { PythonInterpreter } from '../../../extension/core/source/python/interpreter';
import { fixtureText, getReader } from './helpers';

/** How many times `fn` reads a file (runs a module's top level). */
function countReads<T>(fn: () => T): { result: T; reads: number } {
  const original = PythonInterpreter.prototype.runModule;
  let reads = 0;
  PythonInterpreter.prototype.runModule = function (this: PythonInterpreter, root) {
    reads++;
    return original.call(this, root);
  };
  try {
    return { result: fn(), reads };
  } finally {
    PythonInterpreter.prototype.runModule = original;
  }
}

/** What the engine is given for a model: its layers with their input shapes, declared sizes and the input. */
function specOf(outcome: BuildOutcome): unknown {
  assert.equal(outcome.kind, 'built', outcome.kind === 'built' ? '' : outcome.message);
  if (outcome.kind !== 'built') return null;
  return { input: outcome.model.spec.input, origin: outcome.model.inputOrigin, layers: outcome.model.spec.layers, calls: outcome.model.calls.length, declared: outcome.model.declaredSizes };
}

function inputsFor(read: ReadResult, input: Shape): Map<string, Shape> {
  return new Map(read.models.map((m) => [m.name, input]));
}

const AT: Shape = [64, 64, 3];

test('every model of a PyTorch file given one input: one read, and each model as a read without an input builds it at that input', async () => {
  const reader = await getReader();
  const text = fixtureText('pytorch_resnet.py');
  const plain = countReads(() => reader.read(text, { file: 'r.py', language: 'python' }));
  const names = plain.result.models.map((m) => m.name);
  assert.deepEqual(names, ['resnet18', 'resnet34', 'resnet50']);
  const twoReads = countReads(() => plain.result.models.map((m) => specOf(m.build(AT))));
  assert.equal(plain.reads + twoReads.reads, 2, 'without the inputs: a read without one, then one at the input');

  const once = countReads(() => reader.read(text, { file: 'r.py', language: 'python', inputs: inputsFor(plain.result, AT) }));
  const builds = countReads(() => once.result.models.map((m) => specOf(m.build(AT))));
  assert.equal(once.reads + builds.reads, 1, 'given every input: the file is read once');
  assert.deepEqual(once.result.models.map((m) => m.name), names);
  assert.deepEqual(builds.result, twoReads.result);
  assert.equal(once.result.defaultModel?.name, plain.result.defaultModel?.name);
  // What the file states is still what a read without an input lists (resnet18's example input, none for the others).
  assert.deepEqual(once.result.models.map((m) => [m.input, m.inputOrigin]), plain.result.models.map((m) => [m.input, m.inputOrigin]));
  // Another input, or none, reads the file again: nothing computed at 64×64 is reused.
  const other = countReads(() => specOf(once.result.models[2]!.build([96, 96, 3])));
  assert.equal(other.reads, 1);
  assert.deepEqual(other.result, specOf(plain.result.models[2]!.build([96, 96, 3])));
});

test('given every input, the messages are those of the builds at that input, not of a read that could not tell the sizes', async () => {
  const reader = await getReader();
  const text = fixtureText('pytorch_torchvision_vgg_alexnet.py');
  const plain = reader.read(text, { file: 'v.py', language: 'python' });
  assert.ok(plain.diagnostics.some((d) => /on a tensor whose size is unknown/.test(d.message)));
  const once = reader.read(text, { file: 'v.py', language: 'python', inputs: inputsFor(plain, [224, 224, 3]) });
  assert.deepEqual(once.diagnostics.filter((d) => /size is unknown|cannot tell/.test(d.message)), []);
  // The file still does not state these models' inputs, as a read without one says.
  const needed = (r: ReadResult): string[] => r.diagnostics.filter((d) => d.code === 'input-needed').map((d) => `${d.model}: ${d.message} (line ${d.source.line})`);
  assert.deepEqual(needed(once), needed(plain));
});

test('a model not given the input, or code that asks for the input (keras.Input), reads the file without one as before', async () => {
  const reader = await getReader();
  const resnet = fixtureText('pytorch_resnet.py');
  const some = countReads(() => reader.read(resnet, { file: 'r.py', language: 'python', inputs: new Map([['resnet50', AT]]) }));
  assert.equal(some.reads, 2, 'resnet18 and resnet34 are not given one: a read without an input lists them');
  assert.deepEqual(some.result.models.map((m) => m.build().kind), ['built', 'input-needed', 'input-needed']);

  const mnist = fixtureText('keras_mnist_convnet.py');
  const plain = reader.read(mnist, { file: 'k.py', language: 'python' });
  const given = countReads(() => reader.read(mnist, { file: 'k.py', language: 'python', inputs: inputsFor(plain, [32, 32, 1]) }));
  assert.equal(given.reads, 2, 'keras.Input reads the given input: the read at it is not the read without one');
  assert.deepEqual(given.result.models.map((m) => m.input), plain.models.map((m) => m.input));
  const at = given.result.models.map((m) => specOf(m.build([32, 32, 1])));
  assert.deepEqual(at, plain.models.map((m) => specOf(m.build([32, 32, 1]))));
});

test('the read at the given input follows an edit: a changed layer argument changes the model', async () => {
  const reader = await getReader();
  const text = fixtureText('pytorch_resnet.py');
  const inputs = inputsFor(reader.read(text, { file: 'r.py', language: 'python' }), AT);
  const classes = (t: string): unknown => {
    const outcome = reader.read(t, { file: 'r.py', language: 'python', inputs }).models.find((m) => m.name === 'resnet50')!.build(AT);
    return outcome.kind === 'built' ? outcome.model.spec.layers.at(-1)?.args['units'] : null;
  };
  const edited = text.replace('def resnet50(num_classes: int = 1000)', 'def resnet50(num_classes: int = 10)');
  assert.notEqual(edited, text);
  assert.equal(classes(text), 1000);
  assert.equal(classes(edited), 10);
});
