/**
 * Hostile model files through cnn-inspect (issue 7): damaged copies of the committed fixtures (made by the real
 * tools: Keras 3.15, torch 2.13, TensorFlow 2.21's converter) and hand-made ones: a protobuf 100,000 graphs deep,
 * a field declaring 2^40 bytes, a zip bomb, pickles that ask for os.system, an HDF5 file with a link cycle
 * (test/fixtures/file-corpus/hostile/, made by scripts/files/make_file_corpus.py's make_hostile with h5py 3 and
 * Python's pickle). Each must give exit 0 or 1 (1 where the file cannot be read), error lines that name the
 * file, no stack trace, no internal error, and never run what the file asks for. The larger set made from the
 * real tools' corpus runs with `node --import tsx scripts/files/score_file_corpus.ts --hostile`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import { runCli } from '../../../extension/cli/main';
import { fixture } from './helpers';

const HOSTILE = join(__dirname, '..', '..', 'fixtures', 'file-corpus', 'hostile');
/** The command torch_os_system*.p* would run: `touch` this path. */
const PWNED = '/tmp/cnn-inspector-hostile-pwned';
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;
const tmp = mkdtempSync(join(tmpdir(), 'cnn-hostile-files-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const field = (number: number, payload: number[]): number[] => [...varint((number << 3) | 2), ...varint(payload.length), ...payload];

/** ModelProto.graph → node If → attribute then_branch → graph → … `depth` levels, each a prefix of the next. */
function nestedGraph(depth: number): Uint8Array {
  const sizes = [0];
  const attrHead = [...field(1, ascii('then_branch')), ...varint(20 << 3), 5];
  const nodeHead = field(4, ascii('If'));
  for (let i = 0; i < depth; i++) {
    const g = sizes.at(-1)!;
    const attribute = attrHead.length + 1 + varint(g).length + g;
    const node = nodeHead.length + 1 + varint(attribute).length + attribute;
    sizes.push(1 + varint(node).length + node);
  }
  const out: number[] = [8, 8, ...varint((7 << 3) | 2), ...varint(sizes.at(-1)!)];
  for (let i = depth; i > 0; i--) {
    const g = sizes[i - 1]!;
    const attribute = attrHead.length + 1 + varint(g).length + g;
    const node = nodeHead.length + 1 + varint(attribute).length + attribute;
    out.push(0x0a, ...varint(node), ...nodeHead, 0x2a, ...varint(attribute), ...attrHead, 0x32, ...varint(g));
  }
  return Uint8Array.from(out);
}

/** A zip with one deflated config.json of `size` spaces whose directory says it inflates to `declared` bytes. */
function zipBomb(size: number, declared = size): Uint8Array {
  const body = deflateSync(new Uint8Array(size).fill(0x20), { level: 9 });
  const name = Buffer.from('config.json');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(0, 14); // CRC-32 left 0: the reader must stop at the size, or at the CRC, never run out of memory
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + body.length, 16);
  const parts = [local, name, body, central, name, end].map((b) => Uint8Array.from(b));
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  parts.reduce((at, b) => (out.set(b, at), at + b.length), 0);
  return out;
}

/** Seeded bit flips, so a failure can be replayed. */
function bitFlips(data: Uint8Array, count: number, seed: number): Uint8Array {
  const out = Uint8Array.from(data);
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i++) out[next() % out.length]! ^= 1 << next() % 8;
  return out;
}

interface Case {
  name: string;
  bytes: Uint8Array;
  /** 'error': the file cannot be read (exit 1); 'any': the reader may read what it needs around the damage. */
  expect: 'error' | 'any';
}

const cases: Case[] = [];
for (const source of ['torch_small_bn.onnx', 'torch_dynamo_gap.onnx', 'keras_small.keras', 'keras_small.h5', 'keras_small.tflite', 'torch_small_state_dict.pth', 'torch_small_module.pt', 'keras_small.model.json']) {
  const data = new Uint8Array(readFileSync(fixture(source)));
  const [stem, ext] = [source.slice(0, source.indexOf('.')), source.slice(source.indexOf('.'))];
  cases.push({ name: `${stem}.truncated_half${ext}`, bytes: data.subarray(0, data.length >> 1), expect: 'error' });
  cases.push({ name: `${stem}.truncated_100${ext}`, bytes: data.subarray(0, 100), expect: 'error' });
  cases.push({ name: `${stem}.tail_only${ext}`, bytes: data.subarray(data.length >> 1), expect: ext === '.model.json' ? 'error' : 'error' });
  for (const seed of [1, 2, 3]) cases.push({ name: `${stem}.bitflips${seed}${ext}`, bytes: bitFlips(data, 32, seed), expect: 'any' });
  const magic = Uint8Array.from(data);
  magic.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  cases.push({ name: `${stem}.wrong_magic${ext}`, bytes: magic, expect: 'error' });
}
cases.push({ name: 'onnx_nested_100k.onnx', bytes: nestedGraph(100_000), expect: 'error' });
cases.push({ name: 'onnx_length_lies.onnx', bytes: Uint8Array.from([...varint((7 << 3) | 2), ...varint(2 ** 40), 0x0a, 0x02, 0x61, 0x62]), expect: 'error' });
cases.push({ name: 'keras_zip_bomb.keras', bytes: zipBomb(80 * 1024 * 1024), expect: 'error' });
cases.push({ name: 'keras_zip_bomb_lying.keras', bytes: zipBomb(80 * 1024 * 1024, 100), expect: 'error' });
cases.push({ name: 'torch_pickle_deep.pth', bytes: Uint8Array.from([0x80, 0x02, ...new Array(200_000).fill(0x28), ...new Array(200_000).fill(0x6c), 0x2e]), expect: 'error' });
cases.push({ name: 'empty.onnx', bytes: new Uint8Array(0), expect: 'error' });
for (const name of ['h5_cycle.h5', 'torch_os_system.pth', 'torch_os_system_legacy.pt', 'onnx_huge_dims.onnx', 'keras_deep_config.keras', 'tfjs_traversal.json']) {
  cases.push({ name, bytes: new Uint8Array(readFileSync(join(HOSTILE, name))), expect: name.startsWith('keras_deep') ? 'error' : 'any' });
}

async function cli(path: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([path, '--format', 'json'], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('hostile model files through cnn-inspect', () => {
  for (const c of cases) {
    it(`${c.name}: exit ${c.expect === 'error' ? '1' : '0 or 1'}, error lines name the file, no stack trace`, { timeout: 60_000 }, async () => {
      const path = join(tmp, c.name);
      writeFileSync(path, c.bytes);
      const { code, err } = await cli(path);
      assert.ok(code === 0 || code === 1, `exit ${code}: ${err}`);
      if (c.expect === 'error') assert.equal(code, 1, err);
      assert.doesNotMatch(err, STACK_TRACE);
      assert.doesNotMatch(err, /internal error/i);
      for (const line of err.split('\n').filter((l) => /error: /.test(l))) assert.ok(line.includes(path), line);
      if (code === 1) assert.match(err, /error: /);
      assert.equal(existsSync(PWNED), false, `${PWNED} exists: the file's os.system call ran`);
    });
  }

  it('a pickle that asks for os.system is reported by name and never run', async () => {
    for (const name of ['torch_os_system.pth', 'torch_os_system_legacy.pt']) {
      const { err } = await cli(join(HOSTILE, name));
      assert.match(err, /posix\.system/);
      assert.equal(existsSync(PWNED), false);
    }
  });
});
