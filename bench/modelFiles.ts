/**
 * npm run bench, model files: writes VGG16 with all its weights (138,357,544 float32 zeros, 528 MiB) as an
 * ONNX file (the torchvision graph in test/fixtures/files/vgg16_graph.onnx with its parameters turned into
 * initializers) and as a Keras .h5 (Keras Applications' VGG16 config as model_config, the weights as
 * model_weights datasets, written with h5wasm), then opens each with `cnn-inspect --format json` in a fresh
 * process: wall time and peak RSS of the whole process. The files are cached in the temp directory.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import descriptor from '../extension/core/files/onnx/onnx.proto.json';

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'files');
const DIR = join(tmpdir(), 'cnn-inspector-bench-files');
const CHUNK = new Uint8Array(1 << 20);

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function writeZeros(fd: number, bytes: number): void {
  for (let left = bytes; left > 0; left -= CHUNK.length) writeSync(fd, CHUNK, 0, Math.min(CHUNK.length, left));
}

/** The VGG16 graph with every weight graph input written as a float32 initializer of zeros (raw_data). */
function writeOnnx(path: string): void {
  const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  const ModelProto = root.lookupType('onnx.ModelProto');
  const GraphProto = root.lookupType('onnx.GraphProto');
  const TensorProto = root.lookupType('onnx.TensorProto');
  const model = ModelProto.toObject(ModelProto.decode(new Uint8Array(readFileSync(join(FIXTURES, 'vgg16_graph.onnx'))))) as { graph: { input: { name: string; type: { tensor_type: { shape: { dim: { dim_value: number }[] } } } }[] } };
  const graph = model.graph;
  const weights = graph.input.filter((i) => i.name !== 'input').map((i) => ({ name: i.name, dims: i.type.tensor_type.shape.dim.map((d) => Number(d.dim_value)) }));
  graph.input = graph.input.filter((i) => i.name === 'input');
  const graphBytes = GraphProto.encode(GraphProto.fromObject(graph)).finish();
  const records = weights.map((w) => {
    const header = TensorProto.encode(TensorProto.fromObject({ dims: w.dims, data_type: 1, name: w.name })).finish();
    const data = w.dims.reduce((a, b) => a * b, 1) * 4;
    const tensorPrefix = [...header, 0x4a, ...varint(data)];
    return { prefix: Uint8Array.from([0x2a, ...varint(tensorPrefix.length + data), ...tensorPrefix]), data };
  });
  const graphLength = graphBytes.length + records.reduce((a, r) => a + r.prefix.length + r.data, 0);
  const rest = ModelProto.encode(ModelProto.fromObject({ ...model, graph: undefined })).finish();
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, rest);
    writeSync(fd, Uint8Array.from([0x3a, ...varint(graphLength)]));
    writeSync(fd, graphBytes);
    for (const r of records) {
      writeSync(fd, r.prefix);
      writeZeros(fd, r.data);
    }
  } finally {
    closeSync(fd);
  }
}

interface KerasLayer {
  class_name: string;
  name: string;
  config: { filters?: number; kernel_size?: number[]; units?: number; name: string };
}

/** Keras's legacy .h5 layout: model_config on the root, model_weights/<layer>/<layer>/{kernel,bias}. */
async function writeH5(path: string): Promise<void> {
  const h5wasm = (await import('h5wasm/node' as string)).default as typeof import('h5wasm/node', { with: { 'resolution-mode': 'import' } }).default;
  await h5wasm.ready;
  const configText = readFileSync(join(FIXTURES, 'vgg16.keras_json'), 'utf8');
  const config = JSON.parse(configText) as { config: { layers: KerasLayer[] } };
  const file = new h5wasm.File(path, 'w');
  try {
    file.create_attribute('model_config', configText);
    file.create_attribute('keras_version', '3.15.1');
    file.create_attribute('backend', 'tensorflow');
    const weights = file.create_group('model_weights');
    let channels = 3;
    let spatial = 224;
    for (const layer of config.config.layers) {
      const name = layer.config.name ?? layer.name;
      const tensors: { tensor: string; shape: number[] }[] = [];
      if (layer.class_name === 'Conv2D') {
        const [kh, kw] = layer.config.kernel_size ?? [3, 3];
        tensors.push({ tensor: 'kernel', shape: [kh!, kw!, channels, layer.config.filters!] }, { tensor: 'bias', shape: [layer.config.filters!] });
        channels = layer.config.filters!;
      } else if (layer.class_name === 'MaxPooling2D') spatial /= 2;
      else if (layer.class_name === 'Flatten') channels = spatial * spatial * channels;
      else if (layer.class_name === 'Dense') {
        tensors.push({ tensor: 'kernel', shape: [channels, layer.config.units!] }, { tensor: 'bias', shape: [layer.config.units!] });
        channels = layer.config.units!;
      }
      if (tensors.length === 0) continue;
      const group = weights.create_group(name).create_group(name);
      for (const { tensor, shape } of tensors) writeZerosDataset(group, tensor, shape);
    }
  } finally {
    file.close();
  }
}

