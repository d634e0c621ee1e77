/** Command-line parsing for cnn-inspect: no dependencies, every mistake named. */
import { inputSizeDims } from '../core/inputSize';
import type { BackendPreference } from '../core/tfjs/loadTf';

export type OutputFormat = 'table' | 'json' | 'markdown';

export interface CliOptions {
  model: string | null;
  /** --model, to pick one model in a source file. */
  modelName: string | null;
  input: number[] | null;
  format: OutputFormat;
  flopsPerMac: 1 | 2;
  backend: BackendPreference;
  verbose: boolean;
  list: boolean;
  /** --python-path DIR (repeatable): site-packages directories where installed libraries' model code is read. */
  pythonPaths: string[];
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: cnn-inspect <model|file> [options]
       cnn-inspect --list
       cnn-inspect diff <A> <B> [--format table|markdown|json] [--fail-on params>+5%,macs>+10%]

Shows every layer's output shape, parameters, MACs/FLOPs and receptive field, the totals,
peak activation memory and the savings of 1×1 channel reductions. Nothing is run or downloaded.

  <model>                  a built-in model (see --list), e.g. resnet50
  <file>                   model code (Keras/PyTorch .py or .ipynb, TensorFlow.js .ts/.js) or a model
                           file (.keras, .h5, model.json, .onnx, .tflite, .pt/.pth)
  --model NAME             which model of the file (default: the one its example code builds)
  --input H,W,C            input size without the batch, e.g. 299,299,3 (PyTorch files: C,H,W);
                           784 is a vector, 2 sizes a sequence (PyTorch C,L; Keras steps,channels);
                           a volume (Conv3d) is C,D,H,W (Keras D,H,W,C), with the batch in front or not
  --format table|json|markdown   output format (default: table)
  --flops-per-mac 1|2      FLOPs counted per multiply-accumulate (default: 2)
  --backend auto|node|cpu  TensorFlow.js backend (default: auto: tfjs-node when installed)
  --list                   list the built-in models (with a file: the models it defines)
  --python-path DIR        where installed libraries are (a site-packages directory; repeatable): a file's
                           torchvision.models / keras.applications / timm models are read from their source
                           there (also CNN_INSPECT_PYTHONPATH, PYTHONPATH, the active venv or conda env)
  --verbose                say which backend ran and how long it took (on stderr)
  -h, --help               this help
  --version                the version`;

function valueOf(argv: readonly string[], i: number, flag: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    model: null,
    modelName: null,
    input: null,
    format: 'table',
    flopsPerMac: 2,
    backend: 'auto',
    verbose: false,
    list: false,
    pythonPaths: [],
    help: false,
    version: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = valueOf(argv, i, flag);
      i += 1;
      return v;
    };
    switch (flag) {
      case '--input':
        try {
          options.input = inputSizeDims(take());
        } catch (error) {
          throw new UsageError(`--input: ${(error as Error).message}`);
        }
        break;
      case '--format':
        options.format = oneOf(take(), ['table', 'json', 'markdown'] as const, '--format');
        break;
      case '--flops-per-mac':
        options.flopsPerMac = Number(oneOf(take(), ['1', '2'] as const, '--flops-per-mac')) as 1 | 2;
        break;
      case '--backend':
        options.backend = oneOf(take(), ['auto', 'node', 'cpu'] as const, '--backend');
        break;
      case '--model':
        options.modelName = take();
        break;
      case '--list':
        options.list = true;
        break;
      case '--python-path':
        options.pythonPaths.push(take());
        break;
      case '--verbose':
      case '-v':
        options.verbose = true;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--version':
        options.version = true;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        if (options.model !== null) throw new UsageError(`one model at a time: got "${options.model}" and "${arg}"`);
        options.model = arg;
    }
  }
  if (!options.model && !options.list && !options.help && !options.version) {
    throw new UsageError('name a model (e.g. cnn-inspect resnet50) or use --list');
  }
  return options;
}
