// The panel from 600 px to 2,500 px wide, with every table column chosen (issue 8: "columns chosen by the
// user (remembered) … layouts that work from 600 px to 2,500 px wide"), in a real VS Code. The column choice
// made in one panel opens the next panel (the host remembers it).
// Needs `npm run package` first (dist/cnn-inspector.vsix).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { startVSCode, type VSCode } from './harness';

const VSIX = resolve(__dirname, '../../dist/cnn-inspector.vsix');
/** Every column the chooser offers (the layer name is always shown). */
const ALL = ['Layer', 'Type', 'Input shape', 'Output shape', 'Kernel', 'Stride', 'Padding', 'Dilation', 'Groups', 'Params', 'Trainable', 'Non-trainable', '% params', 'MACs', '% MACs', 'Activation', 'RF', 'Jump', 'Connected to'];

function panelFor(vs: VSCode, title: string): Promise<Frame> {
  return vs.webviewFrame(async (f) => (await f.locator('[data-testid=model-title]', { hasText: title }).count().catch(() => 0)) > 0, 60_000);
}

async function open(vs: VSCode, label: string): Promise<Frame> {
  await vs.runCommand('CNN Inspector: Show architecture');
  await vs.quickPick(label);
  const frame = await panelFor(vs, label);
  await frame.locator('table[data-testid=layer-table][data-complete="true"]').waitFor({ timeout: 60_000 });
  return frame;
}

/** What a layout test reads: the panel's width, where the panes are, which headers are cut, the toolbars. */
function measure(frame: Frame) {
  return frame.evaluate(() => {
    // No named functions in here: the test's TypeScript transform would wrap them in a helper the page lacks.
    const pane = document.querySelector('[data-testid=table-pane]') as HTMLElement;
    const p = pane.getBoundingClientRect();
    const ths = [...document.querySelectorAll('table.layers thead th')] as HTMLElement[];
    const buttons = [...document.querySelectorAll('.toolbar vscode-button, .table-toolbar vscode-button, .table-toolbar details')] as HTMLElement[];
    const width = document.documentElement.clientWidth;
    const d = (document.querySelector('[data-testid=diagram-pane]') as HTMLElement).getBoundingClientRect();
    return {
      width,
      headers: ths.map((th) => th.textContent ?? ''),
      cut: ths.filter((th) => th.getBoundingClientRect().right > p.right + 0.5).map((th) => th.textContent ?? ''),
      scrolls: pane.scrollWidth > pane.clientWidth + 1,
      table: { left: p.left, top: p.top, right: p.right, bottom: p.bottom },
      diagram: {
        left: d.left,
        top: d.top,
        width: d.width,
        height: d.height,
      },
      offscreenButtons: buttons.filter((b) => b.getBoundingClientRect().right > width + 0.5).map((b) => b.textContent ?? ''),
      font: parseFloat(getComputedStyle(document.querySelector('tr.layer td.col-name') as Element).fontSize),
    };
  });
}

describe('the panel at 600 px and 2,500 px with every column (real VS Code)', { timeout: 300_000 }, () => {
  let vs: VSCode;
  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
    vs = await startVSCode({ vsix: VSIX, theme: 'light', name: 'layouts', viewport: { width: 2548, height: 1000 } });
    // Only the activity bar (48 px) beside the editor: the panel is the viewport's width minus 48.
    await vs.runCommand('View: Close Primary Side Bar');
  });
  after(async () => {
    await vs?.close();
  });

  it('every column chosen in one panel opens the next one; 2,500 px: side by side, nothing cut', async () => {
    const vgg = await open(vs, 'VGG16');
    await vgg.locator('[data-testid=column-chooser] summary').click();
    // Every column but "Connected to", whose lists of producers grow with the model: 18 columns.
    for (const box of await vgg.locator('[data-testid=column-chooser] input[data-column]:not([data-column=connected])').all()) await box.check();
    await vgg.locator('[data-testid=column-chooser] summary').click();
    assert.deepEqual((await measure(vgg)).headers, ALL.slice(0, -1));

    // A new panel for another model starts with the columns chosen in the first.
    const resnet = await open(vs, 'ResNet-50');
    const wide = await measure(resnet);
    assert.deepEqual(wide.headers, ALL.slice(0, -1), 'the host remembered the choice');
    assert.ok(Math.abs(wide.width - 2500) <= 30, `panel ${wide.width} px wide`);
    assert.deepEqual(wide.cut, [], 'every column visible at 2,500 px');
    assert.equal(wide.scrolls, false);
    assert.ok(wide.diagram.left >= wide.table.right - 1, 'the diagram is beside the table');
    assert.ok(wide.diagram.width >= 390, `diagram ${wide.diagram.width} px wide`);
    assert.deepEqual(wide.offscreenButtons, []);
    // Dilation and groups of a real layer: res2a_branch2b is a 3×3 convolution, groups 1, no dilation.
    const row = resnet.locator('tr.layer[data-layer="res2a_branch2b"]');
    assert.deepEqual([await row.locator('td.col-kernel').textContent(), await row.locator('td.col-dilation').textContent(), await row.locator('td.col-groups').textContent()], ['3×3', '1×1', '1']);
    await vs.screenshot('layout-2500px-18-columns');
  });

  it('600 px, all 19 columns: the panes stack, the table scrolls sideways with the layer name kept in view, no button off screen', async () => {
    const frame = await panelFor(vs, 'ResNet-50');
    await frame.locator('[data-testid=column-chooser] summary').click();
    await frame.locator('[data-testid=column-chooser] input[data-column=connected]').check();
    await frame.locator('[data-testid=column-chooser] summary').click();
    await vs.page.setViewportSize({ width: 648, height: 1000 });
    await frame.waitForFunction(() => document.documentElement.clientWidth < 700);
    const narrow = await measure(frame);
    assert.ok(Math.abs(narrow.width - 600) <= 30, `panel ${narrow.width} px wide`);
    assert.deepEqual(narrow.headers, ALL);
    assert.ok(narrow.diagram.top >= narrow.table.bottom - 1, 'the diagram is below the table');
    assert.ok(narrow.diagram.height >= 150, `diagram ${narrow.diagram.height} px high`);
    assert.equal(narrow.scrolls, true, 'nineteen columns do not fit in 600 px: the table scrolls sideways');
    assert.deepEqual(narrow.offscreenButtons, [], 'the toolbars wrap');
    assert.ok(narrow.font >= 12, `table text ${narrow.font} px`);
    // Scrolled to the far right: the last column is reachable and the layer name is still beside it.
    const after = await frame.evaluate(() => {
      const pane = document.querySelector('[data-testid=table-pane]') as HTMLElement;
      pane.scrollLeft = pane.scrollWidth;
      const p = pane.getBoundingClientRect();
      const name = (document.querySelector('tr.layer[data-layer="conv1"] td.col-name') as HTMLElement).getBoundingClientRect();
      const last = (document.querySelector('table.layers thead th:last-child') as HTMLElement).getBoundingClientRect();
      return { scrolled: pane.scrollLeft, nameLeft: name.left - p.left, nameRight: name.right, lastRight: last.right - p.right };
    });
    assert.ok(after.scrolled > 0);
    assert.ok(Math.abs(after.nameLeft) <= 1, `the name column stays at the left edge (${after.nameLeft} px)`);
    assert.ok(after.lastRight <= 1, `the last column is in view (${after.lastRight} px past the edge)`);
    await vs.screenshot('layout-600px-all-columns');
  });
});
