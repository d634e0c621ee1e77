/**
 * The parts of an ONNX ModelProto the analysis needs, read by range: the graph's nodes, inputs, outputs and
 * value_info are decoded with protobufjs from the official onnx.proto; initializers are walked field by
 * field so their names, types and dims are read and their data (raw_data, float_data...) is skipped by
 * seeking. Small integer initializers (shapes, axes, scales) keep their values, because ops read them.
 */
import * as protobuf from 'protobufjs';
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileSource, type ByteSource } from '../byteSource';
import { ModelFileError } from '../diagnostics';
import descriptor from './onnx.proto.json';

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const NodeProto = root.lookupType('onnx.NodeProto');
const ValueInfoProto = root.lookupType('onnx.ValueInfoProto');
const OperatorSetIdProto = root.lookupType('onnx.OperatorSetIdProto');

export interface OnnxAttribute {
  name: string;
  type?: number | string;
  f?: number;
  i?: number | protobuf.Long;
  s?: Uint8Array;
  t?: OnnxTensorProto;
  ints?: (number | protobuf.Long)[];
  floats?: number[];
}

export interface OnnxTensorProto {
  dims?: (number | protobuf.Long)[];
  data_type?: number;
  int64_data?: (number | protobuf.Long)[];
  int32_data?: number[];
  float_data?: number[];
  raw_data?: Uint8Array;
  name?: string;
}

export interface OnnxNode {
  name: string;
  op_type: string;
  domain: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

/** A tensor the graph holds or declares: a weight (initializer or, with export_params=False, a graph input). */
export interface OnnxTensorInfo {
  name: string;
  dataType: number;
  /** null dims are symbolic (batch "N") or unknown. */
  dims: (number | null)[];
  /** Values of small integer tensors (shapes, axes, pads), else null. */
  values: number[] | null;
}

export interface OnnxGraph {
  irVersion: number | null;
  producer: string;
  opset: number | null;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensorInfo>;
  inputs: OnnxTensorInfo[];
  outputs: OnnxTensorInfo[];
  valueInfo: Map<string, OnnxTensorInfo>;
}

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;
const FLOATING = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);
export const isFloating = (dataType: number): boolean => FLOATING.has(dataType);

/** Bytes of one field read at a time at most (a node or value_info; weights are skipped, never read). */
const MAX_FIELD_BYTES = 64 * 1024 * 1024;
const MAX_INT_VALUES = 4096;

/** Reads varints and field headers from a ByteSource through a small moving window. */
class Cursor {
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;

  constructor(
    private readonly source: ByteSource,
    public pos: number,
    readonly end: number,
  ) {}

  private byte(at: number): number {
    if (at >= this.end) throw new ModelFileError(`${this.source.name}: the protobuf is truncated or corrupt at byte ${at}`);
    if (at < this.windowStart || at >= this.windowStart + this.window.length) {
      this.windowStart = at;
      this.window = this.source.read(at, Math.min(65536, this.end - at));
    }
    return this.window[at - this.windowStart]!;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte(this.pos++);
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new ModelFileError(`${this.source.name}: a corrupt protobuf varint at byte ${this.pos}`);
  }

  /**
   * An int64 varint (two's complement in 10 bytes for a negative): exact through BigInt, since a double rounds
   * 2^64 − 1 (−1) to 2^64 and would read every small negative as 0.
   */
  signedVarint(): number {
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte(this.pos++);
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return Number(BigInt.asIntN(64, result));
    }
    throw new ModelFileError(`${this.source.name}: a corrupt protobuf varint at byte ${this.pos}`);
  }

  /** Reads a field header; returns [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t % 8];
  }

  /** Skips a field's value; returns [start, length] of a length-delimited one. */
  skip(wire: number): [number, number] {
    switch (wire) {
      case 0:
        this.varint();
        return [this.pos, 0];
      case 1:
        this.pos += 8;
        return [this.pos, 0];
      case 5:
        this.pos += 4;
        return [this.pos, 0];
      case 2: {
        const length = this.varint();
        const start = this.pos;
        this.pos += length;
        if (this.pos > this.end) throw new ModelFileError(`${this.source.name}: the protobuf is truncated (a field runs past the end)`);
        return [start, length];
      }
      default:
        throw new ModelFileError(`${this.source.name}: not an ONNX model (protobuf wire type ${wire} at byte ${this.pos})`);
    }
  }

  bytes(start: number, length: number): Uint8Array {
    if (length > MAX_FIELD_BYTES) throw new ModelFileError(`${this.source.name}: a ${length}-byte graph entry is more than CNN Inspector reads`);
    return this.source.read(start, length);
  }
}

