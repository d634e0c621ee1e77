/**
 * Which names a file imports by name are its own models (keras-applications' `resnet.py` is
 * `from .resnet_common import ResNet50` and nothing else) rather than helpers it uses (torchvision's
 * `resnet.py` imports the `ImageClassification` transform for its weights enums): a name in the file's
 * `__all__` when it has one; else a name the file does not use beyond the import, i.e. a pure re-export.
 */
import type { PythonInterpreter } from './interpreter';
import type { SyntaxNode } from '../syntax';
import { PyList, PyTuple } from './values';

/** The node of a definition that an import statement made (see imports.ts), not a `def` or `class`. */
export function isImportedDefinition(node: SyntaxNode): boolean {
  return node.type === 'dotted_name' || node.type === 'aliased_import';
}

export function isReexportedModel(it: PythonInterpreter, name: string): boolean {
  const all = it.state.globals.vars.get('__all__');
  const listed = all instanceof PyList || all instanceof PyTuple ? all.items : null;
  if (listed && listed.every((n) => typeof n === 'string')) return listed.includes(name);
  // A Python name is [A-Za-z_][A-Za-z0-9_]*: nothing in it needs escaping.
  const uses = it.source.text.match(new RegExp(`(?<![\\w.])${name}(?!\\w)`, 'g'))?.length ?? 0;
  return uses <= 1;
}
