import { SpecBuilder, INPUT, type ModelSpec } from '../spec';
import { convNormAct } from './convNormAct';

/**
 * Inception v3 (Szegedy et al. 2016, "Rethinking the Inception Architecture", Table 1) as torchvision builds it
 * for inference, at 299×299: every convolution a bias-free BasicConv2d (conv → batch norm, eps 0.001 → ReLU),
 * the 17×17 modules with 7×7 convolutions factorised into 1×7 and 7×1 (§3.2), the 8×8 modules with
 * expanded 1×3 / 3×1 filter banks, no auxiliary classifier (inference does not run it; torchvision's
 * 27,161,264 parameters include its 3,326,696). Layer names follow torchvision (Mixed_6b.branch7x7_2.conv).
 */
type Kernel = number | readonly [number, number];

function basic(m: SpecBuilder, name: string, x: string, filters: number, kernel: Kernel, strides = 1, padding: 'same' | 'valid' = 'same'): string {
  return convNormAct(m, name, x, filters, { kernel, strides, padding, activation: 'relu', epsilon: 0.001, naming: 'basic' });
}

function avgPoolBranch(m: SpecBuilder, p: string, x: string, filters: number): string {
  const pool = m.add('AveragePooling2D', `${p}.avg_pool`, { poolSize: 3, strides: 1, padding: 'same' }, x);
  return basic(m, `${p}.branch_pool`, pool, filters, 1);
}

/** 35×35: 1×1, 1×1 → 5×5, 1×1 → 3×3 → 3×3, pool → 1×1. */
function inceptionA(m: SpecBuilder, p: string, x: string, poolFeatures: number): string {
  const b1 = basic(m, `${p}.branch1x1`, x, 64, 1);
  const b5 = basic(m, `${p}.branch5x5_2`, basic(m, `${p}.branch5x5_1`, x, 48, 1), 64, 5);
  let b3 = basic(m, `${p}.branch3x3dbl_1`, x, 64, 1);
  b3 = basic(m, `${p}.branch3x3dbl_3`, basic(m, `${p}.branch3x3dbl_2`, b3, 96, 3), 96, 3);
  const bp = avgPoolBranch(m, p, x, poolFeatures);
  return m.add('Concatenate', `${p}.cat`, { axis: -1 }, [b1, b5, b3, bp]);
}

/** 35×35 → 17×17: 3×3/2, 1×1 → 3×3 → 3×3/2, max pool 3×3/2. */
function inceptionB(m: SpecBuilder, p: string, x: string): string {
  const b3 = basic(m, `${p}.branch3x3`, x, 384, 3, 2, 'valid');
  let bd = basic(m, `${p}.branch3x3dbl_1`, x, 64, 1);
  bd = basic(m, `${p}.branch3x3dbl_3`, basic(m, `${p}.branch3x3dbl_2`, bd, 96, 3), 96, 3, 2, 'valid');
  const bp = m.add('MaxPooling2D', `${p}.max_pool`, { poolSize: 3, strides: 2 }, x);
  return m.add('Concatenate', `${p}.cat`, { axis: -1 }, [b3, bd, bp]);
}

/** 17×17 with 7×7 factorised: 1×1, 1×1 → 1×7 → 7×1, 1×1 → 7×1 → 1×7 → 7×1 → 1×7, pool → 1×1. */
function inceptionC(m: SpecBuilder, p: string, x: string, c7: number): string {
  const b1 = basic(m, `${p}.branch1x1`, x, 192, 1);
  let b7 = basic(m, `${p}.branch7x7_1`, x, c7, 1);
  b7 = basic(m, `${p}.branch7x7_3`, basic(m, `${p}.branch7x7_2`, b7, c7, [1, 7]), 192, [7, 1]);
  let bd = basic(m, `${p}.branch7x7dbl_1`, x, c7, 1);
  bd = basic(m, `${p}.branch7x7dbl_2`, bd, c7, [7, 1]);
  bd = basic(m, `${p}.branch7x7dbl_3`, bd, c7, [1, 7]);
  bd = basic(m, `${p}.branch7x7dbl_4`, bd, c7, [7, 1]);
  bd = basic(m, `${p}.branch7x7dbl_5`, bd, 192, [1, 7]);
  const bp = avgPoolBranch(m, p, x, 192);
  return m.add('Concatenate', `${p}.cat`, { axis: -1 }, [b1, b7, bd, bp]);
}

