/** Shape arithmetic on its own: MAC formulas, receptive-field propagation, number formats, shape parsing. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { macsOf, propagateField, geometryOf, INPUT_FIELD } from '../../../extension/core/layerMath';
import { formatBytes, formatExact, formatSI } from '../../../extension/core/report/numberFormat';
import { presentShape, shapeText } from '../../../extension/core/report/shapes';
import { analyzeModel } from '../../../extension/core/analyze';
import { INPUT, SpecBuilder } from '../../../extension/core/spec';

describe('MAC formulas', () => {
  const cases = [
    // [type, config, input, output, expected, why]
    ['Conv2D', { kernelSize: [3, 3] }, [56, 56, 64], [56, 56, 128], 56 * 56 * 128 * 9 * 64, 'outH·outW·outC·kH·kW·inC'],
    ['DepthwiseConv2D', { kernelSize: [3, 3], depthMultiplier: 1 }, [112, 112, 32], [112, 112, 32], 112 * 112 * 32 * 9, 'MobileNet v1 dw: outH·outW·C·kH·kW'],
    ['SeparableConv2D', { kernelSize: [3, 3], depthMultiplier: 1 }, [14, 14, 512], [14, 14, 512], 14 * 14 * 512 * 9 + 14 * 14 * 512 * 512, 'depthwise + pointwise'],
    ['Conv2D', { kernelSize: [3, 3], groups: 32 }, [56, 56, 128], [56, 56, 128], 14_450_688, 'grouped: outH·outW·outC·kH·kW·inC/groups (ResNeXt-50 conv2 of layer1; FlopCounterMode, scripts/reference/layer_reference.py)'],
    ['Conv2DTranspose', { kernelSize: [3, 3] }, [6, 6, 8], [12, 12, 3], 7_776, 'inH·inW·inC·kH·kW·outC (FlopCounterMode, scripts/reference/layer_reference.py)'],
    ['Dense', {}, [9216], [4096], 9216 * 4096, 'in·out'],
    ['MaxPooling2D', { poolSize: [2, 2] }, [4, 4, 3], [2, 2, 3], 0, 'pooling multiplies no weights'],
  ] as const;
  for (const [type, config, input, output, expected, why] of cases) {
    it(`${type}: ${why}`, () => {
      assert.equal(macsOf(type, config, input, output), expected);
    });
  }
  it('unknown shapes give unknown MACs', () => {
    assert.equal(macsOf('Conv2D', { kernelSize: 3 }, null, [4, 4, 4]), null);
  });

  it('MobileNet-style depthwise separable block through tfjs: params and MACs', async () => {
    const m = new SpecBuilder('dw', [112, 112, 32]);
    const dw = m.add('DepthwiseConv2D', 'dw', { kernelSize: 3, padding: 'same', useBias: false }, INPUT);
    m.add('Conv2D', 'pw', { filters: 64, kernelSize: 1, useBias: false }, dw);
    m.add('SeparableConv2D', 'sep', { filters: 64, kernelSize: 3, padding: 'same', useBias: false }, INPUT);
    const report = await analyzeModel(m.build());
    // Howard et al. 2017, MobileNet v1 Table 1 row "Conv dw / s1, 3×3×32 dw" then "Conv / s1, 1×1×32×64".
    assert.deepEqual(report.layers.map((l) => [l.params, l.macs]), [
      [288, 112 * 112 * 32 * 9],
      [2048, 112 * 112 * 64 * 32],
      [288 + 2048, 112 * 112 * 32 * 9 + 112 * 112 * 64 * 32],
    ]);
  });
});

describe('receptive field propagation', () => {
  it('stacks kernels through the jump: two 3×3 convs see 5×5, a stride-2 pool doubles the jump', () => {
    const conv = geometryOf('Conv2D', { kernelSize: 3, strides: 1 });
    const pool = geometryOf('MaxPooling2D', { poolSize: 2 });
    const a = propagateField('Conv2D', conv, [INPUT_FIELD], [8, 8, 1]);
    const b = propagateField('Conv2D', conv, [a], [8, 8, 1]);
    const c = propagateField('MaxPooling2D', pool, [b], [4, 4, 1]);
    const d = propagateField('Conv2D', conv, [c], [4, 4, 1]);
    assert.deepEqual([a?.rf[0], b?.rf[0], c?.rf[0], d?.rf[0]], [3, 5, 6, 10]);
    assert.deepEqual(d?.jump, [2, 2]);
  });
  it('dilation widens the kernel: a 3×3 with dilation 2 covers 5×5', () => {
    const g = geometryOf('Conv2D', { kernelSize: 3, dilationRate: 2 });
    assert.equal(propagateField('Conv2D', g, [INPUT_FIELD], [8, 8, 1])?.rf[0], 5);
  });
  it('dilations 1, 2, 4 on 3×3 kernels give fields of 3, 7, 15 (Yu & Koltun 2016, "Multi-scale context aggregation by dilated convolutions", §2)', () => {
    let field = INPUT_FIELD;
    const rfs: number[] = [];
    for (const dilationRate of [1, 2, 4]) {
      field = propagateField('Conv2D', geometryOf('Conv2D', { kernelSize: 3, dilationRate }), [field], [64, 64, 1])!;
      rfs.push(field.rf[0]);
    }
    assert.deepEqual(rfs, [3, 7, 15]);
  });
  it('a squeeze-and-excitation multiply keeps the field of its spatial input (the 1×1 gate has none)', () => {
    const x = { rf: [11, 11] as [number, number], jump: [4, 4] as [number, number] };
    assert.deepEqual(propagateField('Multiply', null, [x, null], [8, 8, 16]), x);
    assert.equal(propagateField('Add', null, [x, null], [8, 8, 16]), null);
  });
  it('upsampling ends the field: a fractional jump is outside the recurrence, so it is unknown, not kept', () => {
    const x = { rf: [11, 11] as [number, number], jump: [4, 4] as [number, number] };
    for (const type of ['UpSampling2D', 'Resize', 'Conv2DTranspose']) {
      assert.equal(propagateField(type, geometryOf(type, { kernelSize: 3, strides: 2 }), [x], [16, 16, 8]), null, type);
    }
    assert.deepEqual(propagateField('ChannelSlice', null, [x], [8, 8, 4]), x);
  });
  it('a merge takes the largest field of its inputs', () => {
    const f = propagateField('Add', null, [{ rf: [3, 3], jump: [1, 1] }, { rf: [7, 7], jump: [2, 2] }], [8, 8, 1]);
    assert.deepEqual(f, { rf: [7, 7], jump: [2, 2] });
  });
});

describe('formats', () => {
  it('exact numbers are comma-grouped regardless of locale', () => {
    assert.equal(formatExact(138357544), '138,357,544');
    assert.equal(formatExact(999), '999');
    assert.equal(formatExact(0), '0');
  });
  it('SI numbers', () => {
    assert.equal(formatSI(15470264320), '15.47G');
    assert.equal(formatSI(4_089_184_256), '4.09G');
    assert.equal(formatSI(61_706), '61.71K');
    assert.equal(formatSI(12), '12');
  });
  it('bytes in binary units', () => {
    assert.equal(formatBytes(25690112), '24.5 MiB');
    assert.equal(formatBytes(100), '100 B');
  });
  it('shapes in each framework\'s order', () => {
    assert.deepEqual(presentShape([28, 28, 192], 'pytorch'), [null, 192, 28, 28]);
    assert.deepEqual(presentShape([28, 28, 192], 'keras'), [null, 28, 28, 192]);
    assert.equal(shapeText([28, 28, 192], 'pytorch'), '(N, 192, 28, 28)');
    assert.equal(shapeText(null, 'keras'), 'unknown');
  });
});

it('a 1-D call held as one layer (sequenceLayout.ts): the kind\'s MAC rule on the inner layer\'s shapes', () => {
  // PyTorch Conv1d(4, 8, 3) on (N, 4, 16): the row is (C, L) → (8, 14); tfjs' conv1d computes (16, 4) → (14, 8).
  // torch 2.13 FlopCounterMode: 14·8·3·4 = 1,344 (coverage2026.json's rule).
  assert.equal(macsOf('Conv1D', { kernelSize: [3], sequence: 'channelsFirst' }, [4, 16], [8, 14]), 1344);
  // Conv1d(4, 8, 3, groups=2, padding=2): a grouped (1, 3) Conv2D on (1, 20, 4) → (1, 18, 8): 18·8·3·2 = 864.
  assert.equal(macsOf('Conv2D', { kernelSize: [1, 3], groups: 2, sequence: 'channelsFirstAsImage', lengthPadding: [2, 2] }, [4, 16], [8, 18]), 864);
  // Keras Conv1DTranspose(8, 4, strides=2, padding='same') on (None, 16, 3): 16·3·4·8 = 1,536 (Keras' kernel × input positions).
  assert.equal(macsOf('Conv2DTranspose', { kernelSize: [1, 4], sequence: 'asImage' }, [16, 3], [32, 8]), 1536);
  // A layout the engine does not know counts nothing it cannot tell: unknown.
  assert.equal(macsOf('Conv1D', { kernelSize: [3], sequence: 'sideways' }, [4, 16], [8, 14]), null);
});
