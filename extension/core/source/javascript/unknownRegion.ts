/**
 * JavaScript's counterpart of python/unknownRegion.ts, with the same semantics: code the reader cannot tell
 * will run takes no branch; the tensors it reads or assigns go through one Unknown layer, other variables it
 * assigns become unknown, and a `return` inside it makes the function's result unknown.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { UNKNOWN_LAYER, type TensorRef } from '../trace';
import { locate, shortText } from '../common';
import type { JsInterpreter } from './interpreter';
import { isTensor, JsUnknown, Return, type JsScope, type JsValue } from './values';

export function skipUnknownJsRegion(it: JsInterpreter, bodies: readonly SyntaxNode[], scope: JsScope, node: SyntaxNode, why: string): void {
  const assigned = new Set<string>();
  const read = new Set<string>();
  let returns = false;
  const stack = [...bodies];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'function_declaration' || n.type === 'arrow_function' || n.type === 'function_expression') continue;
    if (n.type === 'return_statement') returns = true;
    if (n.type === 'identifier') read.add(it.text(n));
    const target = n.type === 'assignment_expression' || n.type === 'augmented_assignment_expression' ? field(n, 'left') : n.type === 'variable_declarator' ? field(n, 'name') : n.type === 'update_expression' ? namedChildren(n)[0] : null;
    if (target?.type === 'identifier') assigned.add(it.text(target));
    for (const c of n.children) stack.push(c);
  }
  const tensors: TensorRef[] = [];
  for (const name of new Set([...read, ...assigned])) {
    const v = scope.lookup(name).value;
    if (isTensor(v) && !tensors.includes(v)) tensors.push(v);
  }
  const trace = tensors[0]?.trace;
  const inputs = tensors.filter((t) => t.trace === trace);
  let out: JsValue = new JsUnknown(why);
  if (trace && inputs.length > 0) {
    const loc = locate(node, it.file);
    out = trace.emit({ name: trace.uniqueName(`unknown_${loc.line}`), sourceType: `if ${shortText(it.text(node))}`, source: loc }, { parts: [{ type: UNKNOWN_LAYER, args: { reason: why }, merge: inputs.length > 1 }] }, inputs);
  }
  for (const name of assigned) {
    const current = scope.lookup(name);
    scope.set(name, isTensor(out) && (!current.found || isTensor(current.value)) ? out : new JsUnknown(why));
  }
  if (returns) throw new Return(out);
}
