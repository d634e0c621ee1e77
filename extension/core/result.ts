import type { Shape } from './shape';
import type { Framework, SourceLocation } from './spec';

/** What one layer does. Shapes exclude the batch dimension; `null` means unknown, never guessed. */
export interface LayerResult {
  index: number;
  name: string;
  type: string;
  block: string | null;
  /** Producers of this layer's inputs, by name ("input" for the model input): the edges of the DAG. */
  inputs: string[];
  inputShapes: (Shape | null)[];
  outputShape: Shape | null;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
  activationElements: number | null;
  activationBytes: number | null;
  /** Kernel, stride, dilation and padding for convolution and pooling layers; null for the rest. */
  kernel: [number, number] | null;
  strides: [number, number] | null;
  dilation: [number, number] | null;
  padding: string | null;
  /** Groups of a grouped convolution (ResNeXt); absent for every other layer. */
  groups?: number;
  /** Receptive field in input pixels and effective stride (jump); null once the output is not spatial. */
  receptiveField: number | null;
  jump: number | null;
  source: SourceLocation | null;
  /** Set when this layer could not be analysed; its output shape is then unknown. */
  error: LayerIssue | null;
  /**
   * Counts that are unknown (the layer could not be built, or its shapes are unknown): the number fields
   * above then hold 0 so sums stay sums, and every output shows them as unknown (JSON: null).
   */
  unknown?: UnknownCounts;
  /** Exact decimal integers, present when a count passes 2^53 and the number field above is rounded. */
  exact?: ExactCounts;
  /** A registered PyTorch module forward() never calls: its parameters count (model.parameters()), nothing else. */
  notCalled?: boolean;
  /** PyTorch models read from code: the class as PyTorch names it (`Conv2d`); `type` is the engine's class. */
  frameworkType?: string;
}

/** Which counts of a layer are unknown. */
export interface UnknownCounts {
  params?: true;
  macs?: true;
  /** How its parameters split into trainable and frozen (the count itself is known). */
  trainable?: true;
}

/** Counts as exact decimal integer strings (a number field beside them holds the nearest double). */
export interface ExactCounts {
  params?: string;
  macs?: string;
  flops?: string;
  activationBytes?: string;
}

/** A problem with the user's model at one layer (not a bug of ours). */
export interface LayerIssue {
  layer: string;
  /** "collapse" (a spatial size fell to zero), "mismatch" (inputs disagree), "unsupported", "invalid". */
  kind: 'collapse' | 'mismatch' | 'unsupported' | 'invalid' | 'unknown-input';
  message: string;
  source: SourceLocation | null;
}

export interface BlockResult {
  name: string;
  type: string;
  layers: number;
  macs: number;
  params: number;
  /** MACs saved by 1×1 reductions inside the block (naive − actual), 0 when there are none. */
  savedMacs: number;
  /** MACs saved by 1×n + n×1 factorisations inside the block (naive − actual), 0 when there are none. */
  factorisationSavedMacs: number;
}

/** A k×k convolution fed by a 1×1 convolution that reduces channels. */
export interface OneByOneSaving {
  layer: string;
  reducer: string;
  block: string | null;
  /** The k×k convolution applied directly to the 1×1's input. */
  naiveMacs: number;
  /** The 1×1 plus the k×k as built. */
  actualMacs: number;
  /** naiveMacs / actualMacs. */
  savings: number;
}

/** A 1×n convolution followed by an n×1 (or the reverse): the n×n window, factorised (see factorisation.ts). */
export interface FactorisationSaving {
  /** The second convolution of the pair. */
  layer: string;
  /** The first convolution of the pair. */
  first: string;
  block: string | null;
  /** The n×n window the pair covers. */
  kernel: [number, number];
  /** One n×n convolution from the first's input channels to the second's output channels. */
  naiveMacs: number;
  /** The two convolutions as built. */
  actualMacs: number;
  /** naiveMacs / actualMacs. */
  savings: number;
}

export interface Totals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  macs: number;
  flops: number;
  paramBytes: number;
  activationBytes: number;
  peakActivationBytes: number;
  /** Exact decimal integers for the totals that pass 2^53. */
  exact?: ExactCounts;
  /** True when some layer's params or MACs are unknown: the totals are then lower bounds ("at least"). */
  lowerBound?: true;
  /** Why the trainable / non-trainable split is unknown (the code's freezing was not read); both are then 0. */
  trainableUnknown?: { message: string; source: SourceLocation };
}

export interface AnalysisReport {
  model: string;
  framework: Framework;
  backend: string;
  /** Model input with the batch dimension first: [null, H, W, C]. */
  input: (number | null)[];
  flopsPerMac: 1 | 2;
  layers: LayerResult[];
  blocks: BlockResult[];
  oneByOne: OneByOneSaving[];
  oneByOneTotals: { naiveMacs: number; actualMacs: number; savings: number } | null;
  /** Set by summarize(); absent from reports made without layer analysis (a file's parameters only). */
  factorisations?: FactorisationSaving[];
  factorisationTotals?: { naiveMacs: number; actualMacs: number; savings: number } | null;
  totals: Totals;
  /** Every layer issue, in layer order; empty for a clean model. */
  issues: LayerIssue[];
  /** False when a layer failed and some shapes downstream are unknown. */
  complete: boolean;
  /** The model's named outputs (a PyTorch forward() returning a dict), each with its shape; absent when unnamed. */
  outputs?: { name: string; layer: string; outputShape: Shape | null }[];
}

/** Streamed while a model is analysed: a start, one event per layer, then the finished report. */
export type AnalysisEvent =
  | { kind: 'start'; model: string; backend: string; input: (number | null)[]; layerCount: number; flopsPerMac: 1 | 2 }
  | { kind: 'layer'; layer: LayerResult }
  | { kind: 'done'; report: AnalysisReport };
