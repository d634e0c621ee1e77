/**
 * The data loading around a tutorial's model, read only for the one fact it fixes: the input the training loop
 * feeds the model. torchvision's datasets have known images (MNIST 1×28×28, CIFAR-10 3×32×32), their
 * transforms change the size in known ways, and a DataLoader batches them: iterating the loader gives one batch
 * (N, C, H, W) as a dummy tensor, so `for x, y in loader: model(x)` is the file's example run. Anything the
 * reader cannot follow (an unknown dataset or transform, no ToTensor, a batch size it cannot evaluate) gives no
 * batch: the loop is skipped as before, never fed a guessed size. argparse's defaults (`args.batch_size`) are
 * read the same way, as the values the script runs with when given no arguments.
 */
import type { SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { exampleTensor } from './shapes';
import { Builtin, isSeq, PyClass, PyList, PyObj, PyTuple, Unknown, type Value } from './values';

/** torchvision.datasets classes whose every image has one size, as (channels, height, width) after ToTensor. */
const DATASET_IMAGES: Record<string, [number, number, number]> = {
  MNIST: [1, 28, 28],
  FashionMNIST: [1, 28, 28],
  KMNIST: [1, 28, 28],
  QMNIST: [1, 28, 28],
  CIFAR10: [3, 32, 32],
  CIFAR100: [3, 32, 32],
  SVHN: [3, 32, 32],
  STL10: [3, 96, 96],
};

/**
 * ImageFolder's default loader opens every file as RGB (torchvision's pil_loader: `img.convert("RGB")`): three
 * channels, of sizes only the files know until a crop or a two-number Resize fixes them.
 */
const FOLDER_DATASETS: Record<string, [number, null, null]> = { ImageFolder: [3, null, null] };

/** An image on its way through the transforms: a PIL image or a tensor, (C, H, W); null where the files decide. */
interface Image {
  tensor: boolean;
  chw: [number, number | null, number | null];
}
type Step = (image: Image) => Image | string;

/** Transform objects the reader understands (a Builtin each, so they are ordinary values). */
const STEPS = new WeakMap<Builtin, Step>();
/** The image a dataset yields (null when the reader cannot tell), by the dataset value. */
const DATASETS = new WeakMap<PyObj, Image | string>();

/**
 * A DataLoader: a list of one batch (x, y), which is all a loop over it needs; its length is not known. Code
 * the reader cannot see never changes what it yields (every iteration starts over), so it is never tainted.
 */
export class BatchLoader extends PyList {
  constructor(items: Value[]) {
    super(items);
    Object.defineProperty(this, 'tainted', { get: () => false, set: () => undefined });
  }
}

function size(v: Value | undefined): [number, number] | null {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return [v, v];
  if (isSeq(v ?? null)) {
    const items = (v as PyList).items;
    if (items.length === 2 && items.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) return [items[0] as number, items[1] as number];
    if (items.length === 1 && typeof items[0] === 'number') return size(items[0]);
  }
  return null;
}

function step(name: string, fn: Step): Builtin {
  const b = new Builtin(name, () => new Unknown(`${name}(…) applied outside a dataset`));
  STEPS.set(b, fn);
  return b;
}

const keep: Step = (image) => image;

function transform(last: string, args: Value[], kwargs: Map<string, Value>): Value {
  const arg = (name: string, i: number): Value | undefined => kwargs.get(name) ?? args[i];
  switch (last) {
    case 'ToTensor':
      return step(last, (image) => (image.tensor ? 'ToTensor() of a tensor' : { ...image, tensor: true }));
    case 'Normalize':
    case 'RandomErasing':
      return step(last, (image) => (image.tensor ? image : `${last}() before ToTensor()`));
    case 'RandomHorizontalFlip':
    case 'RandomVerticalFlip':
    case 'ColorJitter':
    case 'RandomGrayscale':
    case 'AutoAugment':
    case 'RandAugment':
    case 'TrivialAugmentWide':
      return step(last, keep);
    case 'RandomCrop':
    case 'CenterCrop':
    case 'RandomResizedCrop': {
      const hw = size(arg('size', 0));
      // RandomCrop's padding and pad_if_needed pad before cropping: the crop size is the output either way.
      return hw ? step(last, (image) => ({ ...image, chw: [image.chw[0], hw[0], hw[1]] })) : new Unknown(`${last} of a size the reader could not evaluate`);
    }
    case 'Resize': {
      const s = arg('size', 0);
      const hw = size(s);
      if (!hw) return new Unknown('Resize of a size the reader could not evaluate');
      // Resize(n) scales the shorter side to n: n×n only for a square image.
      const edge = typeof s === 'number';
      return step(last, (image) =>
        edge && (image.chw[1] === null || image.chw[2] === null)
          ? { ...image, chw: [image.chw[0], null, null] }
          : edge && image.chw[1] !== image.chw[2]
            ? 'Resize(n) of a non-square image'
            : { ...image, chw: [image.chw[0], hw[0], hw[1]] },
      );
    }
    case 'Grayscale': {
      const given = arg('num_output_channels', 0) ?? 1;
      if (typeof given !== 'number' || (given !== 1 && given !== 3)) return new Unknown('Grayscale channels');
      const c: number = given;
      return step(last, (image) => ({ ...image, chw: [c, image.chw[1], image.chw[2]] }));
    }
    case 'Compose': {
      const list = args[0] ?? kwargs.get('transforms');
      const steps = isSeq(list ?? null) ? (list as PyList).items.map((t) => (t instanceof Builtin ? STEPS.get(t) : undefined)) : null;
      if (!steps || steps.some((s) => s === undefined)) return new Unknown('Compose of transforms the reader cannot follow');
      return step(last, (image) => {
        let x: Image | string = image;
        for (const s of steps) if (typeof x !== 'string') x = s!(x);
        return x;
      });
    }
    default:
      return new Unknown(`transforms.${last}`);
  }
}

function dataset(it: PythonInterpreter, last: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value {
  const folder = FOLDER_DATASETS[last];
  const chw = DATASET_IMAGES[last] ?? folder;
  if (!chw) return new Unknown(`datasets.${last}`);
  const obj = new PyObj(new PyClass(last, node, [], new Map(), 'plain'));
  // (root, train, transform, ...) for MNIST and CIFAR; SVHN and STL10 take split second, transform third too;
  // ImageFolder(root, transform, ...).
  const t = kwargs.get('transform') ?? (folder ? args[1] : args[2]);
  let image: Image | string;
  if (t === undefined || t === null) image = 'a dataset without a transform gives PIL images, which a DataLoader cannot batch';
  else if (t instanceof Builtin && STEPS.has(t)) {
    const out = STEPS.get(t)!({ tensor: false, chw });
    image = typeof out === 'string' ? out : !out.tensor ? 'the transform does not end in a tensor (no ToTensor())' : out.chw[1] === null || out.chw[2] === null ? "the images' size is the files' own (no crop or two-number Resize fixes it)" : out;
  } else image = 'a transform the reader cannot follow';
  DATASETS.set(obj, image);
  void it;
  return obj;
}

function dataLoader(it: PythonInterpreter, args: Value[], kwargs: Map<string, Value>): Value {
  const ds = kwargs.get('dataset') ?? args[0];
  const image = ds instanceof PyObj ? DATASETS.get(ds) : undefined;
  const batch = kwargs.has('batch_size') ? kwargs.get('batch_size') : (args[1] ?? 1);
  if (image === undefined || typeof image === 'string') return new Unknown(`a DataLoader over ${typeof image === 'string' ? image : 'a dataset the reader cannot follow'}`);
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch < 1) return new Unknown('a DataLoader whose batch size the reader cannot evaluate');
  const [c, h, w] = image.chw;
  if (h === null || w === null) return new Unknown("a DataLoader over images whose size is the files' own");
  const x = exampleTensor(it, [batch, c, h, w], 'pytorch');
  return new BatchLoader([new PyTuple([x, new Unknown('the labels of a batch')])]);
}

/** argparse.ArgumentParser(): add_argument records each option's default; parse_args() gives them as attributes. */
function argumentParser(node: SyntaxNode): Value {
  const parser = new PyObj(new PyClass('ArgumentParser', node, [], new Map(), 'plain'));
  const defaults = new Map<string, Value>();
  parser.attrs.set('add_argument', new Builtin('add_argument', (args, kwargs) => {
    const flags = args.filter((a): a is string => typeof a === 'string');
    const long = flags.find((f) => f.startsWith('--')) ?? flags[0];
    const dest = typeof kwargs.get('dest') === 'string' ? (kwargs.get('dest') as string) : long?.replace(/^-+/, '').replace(/-/g, '_');
    if (!dest) return null;
    const action = kwargs.get('action');
    const value = kwargs.has('default') ? kwargs.get('default')! : action === 'store_true' ? false : action === 'store_false' ? true : null;
    // A required option or a positional argument has no value without a command line.
    const required = kwargs.get('required') === true || !flags.some((f) => f.startsWith('-'));
    defaults.set(dest, required ? new Unknown(`the command-line argument ${long}`) : value);
    return null;
  }));
  parser.attrs.set('parse_args', new Builtin('parse_args', (args) => {
    if (args.length > 0) return new Unknown('parse_args() of given arguments');
    const ns = new PyObj(new PyClass('Namespace', node, [], new Map(), 'plain'));
    for (const [k, v] of defaults) ns.attrs.set(k, v);
    return ns;
  }));
  for (const name of ['add_argument_group', 'add_mutually_exclusive_group', 'parse_known_args', 'set_defaults', 'add_subparsers']) {
    parser.attrs.set(name, new Builtin(name, () => new Unknown(`ArgumentParser.${name}()`)));
  }
  return parser;
}

/** torchvision datasets and transforms, torch.utils.data.DataLoader, argparse; undefined for any other path. */
export function callDataLoading(it: PythonInterpreter, path: string, args: Value[], kwargs: Map<string, Value>, node: SyntaxNode): Value | undefined {
  if (path === 'argparse.ArgumentParser') return argumentParser(node);
  if (!path.startsWith('torch')) return undefined;
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (/^torchvision\.transforms(\.transforms)?\.[A-Z]\w*$/.test(path)) return transform(last, args, kwargs);
  if (/^torchvision\.datasets(\.\w+)*\.[A-Z]\w*$/.test(path)) return dataset(it, last, args, kwargs, node);
  if (path === 'torch.utils.data.DataLoader' || path === 'torch.utils.data.dataloader.DataLoader') return dataLoader(it, args, kwargs);
  return undefined;
}