const toNumber = (v: number | protobuf.Long): number => (typeof v === 'number' ? v : Number(v.toString()));

function decode<T>(type: protobuf.Type, bytes: Uint8Array, what: string, file: string): T {
  try {
    return type.toObject(type.decode(bytes), { defaults: true, longs: Number, arrays: true }) as T;
  } catch (error) {
    throw new ModelFileError(`${file}: a corrupt ${what} (${error instanceof Error ? error.message : String(error)})`);
  }
}

function valueInfo(v: { name?: string; type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } } }): OnnxTensorInfo {
  const tensor = v.type?.tensor_type;
  const dims = (tensor?.shape?.dim ?? []).map((d) => (d.dim_param ? null : typeof d.dim_value === 'number' && d.dim_value > 0 ? d.dim_value : null));
  return { name: v.name ?? '', dataType: tensor?.elem_type ?? 0, dims, values: null };
}

/** Walks a TensorProto: dims, type and name; values only for small integer tensors. */
function readInitializer(source: ByteSource, start: number, length: number): OnnxTensorInfo {
  const c = new Cursor(source, start, start + length);
  const info: OnnxTensorInfo = { name: '', dataType: 0, dims: [], values: null };
  let raw: [number, number] | null = null;
  const ints: number[] = [];
  let external = false;
  const externalData = new Map<string, string>();
  /** Bytes of float_data / double_data and varints of int32/int64/uint64_data: what the tensor holds inline. */
  let typedBytes = 0;
  let typedVarints = 0;
  while (c.pos < c.end) {
    const [field, wire] = c.tag();
    if (field === 1 && wire === 0) info.dims.push(c.signedVarint());
    else if (field === 1 && wire === 2) {
      const [s, l] = c.skip(2);
      const inner = new Cursor(source, s, s + l);
      while (inner.pos < inner.end) info.dims.push(inner.signedVarint());
    } else if (field === 2 && wire === 0) info.dataType = c.varint();
    else if (field === 8 && wire === 2) {
      const [s, l] = c.skip(2);
      info.name = new TextDecoder().decode(c.bytes(s, l));
    } else if (field === 9 && wire === 2) raw = c.skip(2);
    else if ((field === 7 || field === 5) && wire === 2) {
      // int64_data / int32_data, packed: signed varints (two's complement in 64 bits).
      const [s, l] = c.skip(2);
      if (l <= MAX_INT_VALUES * 10) {
        const inner = new Cursor(source, s, s + l);
        while (inner.pos < inner.end) ints.push(inner.signedVarint());
      }
    } else if ((field === 7 || field === 5) && wire === 0) ints.push(c.signedVarint());
    else if (field === 14 && wire === 0) external = c.varint() === 1;
    else if (field === 13 && wire === 2) {
      const [s, l] = c.skip(2);
      const entry = new Cursor(source, s, s + l);
      let key = '';
      let value = '';
      while (entry.pos < entry.end) {
        const [f, w] = entry.tag();
        if ((f === 1 || f === 2) && w === 2) {
          const [es, el] = entry.skip(2);
          const text = new TextDecoder().decode(entry.bytes(es, Math.min(el, 4096)));
          if (f === 1) key = text;
          else value = text;
        } else entry.skip(w);
      }
      externalData.set(key, value);
    }
    else if ((field === 4 || field === 10) && wire === 2) typedBytes += c.skip(2)[1];
    else if ((field === 4 && wire === 5) || (field === 10 && wire === 1)) {
      c.skip(wire);
      typedBytes += wire === 5 ? 4 : 8;
    } else c.skip(wire);
    if (field === 5 || field === 7 || field === 11) typedVarints++;
  }
  checkHeld(source, info, raw, external, typedBytes, typedVarints + ints.length);
  const count = info.dims.reduce<number>((a, b) => a * (b ?? 0), 1);
  const integer = info.dataType === DataType.INT64 || info.dataType === DataType.INT32;
  if (info.dataType === DataType.FLOAT && count <= 16 && raw !== null) {
    // Small float tensors are scales (Resize) or clip bounds, read because ops need them.
    const bytes = source.read(raw[0], raw[1]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    info.values = [];
    for (let o = 0; o + 4 <= bytes.length; o += 4) info.values.push(view.getFloat32(o, true));
  } else if (integer && count <= MAX_INT_VALUES) {
    if (external) {
      info.values = externalInts(source, externalData, count, info.dataType === DataType.INT64 ? 8 : 4);
    } else if (raw !== null) {
      const bytes = source.read(raw[0], raw[1]);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const width = info.dataType === DataType.INT64 ? 8 : 4;
      info.values = [];
      for (let o = 0; o + width <= bytes.length; o += width) {
        info.values.push(width === 8 ? Number(view.getBigInt64(o, true)) : view.getInt32(o, true));
      }
    } else {
      info.values = ints;
    }
  }
  return info;
}

/**
 * A small integer tensor the dynamo exporter put in the external data file beside the model (the as_strided
 * indices after ConvNeXt's pooling): read from that file when it is a plain name in the model's folder, a
 * regular file, and holds the range. Anything else leaves the values unknown (the op that needs them says so).
 */
function externalInts(source: ByteSource, entries: Map<string, string>, count: number, width: number): number[] | null {
  const location = entries.get('location') ?? '';
  const offset = Number(entries.get('offset') ?? '0');
  const length = Number(entries.get('length') ?? String(count * width));
  if (location === '' || basename(location) !== location || location === '..' || !Number.isInteger(offset) || length !== count * width) return null;
  const path = join(dirname(source.name), location);
  try {
    const stat = statSync(path);
    if (!stat.isFile() || offset < 0 || offset + length > stat.size) return null;
  } catch {
    return null;
  }
  const data = fileSource(path);
  try {
    const bytes = data.read(offset, length);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values: number[] = [];
    for (let o = 0; o + width <= bytes.length; o += width) values.push(width === 8 ? Number(view.getBigInt64(o, true)) : view.getInt32(o, true));
    return values;
  } finally {
    data.close();
  }
}

/** Bytes per element of the fixed-size ONNX types (TensorProto.DataType). */
const ELEMENT_BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2 };

