/**
 * Arguments rejected the way the frameworks reject them. Each expected message was recorded from the
 * framework itself (Keras 3.15.1, PyTorch 2.13), e.g. `layers.Conv2D(8, 3, strides=0)` →
 * "ValueError: The `strides` argument must be a tuple of 2 integers. Received strides=0, including values {0}
 * that do not satisfy `value > 0`".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { invalidReason, validateArgs } from '../../../extension/core/tfjs/validateArgs';
import type { Framework, LayerSpec } from '../../../extension/core/spec';

const spec = (type: string, args: Record<string, unknown>): LayerSpec => ({ name: 'l', type, args, inputs: ['input'] });

const CASES: [Framework, string, Record<string, unknown>, [number, number, number] | null, string | null][] = [
  ['keras', 'Conv2D', { filters: 8, kernelSize: 3, strides: 0 }, null, 'The `strides` argument must be a tuple of 2 integers. Received strides=0, including values {0} that do not satisfy `value > 0`'],
  ['keras', 'Conv2D', { filters: 8, kernelSize: -3 }, null, 'The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=-3, including values {-3} that do not satisfy `value > 0`'],
  ['keras', 'Conv2D', { filters: 0, kernelSize: 3 }, null, 'Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0.'],
  ['keras', 'Conv2D', { filters: 8, kernelSize: 3, dilationRate: 0 }, null, 'The `dilation_rate` argument must be a tuple of 2 integers. Received dilation_rate=0, including values {0} that do not satisfy `value > 0`'],
  ['keras', 'Conv2D', { filters: 8, kernelSize: 3, padding: 'full' }, null, "The `padding` argument must be a list/tuple or one of {'same', 'valid'}. Received: full"],
  ['keras', 'Dense', { units: [28, 28, 1] }, null, 'Received an invalid value for `units`, expected a positive integer. Received: units=(28, 28, 1)'],
  ['keras', 'Dense', { units: 2.5 }, null, 'Received an invalid value for `units`, expected a positive integer. Received: units=2.5'],
  ['keras', 'MaxPooling2D', { poolSize: 0 }, null, 'The `pool_size` argument must be a tuple of 2 integers. Received pool_size=0, including values {0} that do not satisfy `value > 0`'],
  ['keras', 'Dropout', { rate: 1.5 }, null, 'Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=1.5'],
  ['keras', 'DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 0 }, null, 'Invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received depth_multiplier=0.'],
  ['keras', 'Reshape', { targetShape: [5, 5] }, [28, 28, 1], 'The total size of the tensor must be unchanged. Received: input_shape=(28, 28, 1), target_shape=(5, 5)'],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: [3, 3], strides: [0, 0] }, null, 'non-positive stride is not supported'],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: [3, 3], dilationRate: [0, 0] }, null, 'dilation should be greater than zero, but got (0, 0)'],
  ['pytorch', 'MaxPooling2D', { poolSize: [2, 2], strides: [0, 0] }, null, 'stride should not be zero'],
  ['pytorch', 'ZeroPadding2D', { padding: [[-1, -1], [1, 1]] }, null, 'negative padding is not supported'],
  ['pytorch', 'Reshape', { targetShape: [7, -1, 5] }, [32, 32, 3], "shape '[1, 7, -1, 5]' is invalid for input of size 3072"],
  // What the frameworks accept stays accepted.
  ['keras', 'Conv2D', { filters: 8, kernelSize: [3, 3], strides: [2, 1], padding: 'same', dilationRate: 1 }, null, null],
  ['keras', 'ZeroPadding2D', { padding: [[-1, -1], [-1, -1]] }, null, null], // Keras 3 crops: (8, 8, 3) → (6, 6, 3)
  ['pytorch', 'Dense', { units: 0 }, null, null], // nn.Linear(10, 0) builds, with an empty output
  ['keras', 'Reshape', { targetShape: [-1, 7] }, [28, 28, 1], null],
  ['keras', 'Dropout', { rate: 0 }, null, null],
  ['keras', 'Dropout', { rate: 1 }, null, null],
  // Each framework spells the argument its own way: tfjs camelCase, Keras snake_case, PyTorch its names.
  ['tfjs', 'Conv2D', { filters: 8, kernelSize: 0 }, null, 'The `kernelSize` argument must be a tuple of 2 integers. Received kernelSize=0, including values {0} that do not satisfy `value > 0`'],
  ['tfjs', 'Conv2D', { filters: 8, kernelSize: 3, dilationRate: [0, -1] }, null, 'The `dilationRate` argument must be a tuple of 2 integers. Received dilationRate=(0, -1), including values {0, -1} that do not satisfy `value > 0`'],
  ['pytorch', 'Conv2D', { filters: 0, kernelSize: [3, 3] }, null, 'out_channels must be a positive integer, got out_channels=0'],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: [0, 3] }, null, 'kernel_size should be greater than zero, but got kernel_size=(0, 3)'],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: [3, 3], padding: 'full' }, null, "Invalid padding string 'full', should be one of {'valid', 'same'}"],
  ['pytorch', 'Dense', { units: -1 }, null, 'out_features must be a positive integer, got out_features=-1'],
  ['pytorch', 'Dropout', { rate: 1.5 }, null, 'dropout probability has to be between 0 and 1, but got 1.5'],
  ['pytorch', 'ZeroPadding2D', { padding: [[0, 0], [2, 2]] }, null, null],
  ['pytorch', 'AveragePooling2D', { poolSize: [0, 0] }, null, 'kernel_size should be greater than zero, but got kernel_size=(0, 0)'],
  ['keras', 'Conv2DTranspose', { filters: 4, kernelSize: 3, strides: -1 }, null, 'The `strides` argument must be a tuple of 2 integers. Received strides=-1, including values {-1} that do not satisfy `value > 0`'],
  ['keras', 'SeparableConv2D', { filters: 4, kernelSize: 3, depthMultiplier: 0 }, null, 'Invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received depth_multiplier=0.'],
  ['keras', 'SeparableConv2D', { filters: 4, kernelSize: 3, depthMultiplier: 2 }, null, null],
  ['keras', 'DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 1.5 }, null, 'Invalid value for argument `depth_multiplier`. Expected a positive integer. Received depth_multiplier=1.5.'],
  ['keras', 'AveragePooling2D', { poolSize: 2, strides: 0 }, null, 'The `strides` argument must be a tuple of 2 integers. Received strides=0, including values {0} that do not satisfy `value > 0`'],
  ['keras', 'MaxPooling2D', { poolSize: 2, padding: 'causal' }, null, "The `padding` argument must be a list/tuple or one of {'same', 'valid'}. Received: causal"],
  ['keras', 'Dense', { units: '10' }, null, "Received an invalid value for `units`, expected a positive integer. Received: units='10'"],
  ['keras', 'Dense', { units: [10] }, null, 'Received an invalid value for `units`, expected a positive integer. Received: units=(10,)'],
  ['keras', 'Dropout', { rate: -0.1 }, null, 'Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=-0.1'],
  ['keras', 'Dropout', { rate: 'half' }, null, "Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate='half'"],
  ['keras', 'SpatialDropout2D', { rate: 2 }, null, 'Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=2'],
  ['keras', 'Reshape', { targetShape: [0, 5] }, [28, 28, 1], 'Received an invalid target_shape=(0, 5): dimensions must be positive integers or -1'],
  ['keras', 'Reshape', { targetShape: [2.5, 5] }, [28, 28, 1], 'Received an invalid target_shape=(2.5, 5): dimensions must be positive integers or -1'],
  ['pytorch', 'Reshape', { targetShape: [0, 5] }, [3, 4, 5], 'invalid shape dimension in (0, 5)'],
  ['keras', 'Reshape', { targetShape: [-1, -1] }, [28, 28, 1], 'There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape=(-1, -1).'],
  ['pytorch', 'Reshape', { targetShape: [-1, -1] }, [3, 4, 5], 'only one dimension can be inferred'],
  // torch 2.13: nn.Conv2d(3, 8, 3, groups=2) → ValueError: in_channels must be divisible by groups; Conv2d(4, 6, 3,
  // groups=4) → out_channels must be divisible by groups; groups=0 → groups must be a positive integer.
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: 3, groups: 2 }, [32, 32, 3], 'in_channels must be divisible by groups'],
  ['pytorch', 'Conv2D', { filters: 6, kernelSize: 3, groups: 4 }, [32, 32, 4], 'out_channels must be divisible by groups'],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: 3, groups: 0 }, [32, 32, 4], 'groups must be a positive integer'],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: 3, groups: 2 }, [32, 32, 4], null],
  ['pytorch', 'Conv2D', { filters: 8, kernelSize: 3, groups: 2 }, null, null],
  // Keras 3.15: layers.Reshape((-1, -1)) on (32, 32, 3); the reader hands tfjs each -1 as null.
  ['keras', 'Reshape', { targetShape: [null, null] }, [32, 32, 3], 'There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape=(-1, -1).'],
  ['keras', 'Reshape', { targetShape: [-1, 5] }, [28, 28, 1], 'The total size of the tensor must be unchanged. Received: input_shape=(28, 28, 1), target_shape=(-1, 5)'],
  ['keras', 'Reshape', { targetShape: [784] }, [28, 28, 1], null],
  ['keras', 'Reshape', { targetShape: [5, 5] }, null, null], // the input is not known: nothing to compare with
  ['keras', 'Flatten', {}, [28, 28, 1], null],
];

describe('validateArgs throws what invalidReason says', () => {
  it('an InvalidArgumentError with the reason; nothing for valid arguments', () => {
    assert.throws(() => validateArgs(spec('Conv2D', { filters: 8, kernelSize: 3, strides: 0 }), 'pytorch'), { name: 'InvalidArgumentError', message: 'non-positive stride is not supported' });
    assert.throws(() => validateArgs(spec('Dense', { units: 0 })), /Received: units=0/);
    assert.doesNotThrow(() => validateArgs(spec('Dense', { units: 10 })));
    assert.doesNotThrow(() => validateArgs(spec('Reshape', { targetShape: [14, 56] }), 'keras', [28, 28, 1]));
  });
});

describe('validateArgs', () => {
  for (const [framework, type, args, input, expected] of CASES) {
    it(`${framework} ${type}(${JSON.stringify(args)})${input ? ` on ${input.join('×')}` : ''}: ${expected ?? 'accepted'}`, () => {
      assert.equal(invalidReason(spec(type, args), framework, input), expected);
    });
  }
});