/** Writes a float32 dataset of zeros in slices of at most 4M values, so the writer stays small too. */
function writeZerosDataset(group: { create_dataset: (args: never) => { resize: (s: number[]) => number; write_slice: (r: never, d: Float32Array) => void } }, name: string, shape: number[]): void {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const rowsPerSlice = Math.max(1, Math.floor((4 << 20) / rowSize));
  const first = Math.min(rowsPerSlice, shape[0]!);
  const dataset = group.create_dataset({
    name,
    data: new Float32Array(first * rowSize),
    shape: [first, ...shape.slice(1)],
    maxshape: [shape[0]!, ...shape.slice(1)],
    chunks: [first, ...shape.slice(1)],
  } as never);
  if (first === shape[0]) return;
  dataset.resize(shape);
  for (let start = first; start < shape[0]!; start += rowsPerSlice) {
    const stop = Math.min(start + rowsPerSlice, shape[0]!);
    dataset.write_slice([[start, stop]] as never, new Float32Array((stop - start) * rowSize));
  }
}

interface Run {
  ms: number;
  maxRssBytes: number;
  params: number;
}

interface Steps {
  readMs: number;
  analyzeMs: number;
}

/** Reading and analysing alone, in a fresh process with TensorFlow.js already loaded (bench/modelFileWorker.ts). */
function steps(path: string): Steps {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'modelFileWorker.ts'), path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Steps;
}

/** One cnn-inspect run in a fresh process (dist/cli.js, as users run it). */
function inspect(path: string): Run {
  const rssFile = join(DIR, 'rss.txt');
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const out = execFileSync(process.execPath, ['--require', join(__dirname, 'rss-at-exit.cjs'), join(__dirname, '..', 'dist', 'cli.js'), path, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, CNN_BENCH_RSS_FILE: rssFile },
  });
  const ms = performance.now() - started;
  const report = JSON.parse(out) as { totals: { params: number } };
  return { ms, maxRssBytes: Number(readFileSync(rssFile, 'utf8')), params: report.totals.params };
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const files = [
    { label: 'VGG16 .onnx with weights', path: join(DIR, 'vgg16_weights.onnx'), write: async (p: string) => writeOnnx(p) },
    { label: 'VGG16 .h5 with weights', path: join(DIR, 'vgg16_weights.h5'), write: writeH5 },
  ];
  console.log('\n| model file | size | read (median of 3) | analyse | cnn-inspect, whole process | its peak RSS | params |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const f of files) {
    if (!existsSync(f.path) || statSync(f.path).size < 500e6) await f.write(f.path);
    inspect(f.path); // warm the page cache: the figure is the reader's work, not the disk's
    const runs = [inspect(f.path), inspect(f.path), inspect(f.path)].sort((a, b) => a.ms - b.ms);
    const mid = runs[1]!;
    const parts = [steps(f.path), steps(f.path), steps(f.path)];
    const read = parts.map((p) => p.readMs).sort((a, b) => a - b)[1]!;
    const analyse = parts.map((p) => p.analyzeMs).sort((a, b) => a - b)[1]!;
    const size = statSync(f.path).size;
    console.log(
      `| ${f.label} | ${(size / 2 ** 20).toFixed(0)} MiB | ${read.toFixed(0)} ms | ${analyse.toFixed(0)} ms | ${mid.ms.toFixed(0)} ms | ${(Math.max(...runs.map((r) => r.maxRssBytes)) / 1e6).toFixed(0)} MB | ${mid.params.toLocaleString('en-US')} |`,
    );
  }
}

void main();
