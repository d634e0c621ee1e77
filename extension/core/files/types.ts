/** What reading a model file gives: a graph for the engine, or (checkpoints) parameters without a graph. */
import type { ModelSpec } from '../spec';
import type { FileDiagnostic } from './diagnostics';
import type { Shape } from '../shape';

export type ModelFileFormat = 'keras' | 'keras-h5' | 'tfjs' | 'onnx' | 'tflite' | 'pytorch' | 'torchscript';

/** One module's (or operator's) parameter tensors, from a file that has no graph the engine can build. */
export interface ParameterGroup {
  /** The module path ("layer1.0.conv1") or operator name. */
  name: string;
  /** `frozen`: a parameter the file records as not training (requires_grad False). */
  tensors: { name: string; shape: number[]; dtype: string; buffer: boolean; frozen?: boolean }[];
}

/** Parameters and their shapes only: a state dict, a TorchScript archive. */
export interface ParameterModel {
  name: string;
  framework: ModelSpec['framework'];
  groups: ParameterGroup[];
  /** Why the file has no graph, when it is not a checkpoint's reason (a subclassed Keras model). */
  why?: string;
  /** Why the file cannot tell which parameters train (a .keras weights file names its variables 0, 1, 2…). */
  trainableUnknown?: string;
}

export interface ModelFile {
  file: string;
  format: ModelFileFormat;
  /** The graph, ready for analyzeModel; null when the file has no graph CNN Inspector reads. */
  spec: ModelSpec | null;
  /** Parameters without a graph; null when `spec` is set. */
  parameters: ParameterModel | null;
  diagnostics: FileDiagnostic[];
  /** Output shapes the file itself states (batch first, the framework's order), checked after analysis. */
  statedShapes?: { layer: string; shape: (number | null)[] }[];
  /** Weight elements the file holds for a layer (ONNX, TFLite), checked against the engine's count. */
  statedParams?: { layer: string; params: number }[];
}

export interface ReadFileOptions {
  /**
   * The input to analyse at instead of the file's own (required when the file leaves H or W open), in the
   * framework's order without the batch: H, W, C for Keras and tfjs, C, H, W for ONNX.
   */
  input?: Shape;
  /** The same in the engine's order (H, W, C) whatever the format: what the VS Code panel's input field gives. */
  engineInput?: Shape;
}
