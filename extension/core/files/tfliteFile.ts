import type { ByteSource } from './byteSource';
import { ModelFileError } from './diagnostics';
import type { ModelFile, ReadFileOptions } from './types';

/** TFLite flatbuffers carry the file identifier "TFL3" at bytes 4–8. */
export function looksLikeTflite(head: Uint8Array): boolean {
  return head.length >= 8 && head[4] === 0x54 && head[5] === 0x46 && head[6] === 0x4c && head[7] === 0x33;
}

export function readTfliteFile(source: ByteSource, _options: ReadFileOptions = {}): ModelFile {
  throw new ModelFileError(`${source.name}: TFLite files are not read yet`);
}
