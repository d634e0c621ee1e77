/**
 * Property-based tests (fast-check): for random convolution and pooling arguments, the engine's report agrees
 * with the same tfjs layer built directly (tf.layers.conv2d(...).apply(tf.input(...)), countParams()), MACs
 * follow the textbook formula on the shapes tfjs gives, sizes that collapse are reported as such (never a
 * zero or negative shape), and arguments Keras rejects are `invalid`, never a number.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import type { ModelSpec } from '../../../extension/core/spec';

const RUNS = { numRuns: 60, seed: 7 };

const convArgs = fc.record({
  h: fc.integer({ min: 1, max: 40 }),
  w: fc.integer({ min: 1, max: 40 }),
  c: fc.integer({ min: 1, max: 6 }),
  filters: fc.integer({ min: 1, max: 8 }),
  kernel: fc.integer({ min: 1, max: 5 }),
  stride: fc.integer({ min: 1, max: 3 }),
  padding: fc.constantFrom('same', 'valid'),
  useBias: fc.boolean(),
});

function oneLayer(type: string, input: number[], args: Record<string, unknown>): ModelSpec {
  return { name: 'prop', framework: 'keras', input, layers: [{ name: 'layer', type, args, inputs: ['input'], block: null }] };
}

describe('shape math against tfjs built directly', () => {
  it('Conv2D: output shape, params and MACs, or a collapse where the input is too small', async () => {
    const tf = await loadTensorFlow('cpu');
    await fc.assert(
      fc.asyncProperty(convArgs, async (a) => {
        const args = { filters: a.filters, kernelSize: a.kernel, strides: a.stride, padding: a.padding, useBias: a.useBias };
        const report = await analyzeModel(oneLayer('Conv2D', [a.h, a.w, a.c], args));
        const layer = report.layers[0]!;
        const direct = tf.tfl.layers.conv2d({ ...args, padding: a.padding as 'same' | 'valid' });
        const out = (direct.apply(tf.tfl.input({ shape: [a.h, a.w, a.c] })) as { shape: (number | null)[] }).shape.slice(1) as number[];
        const params = direct.countParams();
        direct.dispose();
        if (out.some((d) => d <= 0)) {
          assert.equal(layer.outputShape, null);
          assert.equal(layer.error?.kind, 'collapse');
          assert.equal(report.complete, false);
          return;
        }
        assert.deepEqual(layer.outputShape, out);
        assert.equal(layer.params, params);
        assert.equal(params, a.kernel * a.kernel * a.c * a.filters + (a.useBias ? a.filters : 0));
        assert.equal(layer.macs, out[0]! * out[1]! * a.filters * a.kernel * a.kernel * a.c);
        // Keras: out = ceil(n / s) for 'same', ceil((n − k + 1) / s) for 'valid'.
        const expect = (n: number): number => (a.padding === 'same' ? Math.ceil(n / a.stride) : Math.ceil((n - a.kernel + 1) / a.stride));
        assert.deepEqual(out, [expect(a.h), expect(a.w), a.filters]);
      }),
      RUNS,
    );
  });

  it('MaxPooling2D: the shape tfjs gives, no weights, no MACs', async () => {
    const tf = await loadTensorFlow('cpu');
    await fc.assert(
      fc.asyncProperty(convArgs, async (a) => {
        const args = { poolSize: a.kernel, strides: a.stride, padding: a.padding };
        const report = await analyzeModel(oneLayer('MaxPooling2D', [a.h, a.w, a.c], args));
        const layer = report.layers[0]!;
        const direct = tf.tfl.layers.maxPooling2d({ ...args, padding: a.padding as 'same' | 'valid' });
        const out = (direct.apply(tf.tfl.input({ shape: [a.h, a.w, a.c] })) as { shape: (number | null)[] }).shape.slice(1) as number[];
        if (out.some((d) => d <= 0)) return assert.equal(layer.error?.kind, 'collapse');
        assert.deepEqual(layer.outputShape, out);
        assert.equal(layer.params, 0);
        assert.equal(layer.macs, 0);
      }),
      RUNS,
    );
  });

  it('arguments Keras rejects are invalid with its reason, never Infinity, NaN or a shape', async () => {
    const bad = fc.oneof(
      fc.record({ arg: fc.constant('strides'), value: fc.constantFrom(0, -1, -2) }),
      fc.record({ arg: fc.constant('kernelSize'), value: fc.constantFrom(0, -3) }),
      fc.record({ arg: fc.constant('dilationRate'), value: fc.constant(0) }),
      fc.record({ arg: fc.constant('filters'), value: fc.constantFrom(0, -4, 2.5) }),
    );
    await fc.assert(
      fc.asyncProperty(convArgs, bad, async (a, b) => {
        const args = { filters: a.filters, kernelSize: a.kernel, strides: a.stride, padding: a.padding, [b.arg]: b.value };
        const report = await analyzeModel(oneLayer('Conv2D', [a.h, a.w, a.c], args));
        const layer = report.layers[0]!;
        assert.equal(layer.error?.kind, 'invalid');
        assert.match(layer.error!.message, /Received|Invalid value/);
        assert.equal(layer.outputShape, null);
        assert.equal(layer.unknown?.params, true);
        assert.ok(Number.isFinite(report.totals.macs) && Number.isFinite(report.totals.params));
        assert.equal(report.totals.lowerBound, true);
      }),
      { numRuns: 30, seed: 11 },
    );
  });
});
