/** Names shared by the Python and TypeScript readers: Keras's automatic layer names and helper-block types. */
import { textOf, type ParsedSource, type SyntaxNode } from './syntax';

/** Keras's automatic layer name base: Conv2D → conv2d, BatchNormalization → batch_normalization. */
export function kerasSnake(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The block type of a helper function that takes a tensor (conv_block, inception_module, ...), from its name or body. */
export function blockType(name: string, node: SyntaxNode, source: ParsedSource): string {
  const n = name.toLowerCase();
  if (n.includes('incep') || n.includes('mixed')) return 'inception';
  if (n.includes('bottleneck')) return 'bottleneck';
  if (n.includes('identity') || n.includes('residual') || n.includes('res') || n.includes('basicblock')) return 'residual';
  const body = textOf(source, node);
  if (/torch\.cat|concatenate|Concatenate/.test(body)) return 'inception';
  if (/\+=|\badd\(|Add\(\)|\+ *(identity|shortcut|residual|x\b)/.test(body)) return 'residual';
  return n;
}
