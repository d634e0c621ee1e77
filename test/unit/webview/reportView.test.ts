/**
 * The FLOP report view's page in a DOM (happy-dom), driven through its message handler as the host drives
 * it: which model, file and input it shows, the note when the active editor has no model, the empty state,
 * and names split for middle truncation with the whole name in the tooltip.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './dom';
import { report } from './fixtures';
import type { FromReport, ToReport } from '../../../extension/protocol';

let dom: Awaited<ReturnType<typeof installDom>>;
const posted: FromReport[] = [];

before(async () => {
  dom = await installDom();
  (globalThis as Record<string, unknown>).acquireVsCodeApi = () => ({ postMessage: (m: FromReport) => posted.push(m), getState: () => undefined, setState: () => undefined });
  // The page's script runs on load, as the webview runs it.
  require('../../../webview/report/main');
});
after(() => dom.remove());

function send(message: ToReport): void {
  window.dispatchEvent(new (window as unknown as { MessageEvent: typeof MessageEvent }).MessageEvent('message', { data: message }));
}

const settings = { flopsPerMac: 2 as const, numberFormat: 'exact' as const };

describe('the FLOP report page', () => {
  it('says it is ready, then shows the empty state the host sends', () => {
    assert.deepEqual(posted[0], { kind: 'report/ready' });
    send({ kind: 'report/empty', message: 'notes.py (the active editor) has no model CNN Inspector can read.' });
    assert.equal(document.querySelector('[data-testid=report-empty]')?.textContent, 'notes.py (the active editor) has no model CNN Inspector can read.');
  });

  it('GoogLeNet: its title, where it comes from and its input; ten heaviest layers split for middle truncation', async () => {
    const r = await report('googlenet');
    send({ kind: 'report/show', panelKey: 'zoo:googlenet', title: 'GoogLeNet (Inception v1)', origin: 'model zoo', note: null, report: r, settings });
    assert.equal(document.querySelector('[data-testid=report-model]')?.textContent, 'GoogLeNet (Inception v1)');
    assert.equal(document.querySelector('[data-testid=report-origin]')?.textContent, 'model zoo · input (None, 224, 224, 3)');
    assert.equal(document.querySelector('[data-testid=report-note]'), null);
    const bars = [...document.querySelectorAll('[data-testid=heaviest-layers] .bar')];
    assert.equal(bars.length, 10);
    for (const bar of bars) {
      const name = bar.getAttribute('data-label')!;
      const head = bar.querySelector('.head')!.textContent!;
      const tail = bar.querySelector('.tail')!.textContent!;
      assert.equal(head + tail, name);
      assert.ok(bar.getAttribute('title')!.startsWith(`${name} (Conv2D): `), bar.getAttribute('title')!);
    }
    assert.equal(document.querySelector('[data-testid=report-savings-summary]')?.textContent, '1×1 reductions save 2.84 GMACs: 4.19× fewer than naive');
  });

  it("labels a model that is not the active editor's", async () => {
    const r = await report('lenet5');
    send({ kind: 'report/show', panelKey: 'zoo:lenet5', title: 'LeNet-5', origin: 'model zoo', note: 'notes.py (the active editor) has no model CNN Inspector can read. Showing the last model instead.', report: r, settings });
    assert.match(document.querySelector('[data-testid=report-note]')?.textContent ?? '', /Showing the last model instead/);
    assert.equal(document.querySelector('[data-testid=report-origin]')?.textContent, 'model zoo · input (None, 32, 32, 1)');
  });

  it('a click on a layer asks the host to open it in its panel', () => {
    (document.querySelector('[data-testid=heaviest-layers] [data-layer]') as HTMLElement).click();
    const open = posted.find((m) => m.kind === 'report/openLayer');
    assert.equal(open?.kind === 'report/openLayer' && open.panelKey, 'zoo:lenet5');
  });

  it('an invalid message is reported to the host, not dropped', () => {
    send({ kind: 'report/show' } as unknown as ToReport);
    const last = posted.at(-1);
    assert.match(last?.kind === 'webview/error' ? last.message : '', /invalid "panelKey"/);
  });
});
