/**
 * The split between table and diagram and the column chooser, in a DOM (happy-dom): modes hide a pane, the
 * keyboard moves the divider within its limits and the choice is reported to be remembered; the chooser
 * reports columns in table order with the name always first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { installDom } from './dom';
import { SplitView, type SplitState } from '../../../webview/panel/splitView';
import { columnChooser, showChosenColumns } from '../../../webview/panel/columnChooser';

let dom: Awaited<ReturnType<typeof installDom>>;
before(async () => {
  dom = await installDom();
});
after(() => dom.remove());

describe('the split view', () => {
  function mount(state: SplitState) {
    const table = document.createElement('div');
    const diagram = document.createElement('div');
    const changes: SplitState[] = [];
    const split = new SplitView(table, diagram, state, (s) => changes.push(s));
    document.body.append(split.element);
    return { split, table, diagram, changes, handle: split.element.querySelector('[data-testid=split-handle]') as HTMLElement };
  }

  it('shows both panes by default, one of them in the table or diagram mode, and remembers the mode', () => {
    const { split, table, diagram, handle, changes } = mount({ fraction: null, mode: 'both' });
    assert.deepEqual([table.hidden, diagram.hidden, handle.hidden], [false, false, false]);
    split.setMode('table');
    assert.deepEqual([table.hidden, diagram.hidden, handle.hidden], [false, true, true]);
    split.setMode('diagram');
    assert.deepEqual([table.hidden, diagram.hidden], [true, false]);
    assert.deepEqual(changes.map((c) => c.mode), ['table', 'diagram']);
  });

  it('arrow keys move the divider by 5 %, never beyond 15–85 %', () => {
    const { handle, changes, table } = mount({ fraction: 0.8, mode: 'both' });
    handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    assert.equal(changes.at(-1)?.fraction, 0.85);
    handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    assert.equal(changes.at(-1)?.fraction, 0.85);
    handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    assert.equal(changes.at(-1)?.fraction?.toFixed(2), '0.80');
    assert.match(table.style.flex, /^0\.8 1 0(px)?$/);
  });
});

describe('the split before the user drags it', () => {
  function at(width: number, natural: number): number {
    const table = document.createElement('div');
    const split = new SplitView(table, document.createElement('div'), { fraction: null, mode: 'both' }, () => undefined);
    // happy-dom has no layout: the panel's width is what the view would measure.
    split.element.getBoundingClientRect = () => ({ width, height: 800, left: 0, top: 0, right: width, bottom: 800, x: 0, y: 0, toJSON: () => ({}) }) as DOMRect;
    split.setNaturalWidth(natural);
    return Number(table.style.flex.split(' ')[0]);
  }

  it('gives the table its natural width, at most 80 % at 1,600 px; at 2,500 px the diagram keeps 400 px', () => {
    assert.equal(at(1600, 800), (800 + 20) / 1600);
    assert.equal(at(1600, 2056), 0.8);
    // 18 columns of ResNet-50 need 2,056 px (measured in the E2E layout test) + 20 for the scrollbar.
    assert.equal(at(2500, 2056), (2056 + 20) / 2500);
    assert.equal(at(2500, 3000), 1 - 400 / 2500);
    assert.equal(at(1600, 100), 0.35);
  });
});

describe('the column chooser', () => {
  it('offers every column but the name, checked as chosen, and reports the choice in table order', () => {
    const reported: string[][] = [];
    const chooser = columnChooser(['name', 'macs', 'type'], (ids) => reported.push(ids));
    document.body.append(chooser);
    const boxes = [...chooser.querySelectorAll('input[type=checkbox]')] as HTMLInputElement[];
    assert.equal(boxes.some((b) => b.value === 'name'), false);
    assert.deepEqual(boxes.filter((b) => b.checked).map((b) => b.value), ['type', 'macs']);
    const rf = boxes.find((b) => b.value === 'rf')!;
    rf.checked = true;
    rf.dispatchEvent(new Event('change'));
    const type = boxes.find((b) => b.value === 'type')!;
    type.checked = false;
    type.dispatchEvent(new Event('change'));
    assert.deepEqual(reported, [['name', 'type', 'macs', 'rf'], ['name', 'macs', 'rf']]);
  });

  it('shows a choice the host remembered, and later changes start from it', () => {
    const reported: string[][] = [];
    const chooser = columnChooser(['name', 'type'], (ids) => reported.push(ids));
    document.body.append(chooser);
    showChosenColumns(chooser, ['name', 'kernel', 'dilation', 'groups']);
    const boxes = [...chooser.querySelectorAll('input[type=checkbox]')] as HTMLInputElement[];
    assert.deepEqual(boxes.filter((b) => b.checked).map((b) => b.value), ['kernel', 'dilation', 'groups']);
    const padding = boxes.find((b) => b.value === 'padding')!;
    padding.checked = true;
    padding.dispatchEvent(new Event('change'));
    assert.deepEqual(reported, [['name', 'kernel', 'padding', 'dilation', 'groups']]);
  });
});
