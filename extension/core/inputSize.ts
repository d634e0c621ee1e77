/**
 * The one input-size parser, for every place a user types a size (the CLI's --input, the panel's field, VS
 * Code's prompt, the default-size setting), in the framework's own order: PyTorch C,H,W (or N,C,H,W), Keras
 * and TensorFlow.js H,W,C (or N,H,W,C): `224, 224, 3` typed for a PyTorch model is C=224, H=224, W=3, read
 * as written, never reordered by guessing. Sizes are returned in the engine's order (H, W, C, no batch).
 * Inputs that are not images are given without the batch: one size is a vector of features (PyTorch
 * `(N, 784)`, Keras `(None, 784)`), two are a sequence in the framework's order (PyTorch C,L; Keras steps,channels).
 *
 *   parseInputSize('3,224,224', 'pytorch')     → [224, 224, 3]
 *   parseInputSize('(1, 224, 224, 3)', 'keras') → [224, 224, 3]
 *   parseInputSize('299x299', 'keras', 3)      → [299, 299, 3]   (height × width keeps the given channels)
 */
import type { Framework } from './spec';

/** What order a framework's users write an image size in, for messages. */
export function inputOrder(framework: Framework): string {
  return framework === 'pytorch' ? 'C,H,W (or N,C,H,W; features; C,L)' : 'H,W,C (or N,H,W,C; features; steps,channels)';
}

/** Sizes (framework order, with or without the batch) → engine H, W, C; throws a RangeError naming the problem. */
export function inputFromDims(framework: Framework, dims: readonly number[], channels: number | null = null, text = dims.join(',')): number[] {
  if (dims.some((d) => !Number.isInteger(d) || d <= 0)) throw new RangeError(`"${text}" is not an input size: every size must be a positive whole number`);
  if (dims.length === 1) return [dims[0]!];
  if (dims.length === 2) {
    // Height × width of an image whose channels are known; else a sequence, which the engine holds as the
    // framework writes it (PyTorch keeps (C, L) channels-first, as its Linear and Flatten read it).
    return channels === null ? [dims[0]!, dims[1]!] : [dims[0]!, dims[1]!, channels];
  }
  if (dims.length !== 3 && dims.length !== 4) throw new RangeError(`"${text}" is not an input size: give 1 to 3 sizes without the batch, or a batch and an image: ${inputOrder(framework)}`);
  const d = dims.length === 4 ? dims.slice(1) : [...dims];
  return framework === 'pytorch' ? [d[1]!, d[2]!, d[0]!] : [d[0]!, d[1]!, d[2]!];
}

/** Parses "3,224,224", "224x224x3", "(1, 3, 224, 224)", "[1, 28, 28, 1]" or "299x299" (with `channels`). */
export function parseInputSize(text: string, framework: Framework, channels: number | null = null): number[] {
  const inner = text.trim().replace(/^[([]\s*/, '').replace(/\s*[)\]]$/, '');
  const parts = inner.split(/\s*[,x×]\s*|\s+/i).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) {
    throw new RangeError(`"${text}" is not an input size: expected ${inputOrder(framework)} such as ${framework === 'pytorch' ? '3,224,224' : '224,224,3'}`);
  }
  return inputFromDims(framework, parts.map(Number), channels, text);
}