/**
 * A weight must hold the data its dims declare: a truncated or forged file (a (2^40, 3, 3, 3) weight with no
 * data) would otherwise be counted as if it were there. Raw data is checked to the byte; float/double data by
 * its bytes; integer lists only for being there. External data lives in another file and is not checked here.
 */
function checkHeld(source: ByteSource, info: OnnxTensorInfo, raw: [number, number] | null, external: boolean, typedBytes: number, varints: number): void {
  // onnx.checker refuses a negative dim in any tensor, external or not.
  if (info.dims.some((d) => d !== null && d < 0)) throw new ModelFileError(`${source.name}: the weight ${info.name || '(unnamed)'} declares dims (${info.dims.join(', ')}); a tensor's dims cannot be negative: the file is corrupt`);
  if (external || info.dataType === 8 /* STRING */) return;
  const size = ELEMENT_BYTES[info.dataType];
  const count = info.dims.reduce<number>((a, b) => a * (b ?? 0), 1);
  if (size === undefined || count === 0) return;
  const held = raw !== null ? raw[1] : typedBytes;
  const expected = raw !== null || typedBytes > 0 ? count * size : null;
  if (expected !== null ? held === expected : varints > 0) return;
  const dims = `(${info.dims.join(', ')})`;
  throw new ModelFileError(
    `${source.name}: the weight ${info.name || '(unnamed)'} declares ${dims} = ${count.toLocaleString('en-US')} elements but holds ${expected === null ? 'no data' : `${held.toLocaleString('en-US')} bytes of data, not ${expected.toLocaleString('en-US')}`}: the file is corrupt or truncated`,
  );
}


