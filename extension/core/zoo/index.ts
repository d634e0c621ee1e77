/** The built-in model zoo: one registry, one file per network. */
import type { ModelSpec } from '../spec';
import { InputShapeError, UnknownModelError } from '../errors';
import { lenet5 } from './lenet5';
import { alexnet } from './alexnet';
import { vgg16 } from './vgg16';
import { resnet } from './resnet';
import { googlenet } from './googlenet';
import { squeezenet1_1 } from './squeezenet';
import { mobilenetV2 } from './mobilenetv2';
import { resnext50_32x4d } from './resnext';
import { densenet121 } from './densenet';
import { inceptionV3 } from './inceptionv3';
import { efficientnetB0 } from './efficientnet';

export interface ZooEntry {
  name: string;
  title: string;
  defaultInput: readonly [number, number, number];
  build: (input?: readonly number[]) => ModelSpec;
}

export const ZOO: readonly ZooEntry[] = [
  { name: 'lenet5', title: 'LeNet-5', defaultInput: [32, 32, 1], build: lenet5 },
  { name: 'alexnet', title: 'AlexNet', defaultInput: [227, 227, 3], build: alexnet },
  { name: 'vgg16', title: 'VGG16', defaultInput: [224, 224, 3], build: vgg16 },
  { name: 'resnet18', title: 'ResNet-18', defaultInput: [224, 224, 3], build: (i) => resnet('resnet18', i) },
  { name: 'resnet34', title: 'ResNet-34', defaultInput: [224, 224, 3], build: (i) => resnet('resnet34', i) },
  { name: 'resnet50', title: 'ResNet-50', defaultInput: [224, 224, 3], build: (i) => resnet('resnet50', i) },
  { name: 'resnet101', title: 'ResNet-101', defaultInput: [224, 224, 3], build: (i) => resnet('resnet101', i) },
  { name: 'resnet152', title: 'ResNet-152', defaultInput: [224, 224, 3], build: (i) => resnet('resnet152', i) },
  { name: 'googlenet', title: 'GoogLeNet (Inception v1)', defaultInput: [224, 224, 3], build: googlenet },
  { name: 'squeezenet1_1', title: 'SqueezeNet 1.1', defaultInput: [224, 224, 3], build: squeezenet1_1 },
  { name: 'mobilenet_v2', title: 'MobileNetV2', defaultInput: [224, 224, 3], build: mobilenetV2 },
  { name: 'resnext50_32x4d', title: 'ResNeXt-50 32×4d', defaultInput: [224, 224, 3], build: resnext50_32x4d },
  { name: 'densenet121', title: 'DenseNet-121', defaultInput: [224, 224, 3], build: densenet121 },
  { name: 'inception_v3', title: 'Inception v3', defaultInput: [299, 299, 3], build: inceptionV3 },
  { name: 'efficientnet_b0', title: 'EfficientNet-B0', defaultInput: [224, 224, 3], build: efficientnetB0 },
];

/** Lower case without "-", "_", spaces or "×": "ResNeXt-50 32x4d" and "resnext50_32x4d" meet. */
const normalized = (name: string): string => name.toLowerCase().replace(/[-_ ]/g, '').replace(/×/g, 'x');

export function zooNames(): string[] {
  return ZOO.map((e) => e.name);
}

/** The zoo entry for a name (case-insensitive, "-", "_" and spaces ignored: "ResNet-50" finds resnet50, "MobileNetV2" mobilenet_v2). */
export function findZooEntry(name: string): ZooEntry {
  const key = normalized(name);
  const entry = ZOO.find((e) => normalized(e.name) === key) ?? (key === 'inceptionv1' ? ZOO.find((e) => e.name === 'googlenet') : undefined);
  if (!entry) throw new UnknownModelError(name, zooNames());
  return entry;
}

export function zooModel(name: string, input?: readonly number[]): ModelSpec {
  const entry = findZooEntry(name);
  // The built-in models are image classifiers: a vector or sequence input is not one of their inputs.
  if (input !== undefined && input.length !== entry.defaultInput.length) {
    throw new InputShapeError(`${entry.name}: the input must be H,W,C with positive whole numbers, got ${input.join('×')}`);
  }
  return entry.build(input ?? entry.defaultInput);
}
