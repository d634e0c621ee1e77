/**
 * PyTorch checkpoints (`.pt`, `.pth`): a zip (torch ≥ 1.6) whose data.pkl describes the saved object, or the
 * legacy format (pickles in a row, then the storages). data.pkl is read with the data-only pickle reader:
 * tensors become shapes, the storages (the weights) are never read. What comes out is parameters per
 * module, not a graph: a checkpoint does not say how the modules are connected. A TorchScript archive's
 * code (code/*.py) is listed and not executed.
 */
import type { ByteSource } from './byteSource';
import { baseName } from './byteSource';
import { ModelFileError, type FileDiagnostic } from './diagnostics';
import { PCall, PDict, PGlobal, PickleError, PTensor, PTuple, readPickle } from './pickle';
import type { ModelFile, ParameterGroup } from './types';
import { readZipDirectory, readZipEntry, type ZipEntry } from './zip';

const MAX_PICKLE_BYTES = 256 * 1024 * 1024;
/** Legacy checkpoints start with their pickles; this much of the file is read to find them. */
const LEGACY_PREFIX_BYTES = 64 * 1024 * 1024;
/** Buffers of torch.nn's batch norm, by their names: a state dict does not mark parameters and buffers apart. */
const BUFFER_NAMES = new Set(['running_mean', 'running_var', 'num_batches_tracked']);
/**
 * Integer and bool tensors in a state dict are buffers (Swin's and MaxViT's relative_position_index, a mask): a
 * parameter of those dtypes cannot train ("Only Tensors of floating point and complex dtype can require
 * gradients"), and the models of torchvision and timm have none. Float buffers beyond batch norm's stay counted.
 */
const INTEGER_DTYPES = new Set(['int64', 'int32', 'int16', 'int8', 'uint8', 'bool']);

/** A pickle's first bytes: PROTO 2+ (legacy torch.save starts with the pickled magic number). */
export function looksLikeLegacyTorch(head: Uint8Array): boolean {
  return head[0] === 0x80 && (head[1] ?? 0) >= 2 && (head[1] ?? 0) <= 5;
}

interface Found {
  path: string;
  tensor: PTensor;
  /** Known to be a buffer: from a module's _buffers, or by batch norm's buffer names in a plain state dict. */
  buffer: boolean;
}

export function readTorchFile(source: ByteSource): ModelFile {
  const diagnostics: FileDiagnostic[] = [];
  let value: unknown;
  let refused: string[];
  let format: ModelFile['format'] = 'pytorch';
  const head = source.read(0, Math.min(4, source.size));
  try {
    if (head[0] === 0x50 && head[1] === 0x4b) {
      const entries = readZipDirectory(source);
      const data = pickEntry(entries, 'data.pkl') ?? pickEntry(entries, 'constants.pkl');
      if (!data) throw new ModelFileError(`${source.name}: a zip without data.pkl is not a PyTorch checkpoint`);
      const code = entries.filter((e) => /(^|\/)code\/.*\.py$/.test(e.name)).map((e) => e.name);
      if (code.length > 0) {
        format = 'torchscript';
        diagnostics.push({ severity: 'warning', message: `a TorchScript archive: its code (${code.length} file${code.length === 1 ? '' : 's'}, e.g. ${code[0]}) is not executed; parameters are read from its data` });
      }
      ({ value, refusedCalls: refused } = readPickle(readZipEntry(source, data, MAX_PICKLE_BYTES)));
    } else {
      ({ value, refused } = readLegacy(source));
    }
  } catch (error) {
    if (error instanceof PickleError) throw new ModelFileError(`${source.name}: ${error.message}`);
    throw error;
  }
  const unique = [...new Set(refused)];
  if (unique.length > 0) {
    diagnostics.push({
      severity: 'warning',
      message: `the file asks to call ${unique.slice(0, 5).join(', ')}${unique.length > 5 ? ` and ${unique.length - 5} more` : ''} when loaded; nothing was called (only PyTorch's tensor markers are read, as data)`,
    });
  }
  const found: Found[] = [];
  collect(value, '', false, found, new Set(), 0);
  if (found.length === 0) diagnostics.push({ severity: 'error', message: 'no tensors found: the file is not a state dict or a saved module' });
  // Which parameters train: a pickled nn.Module records each one's requires_grad, a TorchScript archive each
  // tensor's; a state dict's tensors are detached copies (requires_grad always False), so it cannot tell.
  const pickledModule = found.some((f) => f.tensor.parameter);
  const recordsTraining = pickledModule || format === 'torchscript';
  const groups = new Map<string, ParameterGroup>();
  for (const f of found) {
    const dot = f.path.lastIndexOf('.');
    const module = dot < 0 ? '' : f.path.slice(0, dot);
    const name = dot < 0 ? f.path : f.path.slice(dot + 1);
    const group = groups.get(module) ?? { name: module || '(top level)', tensors: [] };
    const buffer = f.buffer || BUFFER_NAMES.has(name) || INTEGER_DTYPES.has(f.tensor.dtype);
    const frozen = recordsTraining && !buffer && f.tensor.requiresGrad === false;
    group.tensors.push({ name, shape: f.tensor.shape, dtype: f.tensor.dtype, buffer, ...(frozen ? { frozen } : {}) });
    groups.set(module, group);
  }
  return {
    file: source.name,
    format,
    spec: null,
    parameters: {
      name: baseName(source).replace(/\.(pt|pth)$/i, ''),
      framework: 'pytorch',
      groups: [...groups.values()],
      ...(recordsTraining || found.length === 0 ? {} : { trainableUnknown: 'a state dict does not record which parameters train (state_dict() saves them without requires_grad)' }),
    },
    diagnostics,
  };
}

