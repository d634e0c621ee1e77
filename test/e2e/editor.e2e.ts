// Shapes in the editor, in a real VS Code: hovers over a Keras and a PyTorch Conv2D line, an inlay hint at
// the end of a layer line, a shape diagnostic in the Problems panel, and the CodeLens. Needs `npm run package`.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startVSCode, type VSCode } from './harness';

const VSIX = resolve(__dirname, '../../dist/cnn-inspector.vsix');
const FIXTURES = resolve(__dirname, '../fixtures/models');
const FILES = ['keras_mnist_convnet.py', 'pytorch_lenet.py', 'pytorch_mnist_mismatch.py'];

describe('model code in a real VS Code editor', { timeout: 300_000 }, () => {
  let vs: VSCode;
  const workspace = fs.mkdtempSync(join(tmpdir(), 'cnn-e2e-models-'));

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
    for (const file of FILES) fs.copyFileSync(join(FIXTURES, file), join(workspace, file));
    vs = await startVSCode({ vsix: VSIX, workspaceFolder: workspace, theme: 'dark', name: 'editor', viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('hovering a Keras Conv2D shows its shapes, params and MACs with the formula', async () => {
    await vs.openFile('keras_mnist_convnet.py');
    // The inlay hints appear once the file is analysed; hovering before that would race the first analysis.
    await vs.page.locator('.editor-group-container.active .view-line', { hasText: '(None, 26, 26, 32)' }).first().waitFor({ timeout: 30_000 });
    // Line 16: layers.Conv2D(32, kernel_size=(3, 3), activation="relu") on a 28×28×1 input.
    const text = await vs.step('hover Conv2D', () => vs.hover(16, 17, /Conv2D/));
    assert.match(text, /\(None, 26, 26, 32\)/);
    assert.match(text, /Params 320 = 3·3·1·32 \+ 32/);
    assert.match(text, /MACs 194,688/); // 26·26·32·3·3·1
    await vs.screenshot('editor-keras-hover');
  });

  it('an inlay hint shows the output shape at the end of a layer line', async () => {
    const line = vs.page.locator('.editor-group-container.active .view-line', { hasText: '(None, 11, 11, 64)' });
    await line.first().waitFor({ timeout: 30_000 });
  });

  it('hovering a PyTorch Conv2d shows NCHW shapes and PyTorch\'s parameter count', async () => {
    await vs.openFile('pytorch_lenet.py');
    await vs.page.locator('.editor-group-container.active .view-line', { hasText: '(N, 6, 28, 28)' }).first().waitFor({ timeout: 30_000 });
    // Line 10: self.conv1 = nn.Conv2d(3, 6, 5) on the file's example input torch.randn(4, 3, 32, 32).
    const text = await vs.step('hover Conv2d', () => vs.hover(10, 24, /Conv2d|Conv2D/));
    assert.match(text, /\(N, 6, 28, 28\)/);
    assert.match(text, /Params 456 = 5·5·3·6 \+ 6/);
    await vs.screenshot('editor-pytorch-hover');
  });

  it('the CodeLens above the model opens its architecture panel', async () => {
    const lens = vs.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Show architecture of Net' });
    await vs.step('lens shown', () => lens.first().waitFor({ timeout: 30_000 }));
    await lens.first().click();
    const frame = await vs.webviewFrame(async (f) => (await f.locator('[data-testid=model-title]', { hasText: 'Net' }).count().catch(() => 0)) > 0, 60_000);
    await frame.locator('table[data-testid=layer-table][data-complete="true"]').waitFor({ timeout: 60_000 });
    assert.match((await frame.locator('[data-testid=total-params]').textContent()) ?? '', /62,006/);
    await vs.screenshot('editor-codelens-panel');
    await vs.runCommand('View: Close All Editors');
  });

  it('a Linear whose in_features do not match is an error in the Problems panel, found before running', async () => {
    await vs.openFile('pytorch_mnist_mismatch.py');
    await vs.runCommand('View: Toggle Problems');
    const problem = vs.page.locator('.markers-panel', { hasText: 'mat1 and mat2 shapes cannot be multiplied' });
    await vs.step('problem listed', () => problem.first().waitFor({ timeout: 30_000 }));
    await vs.screenshot('editor-pytorch-problem');
  });

  it('the FLOP report follows the active editor\'s model', async () => {
    await vs.runCommand('CNN Inspector: Show FLOP report');
    const report = await vs.webviewFrame(async (f) => (await f.locator('[data-testid=report-model]', { hasText: 'MnistNet' }).count().catch(() => 0)) > 0, 30_000);
    assert.equal(await report.locator('[data-testid=heaviest-layers] [data-layer]').count() > 0, true);
    await vs.screenshot('editor-flop-report-follows');
  });

});