export function readOnnxGraph(source: ByteSource): OnnxGraph {
  const graph: OnnxGraph = { irVersion: null, producer: '', opset: null, nodes: [], initializers: new Map(), inputs: [], outputs: [], valueInfo: new Map() };
  const top = new Cursor(source, 0, source.size);
  let sawGraph = false;
  while (top.pos < top.end) {
    const [field, wire] = top.tag();
    if (field === 0) throw new ModelFileError(`${source.name}: not an ONNX model (field 0 in the protobuf)`);
    if (field === 1 && wire === 0) graph.irVersion = top.varint();
    else if (field === 2 && wire === 2) {
      const [s, l] = top.skip(2);
      graph.producer = new TextDecoder().decode(top.bytes(s, Math.min(l, 256)));
    } else if (field === 8 && wire === 2) {
      const [s, l] = top.skip(2);
      const op = decode<{ domain?: string; version?: number }>(OperatorSetIdProto, top.bytes(s, l), 'opset_import', source.name);
      if (!op.domain || op.domain === 'ai.onnx') graph.opset = op.version ?? null;
    } else if (field === 7 && wire === 2) {
      const [s, l] = top.skip(2);
      readGraph(source, s, l, graph);
      sawGraph = true;
    } else top.skip(wire);
  }
  if (!sawGraph || graph.irVersion === null) throw new ModelFileError(`${source.name}: not an ONNX model (no graph or IR version in the protobuf)`);
  return graph;
}

function readGraph(source: ByteSource, start: number, length: number, graph: OnnxGraph): void {
  const c = new Cursor(source, start, start + length);
  while (c.pos < c.end) {
    const [field, wire] = c.tag();
    if (wire !== 2) {
      c.skip(wire);
      continue;
    }
    const [s, l] = c.skip(2);
    switch (field) {
      case 1: {
        const n = decode<OnnxNode>(NodeProto, c.bytes(s, l), 'node', source.name);
        graph.nodes.push({ name: n.name ?? '', op_type: n.op_type ?? '', domain: n.domain ?? '', input: n.input ?? [], output: n.output ?? [], attribute: n.attribute ?? [] });
        break;
      }
      case 5: {
        const t = readInitializer(source, s, l);
        graph.initializers.set(t.name, t);
        break;
      }
      case 11:
        graph.inputs.push(valueInfo(decode(ValueInfoProto, c.bytes(s, l), 'graph input', source.name)));
        break;
      case 12:
        graph.outputs.push(valueInfo(decode(ValueInfoProto, c.bytes(s, l), 'graph output', source.name)));
        break;
      case 13: {
        const v = valueInfo(decode(ValueInfoProto, c.bytes(s, l), 'value_info', source.name));
        graph.valueInfo.set(v.name, v);
        break;
      }
      default:
        break;
    }
  }
}

/** An attribute's value as plain numbers/strings. */
export function attributeValue(a: OnnxAttribute): number | number[] | string | OnnxTensorProto | null {
  if (a.ints && a.ints.length > 0) return a.ints.map(toNumber);
  if (a.floats && a.floats.length > 0) return a.floats;
  if (a.s && a.s.length > 0) return new TextDecoder().decode(a.s);
  if (a.t && (a.t.dims || a.t.raw_data)) return a.t;
  // proto2 defaults make every scalar present; the attribute's declared type says which one it is.
  const type = a.type;
  if (type === 1 || type === 'FLOAT') return a.f ?? 0;
  if (type === 2 || type === 'INT') return toNumber(a.i ?? 0);
  if (type === 3 || type === 'STRING') return '';
  if (type === 7 || type === 'INTS' || type === 6 || type === 'FLOATS') return [];
  return null;
}

/** Integer values of a Constant node's tensor (small ones only). */
export function constantTensorValues(t: OnnxTensorProto): number[] | null {
  const count = (t.dims ?? []).map(toNumber).reduce((a, b) => a * b, 1);
  if (count > MAX_INT_VALUES) return null;
  if (t.data_type === DataType.INT64 || t.data_type === DataType.INT32) {
    if (t.raw_data && t.raw_data.length > 0) {
      const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
      const width = t.data_type === DataType.INT64 ? 8 : 4;
      const out: number[] = [];
      for (let o = 0; o + width <= t.raw_data.length; o += width) out.push(width === 8 ? Number(view.getBigInt64(o, true)) : view.getInt32(o, true));
      return out;
    }
    return (t.data_type === DataType.INT64 ? t.int64_data ?? [] : t.int32_data ?? []).map(toNumber);
  }
  if (t.data_type === DataType.FLOAT) {
    if (t.raw_data && t.raw_data.length > 0) {
      const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
      const out: number[] = [];
      for (let o = 0; o + 4 <= t.raw_data.length; o += 4) out.push(view.getFloat32(o, true));
      return out;
    }
    return t.float_data ?? [];
  }
  return null;
}

export const dimsOf = (t: OnnxTensorProto): number[] => (t.dims ?? []).map(toNumber);
