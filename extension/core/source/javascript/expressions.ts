/** Evaluation of TypeScript/JavaScript expressions: literals, objects, arrays, operators, assignments. */
import { field, namedChildren, type SyntaxNode } from '../syntax';
import { LimitError } from '../trace';
import { locate } from '../common';
import type { JsInterpreter } from './interpreter';
import { isPrimitive, JsArray, JsObject, JsExtern, JsUnknown, Unsupported, type JsScope, type JsValue } from './values';
import { call, member } from './tfjs';

export function evaluate(it: JsInterpreter, n: SyntaxNode, scope: JsScope): JsValue {
  it.tick(n);
  switch (n.type) {
    case 'identifier': {
      const name = it.text(n);
      if (name === 'undefined') return undefined;
      const r = scope.lookup(name);
      if (r.found) return r.value;
      if (name === 'Math') return new JsExtern('Math');
      return new JsUnknown(`${name} is not defined in this file`);
    }
    case 'number':
      return Number(it.text(n).replace(/_/g, ''));
    case 'string':
      return it.text(n).slice(1, -1).replace(/\\(.)/g, '$1');
    case 'template_string': {
      let out = '';
      for (const c of n.children) {
        if (c.type === 'string_fragment') out += it.text(c);
        else if (c.type === 'escape_sequence') out += unescapeJs(it.text(c));
        else if (c.type === 'template_substitution') {
          const v = it.eval(namedChildren(c)[0]!, scope);
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return new JsUnknown('template');
          out += String(v);
        }
      }
      return out;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression':
    case 'type_assertion':
    case 'await_expression':
      return it.eval(namedChildren(n).find((c) => !c.type.includes('type')) ?? namedChildren(n)[0]!, scope);
    case 'array': {
      const items: JsValue[] = [];
      for (const c of namedChildren(n)) {
        if (c.type === 'spread_element') {
          const v = it.eval(namedChildren(c)[0]!, scope);
          if (v instanceof JsArray) items.push(...v.items);
          else items.push(new JsUnknown('spread'));
        } else items.push(it.eval(c, scope));
      }
      return new JsArray(items);
    }
    case 'object': {
      const o = new JsObject();
      for (const c of namedChildren(n)) {
        if (c.type === 'pair') {
          const keyNode = field(c, 'key')!;
          const key = keyNode.type === 'string' ? it.text(keyNode).slice(1, -1) : keyNode.type === 'computed_property_name' ? String(it.eval(namedChildren(keyNode)[0]!, scope)) : it.text(keyNode);
          o.props.set(key, it.eval(field(c, 'value')!, scope));
        } else if (c.type === 'shorthand_property_identifier') {
          o.props.set(it.text(c), it.eval({ ...c, type: 'identifier' }, scope));
        } else if (c.type === 'spread_element') {
          const v = it.eval(namedChildren(c)[0]!, scope);
          if (v instanceof JsObject) for (const [k, x] of v.props) o.props.set(k, x);
        }
      }
      return o;
    }
    case 'binary_expression':
      return binary(it, it.text(field(n, 'operator')!), field(n, 'left')!, field(n, 'right')!, scope, n);
    case 'unary_expression': {
      const op = it.text(field(n, 'operator')!);
      const v = it.eval(field(n, 'argument')!, scope);
      if (op === '!') {
        const t = it.truthy(v);
        return t === null ? new JsUnknown('!') : !t;
      }
      if (op === '-' && typeof v === 'number') return -v;
      if (op === '+' && typeof v === 'number') return v;
      if (op === 'typeof') return typeof v === 'object' ? 'object' : typeof v;
      return new JsUnknown(op);
    }
    case 'ternary_expression': {
      const c = it.truthy(it.eval(field(n, 'condition')!, scope));
      if (c === null) return new JsUnknown('condition');
      return it.eval(field(n, c ? 'consequence' : 'alternative')!, scope);
    }
    case 'member_expression': {
      const obj = it.eval(field(n, 'object')!, scope);
      return member(it, obj, it.text(field(n, 'property')!));
    }
    case 'subscript_expression': {
      const obj = it.eval(field(n, 'object')!, scope);
      const idx = it.eval(field(n, 'index')!, scope);
      if (obj instanceof JsArray && typeof idx === 'number') return obj.items[idx < 0 ? NaN : idx];
      if (obj instanceof JsObject && (typeof idx === 'string' || typeof idx === 'number')) return obj.props.get(String(idx));
      return new JsUnknown('index');
    }
    case 'call_expression':
      return call(it, n, scope);
    case 'new_expression':
      return new JsUnknown('new');
    case 'arrow_function':
    case 'function_expression':
    case 'function':
      return it.makeFunction(n, scope, false);
    case 'assignment_expression': {
      const v = it.eval(field(n, 'right')!, scope);
      assignTo(it, field(n, 'left')!, v, scope);
      return v;
    }
    case 'augmented_assignment_expression': {
      const op = it.text(field(n, 'operator')!).slice(0, -1);
      const left = field(n, 'left')!;
      const v = arith(op, it.eval(left, scope), it.eval(field(n, 'right')!, scope), it, n);
      assignTo(it, left, v, scope);
      return v;
    }
    case 'update_expression': {
      const arg = field(n, 'argument')!;
      const v = it.eval(arg, scope);
      if (typeof v !== 'number') return new JsUnknown('++');
      const op = it.text(field(n, 'operator')!);
      const next = op === '++' ? v + 1 : v - 1;
      assignTo(it, arg, next, scope);
      return n.children[0]?.field === 'operator' ? next : v;
    }
    case 'sequence_expression': {
      let last: JsValue = undefined;
      for (const c of namedChildren(n)) last = it.eval(c, scope);
      return last;
    }
    default:
      throw new Unsupported(`${n.type.replace(/_/g, ' ')} is not read`);
  }
}

function assignTo(it: JsInterpreter, target: SyntaxNode, v: JsValue, scope: JsScope): void {
  if (target.type === 'identifier') scope.set(it.text(target), v);
  else if (target.type === 'member_expression') {
    const obj = it.eval(field(target, 'object')!, scope);
    if (obj instanceof JsObject) obj.props.set(it.text(field(target, 'property')!), v);
  } else if (target.type === 'subscript_expression') {
    const obj = it.eval(field(target, 'object')!, scope);
    const idx = it.eval(field(target, 'index')!, scope);
    if (obj instanceof JsArray && typeof idx === 'number') obj.items[idx] = v;
    else if (obj instanceof JsObject && (typeof idx === 'string' || typeof idx === 'number')) obj.props.set(String(idx), v);
  }
}

function binary(it: JsInterpreter, op: string, l: SyntaxNode, r: SyntaxNode, scope: JsScope, n: SyntaxNode): JsValue {
  if (op === '&&' || op === '||' || op === '??') {
    const a = it.eval(l, scope);
    if (op === '??') return a === null || a === undefined ? it.eval(r, scope) : a;
    const t = it.truthy(a);
    if (t === null) return new JsUnknown(op);
    return (op === '&&') === t ? it.eval(r, scope) : a;
  }
  const a = it.eval(l, scope);
  return arith(op, a, it.eval(r, scope), it, n);
}

function arith(op: string, a: JsValue, b: JsValue, it: JsInterpreter, n: SyntaxNode): JsValue {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return a / b;
      case '%': return a % b;
      case '**': return a ** b;
      case '<': return a < b;
      case '>': return a > b;
      case '<=': return a <= b;
      case '>=': return a >= b;
      case '==': case '===': return a === b;
      case '!=': case '!==': return a !== b;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '&': return a & b;
      case '|': return a | b;
      default: return new JsUnknown(op);
    }
  }
  if (op === '+' && (typeof a === 'string' || typeof b === 'string') && isPrimitive(a) && isPrimitive(b)) {
    // Checked before the string is made: doubling a string 64 times would end in V8's own RangeError.
    const size = String(a).length + String(b).length;
    if (size > it.limits.maxValueSize) throw new LimitError(`a string would grow to ${size} characters, past the limit of ${it.limits.maxValueSize}; gave up here`, locate(n, it.file));
    return String(a) + String(b);
  }
  if ((op === '===' || op === '==' || op === '!==' || op === '!=') && isPrimitive(a) && isPrimitive(b)) return (a === b) === (op === '===' || op === '==');
  return new JsUnknown(op);
}

/** A template literal's escape (a backslash before a backtick, n, u{…}) as the string it stands for. */
function unescapeJs(seq: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
  const body = seq.slice(1);
  if (body in simple) return simple[body]!;
  const hex = /^x([0-9a-fA-F]{2})$|^u([0-9a-fA-F]{4})$|^u\{([0-9a-fA-F]+)\}$/.exec(body);
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  return body.replace(/^\r?\n/, '');
}
