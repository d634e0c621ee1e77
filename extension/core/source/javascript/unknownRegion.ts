/**
 * JavaScript's side of the rule in ../unknownRegion.ts (code the reader cannot tell will run takes no
 * branch): the names a JavaScript region reads and assigns, found in its syntax.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { TensorRef } from '../trace';
import { locate } from '../common';
import { markRegionUnknown, type RegionHost } from '../unknownRegion';
import type { JsInterpreter } from './interpreter';
import { isTensor, JsUnknown, Return, type JsScope, type JsValue } from './values';

export function skipUnknownJsRegion(it: JsInterpreter, bodies: readonly SyntaxNode[], scope: JsScope, node: SyntaxNode, label: string, why: string): void {
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
  const host: RegionHost<JsValue> = {
    lookup: (name) => {
      const found = scope.lookup(name);
      return found.found ? { value: found.value } : undefined;
    },
    isTensor: (v): v is JsValue & TensorRef => isTensor(v),
    unknown: (reason) => new JsUnknown(reason),
    bind: (name, value) => scope.set(name, value),
    layerName: (base) => base,
  };
  const out = markRegionUnknown(host, { read, assigned }, label, locate(node, it.file), why);
  if (returns) throw new Return(out);
}