/** 17×17 → 8×8: 1×1 → 3×3/2, 1×1 → 1×7 → 7×1 → 3×3/2, max pool 3×3/2. */
function inceptionD(m: SpecBuilder, p: string, x: string): string {
  const b3 = basic(m, `${p}.branch3x3_2`, basic(m, `${p}.branch3x3_1`, x, 192, 1), 320, 3, 2, 'valid');
  let b7 = basic(m, `${p}.branch7x7x3_1`, x, 192, 1);
  b7 = basic(m, `${p}.branch7x7x3_2`, b7, 192, [1, 7]);
  b7 = basic(m, `${p}.branch7x7x3_3`, b7, 192, [7, 1]);
  b7 = basic(m, `${p}.branch7x7x3_4`, b7, 192, 3, 2, 'valid');
  const bp = m.add('MaxPooling2D', `${p}.max_pool`, { poolSize: 3, strides: 2 }, x);
  return m.add('Concatenate', `${p}.cat`, { axis: -1 }, [b3, b7, bp]);
}

/** 8×8: 1×1, 1×1 → (1×3 ‖ 3×1), 1×1 → 3×3 → (1×3 ‖ 3×1), pool → 1×1. */
function inceptionE(m: SpecBuilder, p: string, x: string): string {
  const b1 = basic(m, `${p}.branch1x1`, x, 320, 1);
  const s3 = basic(m, `${p}.branch3x3_1`, x, 384, 1);
  const b3 = m.add('Concatenate', `${p}.branch3x3_cat`, { axis: -1 }, [
    basic(m, `${p}.branch3x3_2a`, s3, 384, [1, 3]),
    basic(m, `${p}.branch3x3_2b`, s3, 384, [3, 1]),
  ]);
  const sd = basic(m, `${p}.branch3x3dbl_2`, basic(m, `${p}.branch3x3dbl_1`, x, 448, 1), 384, 3);
  const bd = m.add('Concatenate', `${p}.branch3x3dbl_cat`, { axis: -1 }, [
    basic(m, `${p}.branch3x3dbl_3a`, sd, 384, [1, 3]),
    basic(m, `${p}.branch3x3dbl_3b`, sd, 384, [3, 1]),
  ]);
  const bp = avgPoolBranch(m, p, x, 192);
  return m.add('Concatenate', `${p}.cat`, { axis: -1 }, [b1, b3, bd, bp]);
}

export function inceptionV3(input: readonly number[] = [299, 299, 3]): ModelSpec {
  const m = new SpecBuilder('inception_v3', input, 'Inception v3: factorised 7×7 and 3×3 convolutions (Szegedy et al. 2016), torchvision, no aux head');
  let x = m.block('stem', 'stem', () => {
    let y = basic(m, 'Conv2d_1a_3x3', INPUT, 32, 3, 2, 'valid');
    y = basic(m, 'Conv2d_2a_3x3', y, 32, 3, 1, 'valid');
    y = basic(m, 'Conv2d_2b_3x3', y, 64, 3);
    y = m.add('MaxPooling2D', 'maxpool1', { poolSize: 3, strides: 2 }, y);
    y = basic(m, 'Conv2d_3b_1x1', y, 80, 1);
    y = basic(m, 'Conv2d_4a_3x3', y, 192, 3, 1, 'valid');
    return m.add('MaxPooling2D', 'maxpool2', { poolSize: 3, strides: 2 }, y);
  });
  const module = (name: string, body: (y: string) => string) => {
    x = m.block(name, 'inception', () => body(x));
  };
  module('Mixed_5b', (y) => inceptionA(m, 'Mixed_5b', y, 32));
  module('Mixed_5c', (y) => inceptionA(m, 'Mixed_5c', y, 64));
  module('Mixed_5d', (y) => inceptionA(m, 'Mixed_5d', y, 64));
  module('Mixed_6a', (y) => inceptionB(m, 'Mixed_6a', y));
  module('Mixed_6b', (y) => inceptionC(m, 'Mixed_6b', y, 128));
  module('Mixed_6c', (y) => inceptionC(m, 'Mixed_6c', y, 160));
  module('Mixed_6d', (y) => inceptionC(m, 'Mixed_6d', y, 160));
  module('Mixed_6e', (y) => inceptionC(m, 'Mixed_6e', y, 192));
  module('Mixed_7a', (y) => inceptionD(m, 'Mixed_7a', y));
  module('Mixed_7b', (y) => inceptionE(m, 'Mixed_7b', y));
  module('Mixed_7c', (y) => inceptionE(m, 'Mixed_7c', y));
  m.block('classifier', 'classifier', () => {
    x = m.add('GlobalAveragePooling2D', 'avgpool', {}, x);
    x = m.add('Dropout', 'dropout', { rate: 0.5 }, x);
    x = m.add('Dense', 'fc', { units: 1000 }, x);
  });
  return m.build();
}
