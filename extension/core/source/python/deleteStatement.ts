/**
 * `del target`, as Python runs it on the values the reader holds: a list item or slice, a dict key, a registered
 * module (`del model.fc`, `del model.classifier[-1]`: nn.Sequential and nn.ModuleList renumber what is left, as
 * PyTorch's __delitem__ does), a name. What it cannot delete exactly is unknown from there (a container with an
 * index the reader cannot evaluate), never left as it was.
 */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import type { PythonInterpreter } from './interpreter';
import { Unsupported, type Scope } from './scope';
import { isIndexedModule, registered } from './moduleItems';
import { isModuleLike, keyOf, LayerObj, PyDict, PyList, PyObj, TorchContainer, Unknown, type Value } from './values';

export function execDelete(it: PythonInterpreter, stmt: SyntaxNode, scope: Scope): void {
  for (const target of namedChildren(stmt).flatMap((n) => (n.type === 'expression_list' ? namedChildren(n) : [n]))) deleteTarget(it, target, scope);
}

function deleteTarget(it: PythonInterpreter, target: SyntaxNode, scope: Scope): void {
  if (target.type === 'identifier') {
    scope.vars.delete(it.text(target));
    return;
  }
  if (target.type === 'attribute') {
    const obj = it.eval(field(target, 'object')!, scope);
    const name = it.text(field(target, 'attribute')!);
    if (obj instanceof PyObj) obj.attrs.delete(name);
    else if (obj instanceof LayerObj) throw new Unsupported(`del ${it.text(target)}: deleting an attribute of a ${obj.cls} is not read`);
    return;
  }
  if (target.type !== 'subscript') throw new Unsupported(`del of ${target.type} is not read`);
  const obj = it.eval(field(target, 'value')!, scope);
  const sub = field(target, 'subscript')!;
  if (sub.type === 'slice') {
    if (obj instanceof PyList || obj instanceof TorchContainer || isIndexedModule(obj)) markUnknown(obj, `del ${it.text(target)}: a slice is not read`);
    throw new Unsupported(`del ${it.text(target)}: deleting a slice is not read`);
  }
  const index = it.eval(sub, scope);
  if (obj instanceof PyList) {
    const i = typeof index === 'number' ? (index < 0 ? obj.items.length + index : index) : -1;
    if (!Number.isInteger(i) || i < 0 || i >= obj.items.length) throw new Unsupported(`del ${it.text(target)}: list index out of range (IndexError)`);
    obj.items.splice(i, 1);
  } else if (obj instanceof PyDict) {
    const key = keyOf(index);
    if (key === undefined || !obj.map.has(key)) throw new Unsupported(`del ${it.text(target)}: a key the dict does not hold (KeyError)`);
    obj.map.delete(key);
  } else if (obj instanceof TorchContainer || isIndexedModule(obj)) {
    deleteModule(obj, index, it.text(target));
  } else if (!(obj instanceof Unknown)) {
    throw new Unsupported(`del ${it.text(target)} is not read`);
  }
}

function markUnknown(obj: Value, why: string): void {
  if (obj instanceof TorchContainer) obj.unlisted ??= why;
}

/** PyTorch's Sequential / ModuleList __delitem__ (renumbered after), ModuleDict's by key. */
function deleteModule(obj: TorchContainer | PyObj, index: Value, text: string): void {
  const modules = registered(obj);
  const keys = [...modules.keys()];
  let key: string | undefined;
  if (obj instanceof TorchContainer && obj.kind === 'ModuleDict') key = typeof index === 'string' && modules.has(index) ? index : undefined;
  else if (typeof index === 'number' && Number.isInteger(index)) key = keys[index < 0 ? keys.length + index : index];
  if (key === undefined) {
    markUnknown(obj, `del ${text}: an index the reader could not evaluate`);
    throw new Unsupported(`del ${text}: index out of range or not evaluated (PyTorch raises IndexError or KeyError)`);
  }
  if (obj instanceof TorchContainer) {
    obj.children.delete(key);
    if (obj.kind !== 'ModuleDict') {
      const rest = [...obj.children.values()];
      obj.children.clear();
      rest.forEach((v, i) => obj.children.set(String(i), v));
    }
  } else {
    obj.attrs.delete(key);
    const rest = [...obj.attrs].filter(([, v]) => isModuleLike(v));
    for (const [k] of rest) obj.attrs.delete(k);
    rest.forEach(([, v], i) => obj.attrs.set(String(i), v));
  }
}
