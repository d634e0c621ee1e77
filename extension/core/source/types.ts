/**
 * Public types of the source reader: what it finds in a file (models, diagnostics) and what building one
 * model gives (a ModelSpec for the engine plus the per-call records the editor needs).
 */
import type { Shape } from '../shape';
import type { BlockRef, Framework, ModelSpec, SourceLocation } from '../spec';
import type { SourceLanguage } from './syntax';

export type { SourceLanguage } from './syntax';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export type DiagnosticCode =
  | 'syntax' // the parser could not read part of the file
  | 'unsupported' // a construct or layer the reader does not translate; analysis goes on with unknown shapes
  | 'input-needed' // the model does not state its input shape
  | 'limit' // a cap on file size, loop iterations, call depth or work was hit
  | 'unknown' // a condition or loop the reader cannot evaluate decides what follows: never guessed, unknown from there
  | 'incomplete' // the report has unknown shapes or counts: names the first one (the CLI exits 1)
  | 'declared-size' // PyTorch in_channels / in_features / num_features disagree with the incoming tensor
  | 'collapse'
  | 'mismatch'
  | 'invalid'
  | 'internal'; // a bug of the reader: reported, never thrown at the editor or the CLI

/** A message about a range of the file. `source.line` is 1-based, columns 1-based (UTF-16 units). */
export interface SourceDiagnostic {
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  message: string;
  source: SourceLocation;
  /** The layer it concerns, when there is one. */
  layer?: string;
  /** The model it concerns, when it is about one model. */
  model?: string;
}

/** Where a model's input shape came from. */
export type InputOrigin = 'code' | 'example' | 'comment' | 'given';

/**
 * One constructor call's use: a PyTorch module call, a Keras/tfjs layer call. One call can become several
 * engine layers (PyTorch `Conv2d(padding=2)` is a ZeroPadding2D and a valid Conv2D); `output` is the engine
 * layer whose output is this call's output, `layers` all of them (their params and MACs add up to the call's).
 * A layer that makes no engine layer (nn.Identity, flatten of an already flat tensor) has `layers` empty and
 * `output` naming the tensor it passed through ("input" for the model input).
 */
export interface SourceCall {
  name: string;
  /** The class or function as written: "Conv2d", "layers.Conv2D", "F.relu", "+". */
  sourceType: string;
  layers: string[];
  output: string;
  source: SourceLocation;
  block: BlockRef | null;
  /** 1-based use count when the same module/layer object is called more than once. */
  use: number;
  /** The engine layer name of the first use when this call reuses a module with weights (shared weights). */
  sharesWeightsWith: string | null;
}

/** A size the code declares that must equal the incoming tensor's (PyTorch Linear in_features, ...). */
export interface DeclaredSize {
  layer: string;
  /** Which argument: "in_features", "in_channels", "num_features". */
  argument: string;
  value: number;
  /** Which axis of the incoming tensor it must match: the channel axis or the last axis (PyTorch order). */
  axis: 'channels' | 'last';
  source: SourceLocation;
  sourceType: string;
}

/** An expression that evaluated to a tensor: `x = self.layer1(x)`, `x = conv_block(x, 64)`; `output` names its producer. */
export interface ValueSite {
  source: SourceLocation;
  output: string;
}

/** A model's spec and the records that tie it to the source. */
export interface BuiltModel {
  spec: ModelSpec;
  calls: SourceCall[];
  declaredSizes: DeclaredSize[];
  /** Where tensors were computed (forward() lines, helper calls), in execution order. */
  sites: ValueSite[];
  inputOrigin: InputOrigin;
  /**
   * The batch size of the file's own example input (`model(torch.randn(8, 1, 28, 28))`, a
   * `# cnn-inspect: input=(8, …)` comment), so messages quote the shapes that run would see; null without one.
   */
  exampleBatch: number | null;
  /** Diagnostics produced while building this model (unsupported constructs met on the way). */
  diagnostics: SourceDiagnostic[];
}

/** Building needs an input shape the file does not give: the CLI asks for --input, VS Code asks the user. */
export interface InputNeeded {
  kind: 'input-needed';
  model: string;
  framework: Framework;
  message: string;
  /** Where to point the user (the model's definition). */
  source: SourceLocation;
  diagnostics?: SourceDiagnostic[];
}

export type BuildOutcome =
  | { kind: 'built'; model: BuiltModel }
  | InputNeeded
  | { kind: 'failed'; model: string; message: string; diagnostics: SourceDiagnostic[] };

