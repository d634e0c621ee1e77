import { SpecBuilder, INPUT, type ModelSpec } from '../spec';

/**
 * ResNet-18/34/50/101/152 (He et al. 2015, Table 1) in torchvision's convention ("ResNet v1.5"): convolutions
 * without bias (batch norm follows each), the stride of a downsampling bottleneck on its 3×3 convolution,
 * projection shortcuts (1×1 conv + BN) where the shape changes, identity shortcuts elsewhere.
 * Layer names follow the original Caffe/Keras release: conv1, res2a_branch2a, bn2a_branch2a, res2a_branch1, …
 */
type BlockKind = 'basic' | 'bottleneck';

const DEPTHS: Record<string, { kind: BlockKind; blocks: readonly [number, number, number, number] }> = {
  resnet18: { kind: 'basic', blocks: [2, 2, 2, 2] },
  resnet34: { kind: 'basic', blocks: [3, 4, 6, 3] },
  resnet50: { kind: 'bottleneck', blocks: [3, 4, 6, 3] },
  resnet101: { kind: 'bottleneck', blocks: [3, 4, 23, 3] },
  resnet152: { kind: 'bottleneck', blocks: [3, 8, 36, 3] },
};

export type ResNetName = keyof typeof DEPTHS;
export const RESNET_NAMES = Object.keys(DEPTHS);

/** Caffe's block suffixes: a, b, c, … for short stages; a, b1, b2, … for the long stages of ResNet-101/152. */
function blockSuffix(index: number, count: number): string {
  if (count <= 6) return String.fromCharCode(97 + index);
  return index === 0 ? 'a' : `b${index}`;
}

function convBn(m: SpecBuilder, id: string, x: string, filters: number, kernel: number, strides: number, relu: boolean, groups = 1): string {
  const grouped = groups === 1 ? {} : { groups };
  let y = m.add('Conv2D', `res${id}`, { filters, kernelSize: kernel, strides, padding: 'same', useBias: false, ...grouped }, x);
  y = m.add('BatchNormalization', `bn${id}`, { epsilon: 1e-5 }, y);
  return relu ? m.add('Activation', `res${id}_relu`, { activation: 'relu' }, y) : y;
}

export function resnet(name: ResNetName, input: readonly number[] = [224, 224, 3]): ModelSpec {
  const depth = DEPTHS[name];
  if (!depth) throw new Error(`no ResNet named ${name}`);
  return residualNetwork(name, input, `ResNet-${name.slice(6)}: ${depth.kind} residual blocks (He et al. 2015), torchvision convention`, depth.kind, depth.blocks);
}

/**
 * The ResNet skeleton shared with ResNeXt (./resnext.ts): torchvision's bottleneck width is
 * ⌊planes · widthPerGroup / 64⌋ · groups, and its 3×3 convolution has `groups` groups.
 */
export function residualNetwork(
  name: string,
  input: readonly number[],
  description: string,
  kind: BlockKind,
  blocks: readonly [number, number, number, number],
  groups = 1,
  widthPerGroup = 64,
): ModelSpec {
  const depth = { kind, blocks };
  const expansion = depth.kind === 'bottleneck' ? 4 : 1;
  const m = new SpecBuilder(name, input, description);

  let x = m.block('stem', 'stem', () => {
    let y = m.add('Conv2D', 'conv1', { filters: 64, kernelSize: 7, strides: 2, padding: 'same', useBias: false }, INPUT);
    y = m.add('BatchNormalization', 'bn_conv1', { epsilon: 1e-5 }, y);
    y = m.add('Activation', 'conv1_relu', { activation: 'relu' }, y);
    return m.add('MaxPooling2D', 'pool1', { poolSize: 3, strides: 2, padding: 'same' }, y);
  });
  let channels = 64;

  depth.blocks.forEach((count, s) => {
    const stage = s + 2;
    const planes = 64 * 2 ** s;
    for (let b = 0; b < count; b++) {
      const id = `${stage}${blockSuffix(b, count)}`;
      const strides = b === 0 && stage > 2 ? 2 : 1;
      const out = planes * expansion;
      const width = Math.floor((planes * widthPerGroup) / 64) * groups;
      x = m.block(`res${id}`, depth.kind === 'bottleneck' ? 'bottleneck' : 'residual', () => {
        let y: string;
        if (depth.kind === 'bottleneck') {
          y = convBn(m, `${id}_branch2a`, x, width, 1, 1, true);
          y = convBn(m, `${id}_branch2b`, y, width, 3, strides, true, groups);
          y = convBn(m, `${id}_branch2c`, y, out, 1, 1, false);
        } else {
          y = convBn(m, `${id}_branch2a`, x, planes, 3, strides, true);
          y = convBn(m, `${id}_branch2b`, y, out, 3, 1, false);
        }
        const shortcut = strides !== 1 || channels !== out ? convBn(m, `${id}_branch1`, x, out, 1, strides, false) : x;
        const sum = m.add('Add', `res${id}`, {}, [y, shortcut]);
        return m.add('Activation', `res${id}_out`, { activation: 'relu' }, sum);
      });
      channels = out;
    }
  });

  m.block('classifier', 'classifier', () => {
    x = m.add('GlobalAveragePooling2D', 'avg_pool', {}, x);
    x = m.add('Dense', 'fc1000', { units: 1000, activation: 'softmax' }, x);
  });
  return m.build();
}
