/**
 * A flatbuffers ByteBuffer over a file that is read only where the reader looks: the buffer is the file's size
 * (zero pages the system does not commit until written) and each 64 KiB chunk is read from the source the first
 * time a table, vector or string in it is read. A .tflite holds its weights inline (VGG16's 528 MB), and the
 * operators, tensors and shapes the analysis needs are a small part of it.
 */
import { ByteBuffer } from 'flatbuffers';
import type { ByteSource } from './byteSource';

const CHUNK = 64 * 1024;

export class LazyByteBuffer extends ByteBuffer {
  private readonly loaded: Uint8Array;

  constructor(private readonly source: ByteSource) {
    super(new Uint8Array(source.size));
    this.loaded = new Uint8Array(Math.ceil(source.size / CHUNK));
  }

  /** Reads the chunks that hold [offset, offset + length) (clipped to the file). */
  ensure(offset: number, length: number): void {
    if (!(offset >= 0) || !(length > 0)) return;
    const last = Math.min(this.source.size, offset + length) - 1;
    for (let c = Math.floor(offset / CHUNK); c <= Math.floor(last / CHUNK); c++) {
      if (this.loaded[c]) continue;
      const start = c * CHUNK;
      this.bytes().set(this.source.read(start, Math.min(CHUNK, this.source.size - start)), start);
      this.loaded[c] = 1;
    }
  }

  override readUint8(offset: number): number {
    this.ensure(offset, 1);
    return super.readUint8(offset);
  }

  override readUint16(offset: number): number {
    this.ensure(offset, 2);
    return super.readUint16(offset);
  }

  override readInt32(offset: number): number {
    this.ensure(offset, 4);
    return super.readInt32(offset);
  }

  override __string(offset: number, encoding?: never): string | Uint8Array {
    const at = offset + this.readInt32(offset);
    this.ensure(at, 4 + Math.max(0, this.readInt32(at)));
    return encoding === undefined ? super.__string(offset) : super.__string(offset, encoding);
  }
}
