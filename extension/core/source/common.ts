/** Helpers shared by the Python and JavaScript readers. */
import type { Shape } from '../shape';
import type { Framework, SourceLocation } from '../spec';
import type { SyntaxNode } from './syntax';
import type { LimitError } from './trace';
import type { BuildOutcome, SourceDiagnostic } from './types';

/** SourceLocation of a node: 1-based line and column; a node of an imported file is located in that file. */
export function locate(node: SyntaxNode, file: string): SourceLocation {
  return { file: node.origin?.file ?? file, line: node.startRow + 1, column: node.startCol + 1, endLine: node.endRow + 1, endColumn: node.endCol + 1 };
}

/**
 * An example input's dims in the framework's order → engine (H, W, C). PyTorch: (N, C, H, W) or (C, H, W);
 * Keras / tfjs: (N, H, W, C) or (H, W, C); (N, features) for either → (features). Null otherwise.
 */
export function inputFromFrameworkShape(framework: Framework, dims: readonly number[]): Shape | null {
  // Five dimensions are a batch of volumes (video): PyTorch (N, C, D, H, W), Keras (None, D, H, W, C).
  if (dims.length === 5) {
    const v = dims.slice(1);
    if (!v.every((x) => Number.isInteger(x) && x > 0)) return null;
    return framework === 'pytorch' ? [v[1]!, v[2]!, v[3]!, v[0]!] : v;
  }
  // A batch of feature vectors: PyTorch (N, 784), Keras (None, 784).
  if (dims.length === 2) return Number.isInteger(dims[1]) && dims[1]! > 0 ? [dims[1]!] : null;
  if (dims.length !== 3 && dims.length !== 4) return null;
  const d = dims.length === 4 ? dims.slice(1) : [...dims];
  if (!d.every((x) => Number.isInteger(x) && x > 0)) return null;
  return framework === 'pytorch' ? [d[1]!, d[2]!, d[0]!] : d;
}

/**
 * One sample of the data a Keras / TF.js model is fed (`model.fit(x_train)`, `model(x)`): Keras and TF.js read
 * axis 0 of whatever they are given as the batch, so MNIST's (60000, 28, 28) is 60000 samples of (28, 28), never
 * one 60000×28×28 image. Null when a size is not a positive whole number or the sample has no axis.
 */
export function sampleOfBatchFirst(dims: readonly number[]): Shape | null {
  const sample = dims.slice(1);
  return sample.length >= 1 && sample.length <= 4 && sample.every((d) => Number.isInteger(d) && d > 0) ? sample : null;
}

/** The batch of a 4-D example input or input comment (batch first), else null: the first one given wins. */
export function exampleBatchOf(example: readonly number[] | null, comment: CommentInput | null): number | null {
  for (const dims of [example, comment?.dims ?? null]) {
    if (dims && dims.length === 4 && Number.isInteger(dims[0]) && dims[0]! > 0) return dims[0]!;
  }
  return null;
}

export interface CommentInput {
  /** 0-based row of the comment. */
  line: number;
  dims: number[];
  /** True when the comment is not inside or right above a definition (decided by the caller). */
  fileWide: boolean;
}

const COMMENT = /(?:#|\/\/)\s*cnn-inspect\s*:\s*input\s*=\s*[([]?\s*([0-9][0-9,\sx×]*)[)\]]?/gi;

/** `# cnn-inspect: input=(1, 3, 224, 224)` (or `// cnn-inspect: input=[1, 28, 28, 1]` in JS) comments. */
export function commentInputs(text: string): CommentInput[] {
  const out: CommentInput[] = [];
  COMMENT.lastIndex = 0;
  for (let m = COMMENT.exec(text); m; m = COMMENT.exec(text)) {
    const dims = m[1]!.split(/[\s,x×]+/).filter((s) => s !== '').map(Number);
    const line = text.slice(0, m.index).split('\n').length - 1;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    // A comment at column 0 outside any indented block applies to the whole file unless it sits on a definition.
    out.push({ line, dims, fileWide: m.index === lineStart });
  }
  return out;
}

/** The comment input for a definition: one inside it or on the line just above it, else a file-wide one. */
export function commentFor(comments: readonly CommentInput[], node: SyntaxNode): CommentInput | null {
  const near = comments.find((c) => c.line >= node.startRow - 1 && c.line <= node.endRow);
  return near ?? comments.find((c) => c.fileWide) ?? null;
}

/** What makes two diagnostics the same: code, message and place. */
export function diagnosticKey(d: SourceDiagnostic): string {
  return `${d.code}|${d.message}|${d.source.file}|${d.source.line}|${d.source.column}`;
}

/** A cap that stopped reading, as a warning at its place (or the file's start). */
export function limitDiagnostic(error: LimitError, file: string): SourceDiagnostic {
  return { severity: 'warning', code: 'limit', message: error.message, source: error.source ?? { file, line: 1, column: 1 } };
}

/** `FoundModel.build`: one outcome per input shape, built on first request. */
export function cachedBuild(make: (input: Shape | null) => BuildOutcome): (input?: Shape) => BuildOutcome {
  const cache = new Map<string, BuildOutcome>();
  return (input) => {
    const key = input ? input.join(',') : '';
    let outcome = cache.get(key);
    if (!outcome) {
      outcome = make(input ?? null);
      cache.set(key, outcome);
    }
    return outcome;
  };
}

/** A node's source on one line, cut to 60 characters: how unsupported code is named in messages. */
export function shortText(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/**
 * A model the file defines at its own input but not when read again at `input`: says why with the read's own
 * message about the model's code (its definition's lines), preferring an input of another rank than the
 * code's, the likeliest cause wherever the code states its input.
 */
export function missingAtInput(model: string, input: Shape | null, diagnostics: readonly SourceDiagnostic[], file: string, node: SyntaxNode): BuildOutcome {
  const within = (line: number): boolean => line >= node.startRow + 1 && line <= node.endRow + 1;
  const mine = diagnostics.filter((d) => d.source.file === file && within(d.source.line));
  const givenInput = (d: SourceDiagnostic): boolean => d.source.file === file && /^the given input/.test(d.message);
  const why = mine.find(givenInput) ?? diagnostics.find(givenInput) ?? mine.find((d) => d.severity !== 'info') ?? mine[0];
  const reason = why ? `: ${why.message} (line ${why.source.line})` : '';
  return { kind: 'failed', model, message: `${model} is not found when the file is read at ${input ? input.join('×') : 'no input'}${reason}`, diagnostics: [] };
}