function pickEntry(entries: readonly ZipEntry[], file: string): ZipEntry | undefined {
  // torch writes <archive>/data.pkl; nested copies (e.g. .data/) come later and are not the model.
  return entries.filter((e) => e.name === file || e.name.endsWith(`/${file}`)).sort((a, b) => a.name.length - b.name.length)[0];
}

/** Legacy torch.save: magic number, protocol version, system info, then the object. */
function readLegacy(source: ByteSource): { value: unknown; refused: string[] } {
  const bytes = source.read(0, Math.min(source.size, LEGACY_PREFIX_BYTES));
  const magic = readPickle(bytes, 0);
  if (magic.value !== 0x1950a86a20f9469cfc6c && typeof magic.value !== 'number') {
    const r = magic;
    return { value: r.value, refused: r.refusedCalls };
  }
  const version = readPickle(bytes, magic.end);
  const info = readPickle(bytes, version.end);
  const object = readPickle(bytes, info.end);
  return { value: object.value, refused: [...magic.refusedCalls, ...version.refusedCalls, ...info.refusedCalls, ...object.refusedCalls] };
}

const MAX_DEPTH = 200;

/**
 * Finds every tensor in the unpickled data with its dotted path. A saved nn.Module's state (`_parameters`,
 * `_buffers`, `_modules`) gives module paths and says which tensors are buffers.
 */
function collect(v: unknown, path: string, buffer: boolean, out: Found[], seen: Set<unknown>, depth: number): void {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  const join = (key: string): string => (path ? `${path}.${key}` : key);
  if (v instanceof PTensor) {
    out.push({ path: path || 'tensor', tensor: v, buffer });
  } else if (v instanceof PDict) {
    // A pickled nn.Module's __dict__: its parameters, buffers and submodules are in these three; a tensor kept in any
    // other attribute (timm LeViT's attention_bias_cache, filled by an eval forward) is in neither parameters() nor
    // state_dict(), so it is not counted.
    const isModule = v.entries.some(([k]) => k === '_parameters') && v.entries.some(([k]) => k === '_modules');
    for (const [k, item] of v.entries) {
      if (isModule && k !== '_parameters' && k !== '_buffers' && k !== '_modules') continue;
      const key = String(k);
      if (key === '_parameters' || key === '_modules') collect(item, path, false, out, seen, depth + 1);
      else if (key === '_buffers') collect(item, path, true, out, seen, depth + 1);
      else if (key.startsWith('_') && path !== '') continue; // Module internals (_forward_hooks...) hold no tensors of the model.
      else collect(item, join(key), buffer, out, seen, depth + 1);
    }
  } else if (v instanceof PCall) {
    collect(v.state, path, buffer, out, seen, depth + 1);
  } else if (v instanceof PTuple || Array.isArray(v)) {
    const items = v instanceof PTuple ? v.items : v;
    items.forEach((item, i) => collect(item, join(String(i)), buffer, out, seen, depth + 1));
  } else if (v instanceof PGlobal) {
    // A name only.
  }
}
