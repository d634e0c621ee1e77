// Model files in a real VS Code: files made by the real tools (test/fixtures/files, see its make script)
// open in CNN Inspector's read-only custom editor, and the panel's totals are the CLI's for the same file.
// A corrupt file shows one located message in the panel, never a blank one.
// Needs `npm run package` first (dist/cnn-inspector.vsix) and `npm run build` (dist/cli.js) for the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { startVSCode, type VSCode } from './harness';

const ROOT = resolve(__dirname, '../..');
const VSIX = join(ROOT, 'dist/cnn-inspector.vsix');
const FIXTURES = join(ROOT, 'test/fixtures/files');

/** The CLI's JSON report for a file (exit code too: 1 when the report is incomplete). */
function cli(file: string): { code: number | null; json: { model: string; totals: { params: number; macs: number | null } } } {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin/cnn-inspect.js'), file, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, json: JSON.parse(run.stdout) };
}

/** The first number in a header total ("25,610,152 (25.6 M)" → 25610152). */
const firstNumber = (text: string | null): number => Number(/[\d,]+/.exec(text ?? '')?.[0]?.replace(/,/g, '') ?? NaN);

function panelWith(vs: VSCode, title: string): Promise<Frame> {
  return vs.webviewFrame(async (f) => (await f.locator('[data-testid=model-title]', { hasText: title }).count().catch(() => 0)) > 0, 60_000);
}

// Every format the custom editor opens; the last three are only an option in VS Code, made the default here
// by the user setting `workbench.editorAssociations`, as a user who opens them often would.
const FILES = ['resnet50_bn.onnx', 'keras_small.keras', 'keras_small.h5', 'keras_small.tflite', 'keras_small.model.json'];

describe('model files in the custom editor (real VS Code)', { timeout: 420_000 }, () => {
  let vs: VSCode;
  const workspace = fs.mkdtempSync(join(tmpdir(), 'cnn-e2e-files-'));
  for (const f of [...FILES, 'torch_small_state_dict.pth']) fs.copyFileSync(join(FIXTURES, f), join(workspace, f));
  // Corrupt copies of real files: cut short.
  const h5 = new Uint8Array(fs.readFileSync(join(FIXTURES, 'keras_small.h5')));
  fs.writeFileSync(join(workspace, 'cut.h5'), h5.subarray(0, 3000));
  const onnx = new Uint8Array(fs.readFileSync(join(FIXTURES, 'torch_small_bn.onnx')));
  fs.writeFileSync(join(workspace, 'cut.onnx'), onnx.subarray(0, Math.floor(onnx.length / 2)));

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
    vs = await startVSCode({
      vsix: VSIX,
      theme: 'dark',
      name: 'model-files',
      workspaceFolder: workspace,
      viewport: { width: 1600, height: 1000 },
      settings: {
        'workbench.editorAssociations': { '*.h5': 'cnnInspector.modelFileOption', '*.pth': 'cnnInspector.modelFileOption', '*.model.json': 'cnnInspector.modelFileOption' },
      },
    });
  });
  after(async () => {
    await vs?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  for (const file of FILES) {
    it(`${file}: the panel's parameters and MACs are the CLI's`, async () => {
      await vs.step(`open ${file}`, async () => {
        const expected = cli(join(workspace, file));
        assert.equal(expected.code, 0);
        await vs.quickOpen(file);
        const frame = await panelWith(vs, expected.json.model);
        await frame.locator('table[data-testid=layer-table][data-complete="true"]').waitFor({ timeout: 60_000 });
        assert.equal(firstNumber(await frame.locator('[data-testid=total-params]').textContent()), expected.json.totals.params);
        assert.equal(firstNumber(await frame.locator('[data-testid=total-macs]').textContent()), expected.json.totals.macs);
        assert.ok((await frame.locator('tr.layer').count()) > 0);
        await vs.screenshot(`model-file-${file.replace(/\./g, '-')}`);
        await vs.runCommand('View: Close All Editors');
      });
    });
  }

  it('a PyTorch state dict: the panel says it holds parameters, not a graph, with the CLI\'s count', async () => {
    await vs.step('state dict', async () => {
      const expected = cli(join(workspace, 'torch_small_state_dict.pth'));
      assert.equal(expected.code, 1, 'the CLI says the report is incomplete');
      await vs.quickOpen('torch_small_state_dict.pth');
      const frame = await vs.webviewFrame(async (f) => (await f.locator('[data-testid=analysis-error]:visible').count().catch(() => 0)) > 0, 60_000);
      const text = (await frame.locator('[data-testid=analysis-error]').textContent()) ?? '';
      assert.match(text, /^torch_small_state_dict\.pth holds parameters, not a graph: /);
      assert.equal(firstNumber(text.replace(/^[^:]*: /, '')), expected.json.totals.params);
      await vs.runCommand('View: Close All Editors');
    });
  });

  for (const [file, why] of [
    // Located: the file's path, then what is wrong with it.
    ['cut.h5', /^\/.*\/cut\.h5: HDF5 could not read the file; it is truncated or corrupt \(H5F__super_read\(\): truncated file: eof = 3000, .*stored_eof = 12888\)$/],
    ['cut.onnx', /^\/.*\/cut\.onnx: the protobuf is truncated \(a field runs past the end\)$/],
  ] as const) {
    it(`a corrupt ${file}: one located message in the panel, never a blank panel`, async () => {
      await vs.step(`corrupt ${file}`, async () => {
        await vs.quickOpen(file);
        const frame = await vs.webviewFrame(async (f) => (await f.locator('[data-testid=analysis-error]:visible').count().catch(() => 0)) > 0, 60_000);
        const banner = frame.locator('[data-testid=analysis-error]');
        const text = (await banner.textContent()) ?? '';
        assert.match(text, why);
        assert.doesNotMatch(text, /Internal error|HDF5-DIAG/);
        const box = await banner.boundingBox();
        assert.ok(box && box.height >= 12 && box.width >= 200, `the message is on screen (${JSON.stringify(box)})`);
        assert.ok(((await frame.locator('[data-testid=model-title]').textContent()) ?? '').length > 0, 'the panel has its title');
        await vs.screenshot(`model-file-corrupt-${file.replace(/\./g, '-')}`);
        await vs.runCommand('View: Close All Editors');
      });
    });
  }
});