/** A model found in a file. */
export interface FoundModel {
  name: string;
  framework: Framework;
  /** The definition: class, factory function or assignment; for CodeLens. */
  source: SourceLocation;
  /** How the model was found: a class with no required arguments, a factory function, a variable. */
  origin: 'class' | 'function' | 'variable';
  /** Module-level names that hold this model (`model = Net()`): `--model model` finds it too. */
  aliases?: readonly string[];
  /** True for the model the file's own example code builds or runs, else the one no other model uses. */
  isDefault: boolean;
  /** The input the file states (H, W, C), or null when it must be given. */
  input: Shape | null;
  inputOrigin: InputOrigin | null;
  /**
   * The ModelSpec for this model. `input` (H, W, C, channels-last, no batch) overrides the file's input; it is
   * required when `input` above is null. Cached: the same input returns the same object.
   */
  build(input?: Shape): BuildOutcome;
}

export interface ReadResult {
  language: SourceLanguage;
  models: FoundModel[];
  diagnostics: SourceDiagnostic[];
  /** The default model, also marked isDefault in `models`; null when the file has none. */
  defaultModel: FoundModel | null;
  /** Files read for its imports, named as `file` is (path or file: URI): a change to one calls for a new read. */
  importedFiles?: string[];
}

export interface ReadOptions {
  /** File path or URI string recorded in every SourceLocation. */
  file: string;
  language: SourceLanguage;
  /**
   * How imports of the user's own modules are followed (parsed, never run). Default: followed from disk when
   * `file` is an absolute path, within the project root found above it.
   */
  imports?: ImportOptions;
  /**
   * The inputs the caller will build the models at, by model name (Python). When every model the file defines
   * is given the same one, and nothing the file runs depends on the input, the file is read once, at that
   * input: the models, their outcomes at that input and the messages of those builds.
   */
  inputs?: ReadonlyMap<string, Shape>;
  /**
   * The one model the caller will build (cnn-inspect --model, Python): the file's other factories are not run and
   * its other models not built; those that declare themselves models are still listed. When the read lists no
   * model of that name, read again without it to list them all.
   */
  model?: string;
}

/** Following `from .blocks import Bottleneck` / `import { IMAGE_H } from './data'` into other files. */
export interface ImportOptions {
  /**
   * False: no other file is read (imports stay unknown names, as for a file that is not on disk). True: followed
   * even for a relative `file` (relative to the working directory). Default: followed for an absolute path or
   * a file: URI.
   */
  follow?: boolean;
  /**
   * The workspace (or repository) root: modules are looked for in the file's directory and its ancestors up to
   * here, never above. Default: the nearest ancestor holding .git, pyproject.toml, setup.py or package.json,
   * else the file's own directory.
   */
  root?: string;
  /** Texts of open documents with unsaved changes, by absolute path: read instead of the file on disk. */
  openDocuments?: Readonly<Record<string, string>>;
  /**
   * Where installed libraries' model code is looked for (torchvision.models, keras.applications, timm: see
   * libraryRoots.ts): site-packages directories given by the user, then, when `environment` is given, those it
   * names (PYTHONPATH, VIRTUAL_ENV, CONDA_PREFIX) and the project's and system's.
   */
  pythonPaths?: readonly string[];
  environment?: Readonly<Record<string, string | undefined>>;
}

/** Caps that keep a pathological file from freezing anything. */
export interface ReaderLimits {
  maxFileChars: number;
  /** Interpreter steps (statements + calls + loop iterations) per file read and per model build. */
  maxSteps: number;
  maxLoopIterations: number;
  maxCallDepth: number;
  maxLayers: number;
  /** Elements of one list, tuple or dict, or characters of one string, checked as the value grows. */
  maxValueSize: number;
  /** Imports followed: nesting (a imports b imports c …), files read and their characters, per read. */
  maxImportDepth: number;
  maxImportedFiles: number;
  maxImportedChars: number;
}

export const DEFAULT_LIMITS: ReaderLimits = {
  maxFileChars: 1_000_000,
  maxSteps: 400_000,
  maxLoopIterations: 10_000,
  maxCallDepth: 60,
  maxLayers: 20_000,
  maxValueSize: 100_000,
  maxImportDepth: 8,
  maxImportedFiles: 64,
  maxImportedChars: 4_000_000,
};
