/**
 * HDF5 prints its whole error stack ("HDF5-DIAG: Error detected…") from inside the wasm module on a corrupt
 * .h5. The CLI's real stderr, from a real process, must carry only our one located line, naming what HDF5 found.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hdf5Cause } from '../../../extension/core/files/h5Stdio';
import { fixture } from './helpers';

const root = join(__dirname, '../../..');

function cli(...argv: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'extension/cli/bin.ts'), ...argv], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

it('a truncated .h5 (keras_small.h5 cut at 3,000 bytes): one located stderr line with HDF5\'s cause, no HDF5-DIAG dump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-h5-stderr-'));
  try {
    const cut = join(dir, 'cut.h5');
    const whole = new Uint8Array(readFileSync(fixture('keras_small.h5')));
    writeFileSync(cut, whole.subarray(0, 3000));
    const run = cli(cut);
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /HDF5-DIAG|major:|minor:/);
    assert.doesNotMatch(run.stdout, /HDF5-DIAG/);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', new RegExp(`^cnn-inspect: error: .*cut\\.h5: HDF5 could not read the file; it is truncated or corrupt \\(H5F__super_read\\(\\): truncated file: eof = 3000, .*stored_eof = ${whole.length}\\)$`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a good .h5 read after a corrupt one still reads, and its stdout is the report alone', () => {
  const run = cli(fixture('keras_small.h5'), '--format', 'json');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(JSON.parse(run.stdout).framework, 'keras');
});

it('hdf5Cause takes the innermost frame of the first stack', () => {
  const diag = [
    'HDF5-DIAG: Error detected in HDF5 (2.0.0):',
    '  #000: /src/H5F.c line 821 in H5Fopen(): unable to synchronously open file',
    '    major: File accessibility',
    '  #001: /src/H5Fsuper.c line 577 in H5F__super_read(): truncated file: eof = 3000',
    'HDF5-DIAG: Error detected in HDF5 (2.0.0):',
    '  #000: /src/H5O.c line 158 in H5Oopen(): unable to synchronously open object',
  ].join('\n');
  assert.equal(hdf5Cause(diag), 'H5F__super_read(): truncated file: eof = 3000');
  assert.equal(hdf5Cause('nothing here'), null);
});
