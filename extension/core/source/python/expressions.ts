/** Evaluation of Python expressions: literals, names, containers, comprehensions, operators, calls. */
import { callsNothing, UnknownWithTruth } from './knownTruth';
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import { shortText } from '../common';
import type { PythonInterpreter } from './interpreter';
import { Scope, Unsupported } from './scope';
import { formatSpec, tensorTruthReason } from './conversions';
import { isTensor, keyOf, numeric, PyDict, pyFloat, PyList, pyNumber, PyTuple, Unknown, type Value } from './values';
import { lookupBuiltin } from './builtins';
import { evalCall } from './calls';
import { compare, subscript } from './operators';

const DECIMAL = /^[0-9]+$/;

export function evaluate(it: PythonInterpreter, node: SyntaxNode, scope: Scope): Value {
  it.tick(node);
  switch (node.type) {
    case 'identifier': {
      const name = it.text(node);
      const v = scope.lookup(name);
      if (v !== undefined) return v;
      const b = lookupBuiltin(it, name);
      if (b !== undefined) return b;
      return new Unknown(`"${name}" is not defined in this file`);
    }
    case 'integer': {
      const written = it.text(node);
      // Plain decimal digits (nearly every literal): no underscores, prefix or suffix to take off first.
      if (DECIMAL.test(written)) return parseInt(written, 10);
      const t = written.replace(/_/g, '').toLowerCase();
      if (t.endsWith('j')) return new Unknown('complex');
      return t.startsWith('0x') || t.startsWith('0o') || t.startsWith('0b') ? Number(t) : parseInt(t, 10);
    }
    case 'float': {
      const t = it.text(node).replace(/_/g, '');
      return t.endsWith('j') ? new Unknown('complex') : pyFloat(parseFloat(t));
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'ellipsis':
      return new Unknown('...');
    case 'string':
      return evalString(it, node, scope);
    case 'concatenated_string': {
      const parts = namedChildren(node).map((c) => evalString(it, c, scope));
      return parts.every((p) => typeof p === 'string') ? parts.join('') : new Unknown('string');
    }
    case 'parenthesized_expression': {
      const inner = namedChildren(node)[0];
      return inner ? it.eval(inner, scope) : new PyTuple([]);
    }
    case 'list':
    case 'set': {
      const items = evalItems(it, namedChildren(node), scope);
      return items instanceof Unknown ? items : new PyList(items);
    }
    case 'tuple':
    case 'expression_list': {
      const items = evalItems(it, namedChildren(node), scope);
      return items instanceof Unknown ? items : new PyTuple(items);
    }
    case 'dictionary': {
      const d = new PyDict();
      for (const pair of namedChildren(node)) {
        if (pair.type === 'pair') {
          const k = keyOf(it.eval(field(pair, 'key')!, scope));
          if (k !== undefined) d.map.set(k, it.eval(field(pair, 'value')!, scope));
        } else if (pair.type === 'dictionary_splat') {
          const other = it.eval(namedChildren(pair)[0]!, scope);
          if (other instanceof PyDict) for (const [k, v] of other.map) d.map.set(k, v);
        }
      }
      return d;
    }
    case 'list_comprehension':
    case 'generator_expression':
    case 'set_comprehension':
      return new PyList(comprehension(it, node, scope, (s) => [it.eval(field(node, 'body')!, s)]));
    case 'dictionary_comprehension': {
      const d = new PyDict();
      const body = field(node, 'body')!;
      comprehension(it, node, scope, (s) => {
        const k = keyOf(it.eval(field(body, 'key')!, s));
        if (k !== undefined) d.map.set(k, it.eval(field(body, 'value')!, s));
        return [];
      });
      return d;
    }
    case 'binary_operator': {
      const op = it.text(field(node, 'operator')!);
      return it.binary(op, it.eval(field(node, 'left')!, scope), it.eval(field(node, 'right')!, scope), node);
    }
    case 'unary_operator': {
      const v = it.eval(field(node, 'argument')!, scope);
      const op = it.text(field(node, 'operator')!);
      const n = numeric(v);
      if (n) {
        if (op === '~') return n.float ? new Unknown('~ on a float') : ~n.value;
        return pyNumber(op === '-' ? -n.value : n.value, n.float);
      }
      if (isTensor(v)) return v;
      return new Unknown('unary operator');
    }
    case 'not_operator': {
      const v = it.eval(field(node, 'argument')!, scope);
      const t = it.truthy(v);
      return t === null ? new Unknown(tensorTruthReason(v) ?? 'not') : !t;
    }
    case 'boolean_operator': {
      const op = it.text(field(node, 'operator')!);
      const left = it.eval(field(node, 'left')!, scope);
      const t = it.truthy(left);
      if (t === null) {
        const why = tensorTruthReason(left) ?? 'boolean';
        const rightNode = field(node, 'right')!;
        // `unknown and False` is false, `unknown or True` true: the right side decides the truth, not the value.
        if (callsNothing(rightNode)) {
          const r = it.truthy(it.eval(rightNode, scope));
          if ((op === 'and' && r === false) || (op === 'or' && r === true)) return new UnknownWithTruth(why, r);
        }
        return new Unknown(why);
      }
      if (op === 'and') return t ? it.eval(field(node, 'right')!, scope) : left;
      return t ? left : it.eval(field(node, 'right')!, scope);
    }
    case 'comparison_operator':
      return compare(it, node, scope);
    case 'conditional_expression': {
      const [a, cond, b] = namedChildren(node);
      const c = it.eval(cond!, scope);
      const t = it.truthy(c);
      if (t === null) return new Unknown(`condition \`${shortText(it.text(cond!))}\` is unknown${c instanceof Unknown ? ` (${c.reason})` : tensorTruthReason(c) ? ` (${tensorTruthReason(c)})` : ''}`);
      return t ? it.eval(a!, scope) : it.eval(b!, scope);
    }
    case 'attribute': {
      const obj = it.eval(field(node, 'object')!, scope);
      return it.getAttr(obj, it.text(field(node, 'attribute')!), node);
    }
    case 'subscript':
      return subscript(it, node, scope);
    case 'call':
      return evalCall(it, node, scope);
    case 'lambda':
      return it.makeFunction(node, scope, null);
    case 'keyword_argument':
    case 'list_splat':
    case 'dictionary_splat':
      throw new Unsupported(`${node.type} outside a call`);
    case 'named_expression': {
      const v = it.eval(field(node, 'value')!, scope);
      it.assign(field(node, 'name')!, v, scope);
      return v;
    }
    case 'slice':
      return new Unknown('slice');
    case 'await':
      return it.eval(namedChildren(node)[0]!, scope);
    case 'ERROR':
      return new Unknown('syntax error');
    default:
      throw new Unsupported(`${node.type.replace(/_/g, ' ')} is not read`);
  }
}

/**
 * The items of a list, tuple or set display. A *splat the reader cannot iterate makes the whole display unknown:
 * its length is unknown, so (None, *shape) is not a 2-tuple (a wrong rank would pass for a known one).
 */
function evalItems(it: PythonInterpreter, nodes: readonly SyntaxNode[], scope: Scope): Value[] | Unknown {
  const out: Value[] = [];
  for (const n of nodes) {
    if (n.type === 'list_splat' || n.type === 'parenthesized_list_splat') {
      const inner = namedChildren(n)[0]!;
      const items = it.iterate(it.eval(inner, scope));
      if (items) out.push(...items);
      else return new Unknown(`*${it.text(inner)} has a length the reader cannot tell`);
    } else out.push(it.eval(n, scope));
  }
  return out;
}

function evalString(it: PythonInterpreter, node: SyntaxNode, scope: Scope): Value {
  const raw = it.text(node);
  const prefixMatch = /^[a-zA-Z]*/.exec(raw)!;
  const prefix = prefixMatch[0].toLowerCase();
  if (prefix.includes('b')) return new Unknown('bytes');
  let out = '';
  for (const c of node.children) {
    if (c.type === 'string_content') out += prefix.includes('r') ? it.text(c) : unescape(it.text(c));
    else if (c.type === 'escape_sequence') out += unescape(it.text(c));
    else if (c.type === 'interpolation') {
      const expr = field(c, 'expression') ?? namedChildren(c)[0];
      const v = expr ? it.eval(expr, scope) : null;
      // f"{i:03d}": the spec after the colon; one with a nested {…} is not read.
      const specNode = c.children.find((x) => x.type === 'format_specifier');
      const spec = specNode ? it.text(specNode).slice(1) : '';
      const s = spec.includes('{') ? null : formatSpec(v, spec, (x) => it.str(x));
      if (s === null) return new Unknown('f-string');
      out += s;
    }
  }
  return out;
}

function comprehension(it: PythonInterpreter, node: SyntaxNode, scope: Scope, body: (s: Scope) => Value[]): Value[] {
  const clauses = node.children.filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
  const inner = new Scope(scope, 'function');
  const out: Value[] = [];
  const run = (i: number): void => {
    if (i === clauses.length) {
      out.push(...body(inner));
      return;
    }
    const clause = clauses[i]!;
    if (clause.type === 'if_clause') {
      const t = it.truthy(it.eval(namedChildren(clause)[0]!, inner));
      if (t === null) throw new Unsupported(`cannot tell whether "${it.text(namedChildren(clause)[0]!)}" keeps an item`);
      if (t) run(i + 1);
      return;
    }
    const items = it.iterate(it.eval(field(clause, 'right')!, inner));
    if (items === null) throw new Unsupported(`could not tell what "${it.text(field(clause, 'right')!)}" iterates over`);
    if (items.length > it.limits.maxLoopIterations) throw new LimitError(`a comprehension of ${items.length} items exceeds the limit`, it.loc(clause));
    for (const item of items) {
      it.tick(clause);
      it.assign(field(clause, 'left')!, item, inner);
      run(i + 1);
    }
  };
  run(0);
  return out;
}

/** Python's string escapes (newline, \\x1b, \\u202e, octal); an unknown one (\\N{…}, \\d) keeps its backslash, as in Python. */
function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (m, c: string) => {
    if (c in simple) return simple[c]!;
    if (/^[xuU]/.test(c) && c.length > 1) {
      const code = parseInt(c.slice(1), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    if (/^[0-7]+$/.test(c)) return String.fromCharCode(parseInt(c, 8));
    return m;
  });
}
