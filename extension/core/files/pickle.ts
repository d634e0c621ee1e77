/**
 * A pickle reader that builds plain data and never imports or calls anything. Python's unpickler resolves
 * GLOBAL to a real function and REDUCE calls it, which is how a crafted checkpoint runs `os.system`; here a
 * GLOBAL is only a name, and REDUCE / NEWOBJ / BUILD on it record what the file asked for (shown to the user)
 * without doing it. The only names given a meaning are PyTorch's own data markers (its tensor rebuild
 * functions, storage classes and OrderedDict), read as data: a tensor becomes its shape and dtype.
 * Work is bounded: one pass over the bytes, a capped stack and memo.
 */
export class PickleError extends Error {}

export class PTuple {
  constructor(readonly items: unknown[]) {}
}
export class PDict {
  readonly entries: [unknown, unknown][] = [];
}
/** A module attribute the file names (GLOBAL / STACK_GLOBAL): never imported. */
export class PGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}
/** A call the file asked for (REDUCE, NEWOBJ) and that was not made. */
export class PCall {
  state: unknown = undefined;
  constructor(
    readonly callee: unknown,
    readonly args: unknown,
  ) {}
}
export class PStorage {
  constructor(
    readonly dtype: string,
    readonly key: string,
    readonly numel: number | null,
  ) {}
}
export class PTensor {
  parameter = false;
  /**
   * requires_grad as the file records it: _rebuild_parameter's (a pickled nn.Module) or _rebuild_tensor_v2's
   * (TorchScript); null where the rebuilder has none. A state dict's tensors are detached: theirs is always False.
   */
  requiresGrad: boolean | null = null;
  constructor(
    readonly shape: number[],
    readonly dtype: string,
  ) {}
}

/** The functions PyTorch uses to rebuild tensors; recognised by name, read as data, never called. */
const TENSOR_REBUILDERS = new Set(['torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor', 'torch._utils._rebuild_tensor_v3']);
const PARAMETER_REBUILDERS = new Set(['torch._utils._rebuild_parameter', 'torch._utils._rebuild_parameter_with_state']);
const DICT_CLASSES = new Set(['collections.OrderedDict', 'builtins.dict', '__builtin__.dict']);
/** Python's own containers, built as lists (protocol 2 pickles sets as set([...])). */
const LIST_CLASSES = new Set(['builtins.set', '__builtin__.set', 'builtins.frozenset', '__builtin__.frozenset', 'builtins.list', '__builtin__.list']);

const MARK = Symbol('mark');
const MAX_STACK = 1_000_000;

export interface PickleResult {
  value: unknown;
  /** Byte after the STOP opcode (legacy checkpoints hold several pickles in a row). */
  end: number;
  /** Every call the file asked for and that was not made, as "module.name". */
  refusedCalls: string[];
}

/** Storage dtype from a storage class name (torch.FloatStorage → float32). */
function storageDtype(g: unknown): string {
  if (!(g instanceof PGlobal)) return 'unknown';
  const table: Record<string, string> = {
    FloatStorage: 'float32', DoubleStorage: 'float64', HalfStorage: 'float16', BFloat16Storage: 'bfloat16', LongStorage: 'int64',
    IntStorage: 'int32', ShortStorage: 'int16', CharStorage: 'int8', ByteStorage: 'uint8', BoolStorage: 'bool',
  };
  return table[g.name] ?? g.name;
}

