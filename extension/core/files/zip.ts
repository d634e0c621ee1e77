/**
 * A zip archive's directory and single entries, read by range: the central directory at the end, then only
 * the entries asked for (a .keras file's config.json, a PyTorch checkpoint's data.pkl), never the weights
 * stored beside them. Deflated entries are inflated with fflate; zip64 (checkpoints over 4 GB) is followed.
 */
import { inflateSync } from 'fflate';
import type { ByteSource } from './byteSource';
import { ModelFileError } from './diagnostics';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** CRC-32 the directory states for the entry's uncompressed bytes. */
  crc32: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A directory bigger than this is not a model file (PyTorch checkpoints list a few thousand entries). */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 0x100000000;

/** True when the bytes start like a zip archive (a local file header). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && u32(head, 0) === LOCAL;
}

export function readZipDirectory(source: ByteSource): ZipEntry[] {
  const tailLength = Math.min(source.size, 65557);
  const tail = source.read(source.size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ModelFileError(`${source.name}: not a zip archive, or a truncated one (no end-of-directory record)`);
  let count = u16(tail, at + 10);
  let dirSize = u32(tail, at + 12);
  let dirOffset = u32(tail, at + 16);
  const locatorAt = at - 20;
  if (locatorAt >= 0 && u32(tail, locatorAt) === ZIP64_LOCATOR) {
    const record = source.read(u64(tail, locatorAt + 8), 56);
    if (u32(record, 0) !== ZIP64_EOCD) throw new ModelFileError(`${source.name}: corrupt zip64 directory record`);
    count = u64(record, 32);
    dirSize = u64(record, 40);
    dirOffset = u64(record, 48);
  }
  if (dirSize > MAX_DIRECTORY_BYTES) throw new ModelFileError(`${source.name}: the zip directory is ${dirSize} bytes, too large for a model file`);
  const dir = source.read(dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.length || u32(dir, p) !== CENTRAL) throw new ModelFileError(`${source.name}: corrupt zip directory (entry ${i})`);
    const nameLength = u16(dir, p + 28);
    const extraLength = u16(dir, p + 30);
    const commentLength = u16(dir, p + 32);
    const entry: ZipEntry = {
      method: u16(dir, p + 10),
      compressedSize: u32(dir, p + 20),
      size: u32(dir, p + 24),
      localHeaderOffset: u32(dir, p + 42),
      crc32: u32(dir, p + 16),
      name: new TextDecoder().decode(dir.subarray(p + 46, p + 46 + nameLength)),
    };
    readZip64Extra(dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offsets of 0xFFFFFFFF are in the zip64 extra field, in this order. */
function readZip64Extra(extra: Uint8Array, entry: ZipEntry): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = u16(extra, q);
    const length = u16(extra, q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const take = (): number => {
        const v = u64(extra, r);
        r += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
    }
    q += 4 + length;
  }
}

/** Offset of an entry's data (after its local header). */
export function entryDataOffset(source: ByteSource, entry: ZipEntry): number {
  const header = source.read(entry.localHeaderOffset, 30);
  if (u32(header, 0) !== LOCAL) throw new ModelFileError(`${source.name}: corrupt zip entry ${entry.name}`);
  return entry.localHeaderOffset + 30 + u16(header, 26) + u16(header, 28);
}

/** The entry's bytes, inflated; refuses entries larger than `maxBytes` (bounded work on any file). */
export function readZipEntry(source: ByteSource, entry: ZipEntry, maxBytes: number): Uint8Array {
  if (entry.size > maxBytes) throw new ModelFileError(`${source.name}: ${entry.name} is ${entry.size} bytes, more than the ${maxBytes} CNN Inspector reads`);
  const data = source.read(entryDataOffset(source, entry), entry.compressedSize);
  if (entry.method !== 0 && entry.method !== 8) throw new ModelFileError(`${source.name}: ${entry.name} uses zip compression method ${entry.method}, which CNN Inspector does not read`);
  let out = data;
  if (entry.method === 8) {
    try {
      out = inflateSync(data, { out: new Uint8Array(entry.size) });
      if (out.length !== entry.size) throw new Error('size mismatch');
    } catch (error) {
      throw new ModelFileError(`${source.name}: ${entry.name} is corrupt (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  // A flipped bit in a stored (uncompressed) entry would otherwise be read as another model: PyTorch's and
  // Python's zip readers check the CRC too, and refuse the file.
  if (crc32(out) !== entry.crc32) throw new ModelFileError(`${source.name}: ${entry.name} is corrupt (its CRC-32 does not match the zip directory's)`);
  return out;
}

let crcTable: Uint32Array | null = null;

/** The zip format's CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
