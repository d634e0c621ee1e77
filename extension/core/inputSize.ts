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
 *   readInputSize('299', 'pytorch', [224, 224, 3]) → { ok: true, input: [299, 299, 3] }  (a side, the model's channels)
 */
import { isChannelsFirst, type Framework } from './spec';

/** What order a framework's users write an image size in, for messages. */
export function inputOrder(framework: Framework): string {
  return isChannelsFirst(framework) ? 'C,H,W (or N,C,H,W; features; C,L)' : 'H,W,C (or N,H,W,C; features; steps,channels)';
}

/** An example of a size in the framework's order, for messages and placeholders. */
export function inputExample(framework: Framework): string {
  return isChannelsFirst(framework) ? '3,224,224' : '224,224,3';
}

/**
 * The sizes as typed, in the order typed: "3,224,224", "224x224x3", "224 × 224", "(1, 3, 224, 224)", "(784,)".
 * Throws a RangeError naming the first part that is not a size.
 */
export function inputSizeDims(text: string, framework: Framework | null = null): number[] {
  const trimmed = text.trim();
  // Before the model is known (the CLI's arguments) the hint gives both orders.
  const hint = framework === null ? 'give H,W,C, e.g. 224,224,3 (PyTorch: C,H,W, e.g. 3,224,224)' : `give ${inputOrder(framework)}, e.g. ${inputExample(framework)}`;
  if (trimmed === '') throw new RangeError(`Enter an input size: ${hint}`);
  // Brackets and a Python one-tuple's trailing comma are how sizes are written in code: (1, 3, 32, 32), (784,).
  const inner = trimmed.replace(/^[([]\s*/, '').replace(/\s*[)\]]$/, '').replace(/\s*,$/, '');
  const parts = inner.split(/\s*[,x×*]\s*|\s+/i);
  const empty = parts.findIndex((p) => p === '');
  if (empty >= 0) throw new RangeError(`"${trimmed}" is not an input size (a size is missing): ${hint}`);
  const bad = parts.find((p) => !/^\d+$/.test(p));
  if (bad !== undefined) throw new RangeError(`"${bad}" is not a whole number: ${hint}`);
  const dims = parts.map(Number);
  if (dims.some((d) => d <= 0)) throw new RangeError(`"${trimmed}" is not an input size: every size must be a positive whole number (at least 1)`);
  return dims;
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
  return isChannelsFirst(framework) ? [d[1]!, d[2]!, d[0]!] : [d[0]!, d[1]!, d[2]!];
}

/** Parses "3,224,224", "224x224x3", "(1, 3, 224, 224)", "[1, 28, 28, 1]" or "299x299" (with `channels`). */
export function parseInputSize(text: string, framework: Framework, channels: number | null = null): number[] {
  return inputFromDims(framework, inputSizeDims(text, framework), channels, text.trim());
}

export type ReadInputSize = { ok: true; input: number[] } | { ok: false; error: string };

/**
 * A size typed for a model whose input is known (`model`, engine order: the panel's field, the default-size
 * setting, the prompt when the code states an input): for an image, one size is the side of a square and two
 * are height × width, both keeping the model's channels; three (or four, with the batch) are in the
 * framework's order. A vector or sequence model takes sizes of its own rank, a volume four. Never throws:
 * the error is the message to show next to the field.
 */
export function readInputSize(text: string, framework: Framework, model: readonly number[] | null): ReadInputSize {
  try {
    const dims = inputSizeDims(text, framework);
    const trimmed = text.trim();
    if (model !== null && (model.length === 1 || model.length === 2)) {
      // The batch may be written: (N, 784) is a batch of 784 features.
      const own = dims.length === model.length + 1 ? dims.slice(1) : dims;
      if (own.length !== model.length) {
        const what = model.length === 1 ? 'dimension (features)' : `dimensions (${isChannelsFirst(framework) ? 'C,L' : 'steps,channels'})`;
        return { ok: false, error: `This model's input has ${model.length} ${what}; "${trimmed}" has ${dims.length}.` };
      }
      return { ok: true, input: [...own] };
    }
    if (model === null) return { ok: true, input: inputFromDims(framework, dims, null, trimmed) };
    if (model.length === 4) {
      // A volume (video): PyTorch C,D,H,W, Keras D,H,W,C, with or without the batch.
      const own = dims.length === 5 ? dims.slice(1) : dims;
      if (own.length !== 4) return { ok: false, error: `This model's input is a volume of 4 sizes (${isChannelsFirst(framework) ? 'C×D×H×W' : 'D×H×W×C'}); "${trimmed}" has ${dims.length}.` };
      return { ok: true, input: isChannelsFirst(framework) ? [own[1]!, own[2]!, own[3]!, own[0]!] : [...own] };
    }
    const channels = model[model.length - 1] ?? 3;
    let input: number[];
    if (dims.length === 1) input = [dims[0]!, dims[0]!, channels];
    else if (dims.length === 2) input = [dims[0]!, dims[1]!, channels];
    else if (dims.length === 3 || dims.length === 4) input = inputFromDims(framework, dims, null, trimmed);
    else return { ok: false, error: `An image input has 3 sizes (${isChannelsFirst(framework) ? 'C×H×W' : 'H×W×C'}), or 4 with the batch; "${trimmed}" has ${dims.length}.` };
    return { ok: true, input };
  } catch (error) {
    return { ok: false, error: `${(error as Error).message}.`.replace(/\.\.$/, '.') };
  }
}

/** An input (engine order) as the field shows it, in the framework's order: "3×224×224" for PyTorch. */
export function formatInputSize(input: readonly number[], framework: Framework): string {
  const channelsFirst = isChannelsFirst(framework) && (input.length === 3 || input.length === 4);
  const ordered = channelsFirst ? [input[input.length - 1]!, ...input.slice(0, -1)] : [...input];
  return ordered.join('×');
}
