/**
 * `a and b` / `a or b` whose left side is unknown but whose right side settles the truth: Python gives `a` or
 * `b`, so the value stays unknown, but `X and False` is false and `X or True` is true either way. The DCGAN
 * tutorial's `if (device.type == 'cuda') and (ngpu > 1):` with ngpu = 1 does not run, whatever the device.
 */
import { field, type SyntaxNode } from '../syntax';
import { Unknown } from './values';

/** An unknown value whose truth is known. */
export class UnknownWithTruth extends Unknown {
  constructor(
    reason: string,
    readonly truth: boolean,
  ) {
    super(reason);
  }
}

/**
 * Node kinds whose evaluation calls nothing and records nothing: evaluating one the code might not have run
 * changes nothing. No calls, and no subscripts or arithmetic, which on a tensor would record a layer call.
 */
const PURE = new Set([
  'identifier', 'attribute', 'integer', 'float', 'string', 'true', 'false', 'none', 'comparison_operator',
  'boolean_operator', 'not_operator', 'parenthesized_expression', 'concatenated_string', 'string_content',
  'string_start', 'string_end', 'escape_sequence',
]);

/** Whether `node` can be evaluated without calling anything (no call, lambda, comprehension or walrus). */
export function callsNothing(node: SyntaxNode): boolean {
  if (!node.named) return true;
  if (!PURE.has(node.type) && node.type !== 'comment') return false;
  if (node.type === 'attribute') return callsNothing(field(node, 'object')!);
  return node.children.every(callsNothing);
}