export function readPickle(bytes: Uint8Array, start = 0): PickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const refusedCalls: string[] = [];
  let p = start;

  const need = (n: number): void => {
    if (p + n > bytes.length) throw new PickleError(`the pickle is truncated at byte ${p}`);
  };
  const u8 = (): number => {
    need(1);
    return bytes[p++]!;
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(p, true);
    p += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(p, true);
    p += 4;
    return v;
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const v = bytes.subarray(p, p + n);
    p += n;
    return v;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw new PickleError('the pickle is truncated (a text line never ends)');
    const s = decoder.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw new PickleError(`a corrupt pickle (empty stack at byte ${p})`);
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleError(`a corrupt pickle (no MARK at byte ${p})`);
    const items = stack.splice(at + 1);
    stack.pop();
    return items;
  };
  const push = (v: unknown): void => {
    if (stack.length >= MAX_STACK) throw new PickleError('the pickle nests too deeply');
    stack.push(v);
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new PickleError(`a corrupt pickle (empty stack at byte ${p})`);
    return stack[stack.length - 1];
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (!(target instanceof PDict)) return; // Items set on an object the file describes: nothing is called.
    for (let i = 0; i + 1 < items.length; i += 2) target.entries.push([items[i], items[i + 1]]);
  };
  const longFrom = (b: Uint8Array): number => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
    return Number(v);
  };

  /** REDUCE: data markers are read as data; any other call is recorded and not made. */
  const reduce = (callee: unknown, args: unknown): unknown => {
    const items = args instanceof PTuple ? args.items : [];
    if (callee instanceof PGlobal) {
      const name = callee.qualified;
      if (DICT_CLASSES.has(name)) {
        const d = new PDict();
        const pairs = items[0];
        if (Array.isArray(pairs)) for (const pair of pairs) if (pair instanceof PTuple) d.entries.push([pair.items[0], pair.items[1]]);
        return d;
      }
      if (LIST_CLASSES.has(name)) return Array.isArray(items[0]) ? [...(items[0] as unknown[])] : [];
      if (TENSOR_REBUILDERS.has(name)) {
        const storage = items[0];
        const size = items[2];
        const shape = size instanceof PTuple ? size.items.map((d) => (typeof d === 'number' ? d : -1)) : [];
        const tensor = new PTensor(shape, storage instanceof PStorage ? storage.dtype : 'unknown');
        // _rebuild_tensor_v2/v3(storage, offset, size, stride, requires_grad, ...); v1 has no requires_grad.
        if (typeof items[4] === 'boolean') tensor.requiresGrad = items[4];
        return tensor;
      }
      if (PARAMETER_REBUILDERS.has(name)) {
        const data = items[0];
        if (data instanceof PTensor) {
          data.parameter = true;
          // _rebuild_parameter(data, requires_grad, backward_hooks[, state])
          data.requiresGrad = typeof items[1] === 'boolean' ? items[1] : null;
          return data;
        }
      }
      refusedCalls.push(name);
    } else {
      refusedCalls.push('an object the file builds');
    }
    return new PCall(callee, args);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        take(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: p, refusedCalls };
      case 0x28: // MARK
        push(MARK);
        break;
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x4a: // BININT
        need(4);
        push(view.getInt32(p, true));
        p += 4;
        break;
      case 0x8a: // LONG1
        push(longFrom(take(u8())));
        break;
      case 0x8b: // LONG4
        push(longFrom(take(u32())));
        break;
      case 0x49: {
        // INT (text): "01"/"00" are booleans in protocol 0.
        const s = line();
        push(s === '01' ? true : s === '00' ? false : Number(s));
        break;
      }
      case 0x4c: // LONG (text)
        push(Number(line().replace(/L$/, '')));
        break;
      case 0x46: // FLOAT (text)
        push(Number(line()));
        break;
      case 0x47: // BINFLOAT
        need(8);
        push(view.getFloat64(p, false));
        p += 8;
        break;
      case 0x58: // BINUNICODE
        push(decoder.decode(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(decoder.decode(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        need(8);
        push(decoder.decode(take(Number(view.getBigUint64(p, true)) + 0 * (p += 8))));
        break;
      case 0x54: // BINSTRING
        push(decoder.decode(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        push(decoder.decode(take(u8())));
        break;
      case 0x53: // STRING (text, quoted)
        push(line().replace(/^['"]|['"]$/g, ''));
        break;
      case 0x56: // UNICODE (text)
        push(line());
        break;
      case 0x42: // BINBYTES
        push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
        need(8);
        push(take(Number(view.getBigUint64(p, true)) + 0 * (p += 8)));
        break;
      case 0x96: // BYTEARRAY8
        need(8);
        push(take(Number(view.getBigUint64(p, true)) + 0 * (p += 8)));
        break;
      case 0x29: // EMPTY_TUPLE
        push(new PTuple([]));
        break;
      case 0x85: // TUPLE1
        push(new PTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(new PTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(new PTuple([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        push(new PTuple(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        const list = top();
        if (Array.isArray(list)) list.push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (Array.isArray(list)) list.push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        push(new PDict());
        break;
      case 0x64: {
        // DICT
        const d = new PDict();
        setItems(d, popMark());
        push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x8f: // EMPTY_SET
        push([]);
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const set = top();
        if (Array.isArray(set)) set.push(...items);
        break;
      }
      case 0x91: // FROZENSET
        push(popMark());
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x70: // PUT
        memo.set(Number(line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
        push(memoGet(memo, Number(line())));
        break;
      case 0x68: // BINGET
        push(memoGet(memo, u8()));
        break;
      case 0x6a: // LONG_BINGET
        push(memoGet(memo, u32()));
        break;
      case 0x63: {
        // GLOBAL: a name only, never imported.
        const module = line();
        push(new PGlobal(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        push(new PGlobal(String(module), String(name)));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        push(reduce(pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ: an instance the file describes; nothing is constructed.
        const args = pop();
        const cls = pop();
        push(new PCall(cls, args));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        push(new PCall(cls, new PTuple([args, kwargs])));
        break;
      }
      case 0x62: {
        // BUILD: the state is kept beside the object; no __setstate__ runs.
        const state = pop();
        const obj = top();
        if (obj instanceof PCall) obj.state = state;
        break;
      }
      case 0x51: {
        // BINPERSID: PyTorch's storage references ('storage', StorageClass, key, location, numel).
        const pid = pop();
        if (pid instanceof PTuple && pid.items[0] === 'storage') {
          const numel = pid.items[4];
          push(new PStorage(storageDtype(pid.items[1]), String(pid.items[2]), typeof numel === 'number' ? numel : null));
        } else {
          push(new PCall(new PGlobal('persistent_load', ''), pid));
        }
        break;
      }
      case 0x50: // PERSID (text)
        push(new PStorage('unknown', line(), null));
        break;
      case 0x69: // INST: a call by name in protocol 0; recorded, not made.
      case 0x6f: {
        // OBJ
        if (op === 0x69) {
          const module = line();
          const name = line();
          refusedCalls.push(`${module}.${name}`);
          push(new PCall(new PGlobal(module, name), new PTuple(popMark())));
        } else {
          const items = popMark();
          refusedCalls.push('an object the file builds');
          push(new PCall(items[0], new PTuple(items.slice(1))));
        }
        break;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new PickleError('the pickle uses the extension registry (EXT opcodes), which CNN Inspector does not read');
      default:
        throw new PickleError(`unknown pickle opcode 0x${op.toString(16)} at byte ${p - 1}`);
    }
  }
}

function memoGet(memo: Map<number, unknown>, key: number): unknown {
  if (!memo.has(key)) throw new PickleError(`a corrupt pickle (memo ${key} was never stored)`);
  return memo.get(key);
}
