/**
 * "Columns…": a drop-down of checkboxes, one per column the table offers (the layer name always stays).
 * Plain `<details>` so it needs no script to open, closes on Escape and on a click elsewhere.
 */
import { COLUMNS } from '../shared/table';

export function columnChooser(chosen: readonly string[], onChange: (ids: string[]) => void): HTMLDetailsElement {
  const details = document.createElement('details');
  details.className = 'column-chooser';
  details.dataset.testid = 'column-chooser';
  const summary = document.createElement('summary');
  summary.textContent = 'Columns…';
  summary.title = 'Choose the table’s columns (remembered)';
  const list = document.createElement('div');
  list.className = 'column-list';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', 'Table columns');
  const selected = new Set(chosen);
  const boxes: HTMLInputElement[] = [];
  for (const c of COLUMNS) {
    if (c.id === 'name') continue;
    const label = document.createElement('label');
    label.title = c.description;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = c.id;
    box.checked = selected.has(c.id);
    box.dataset.column = c.id;
    box.addEventListener('change', () => {
      const on = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
      onChange(COLUMNS.filter((col) => col.id === 'name' || on.has(col.id)).map((col) => col.id));
    });
    boxes.push(box);
    label.append(box, ` ${c.title}`);
    list.append(label);
  }
  details.append(summary, list);
  details.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') details.open = false;
  });
  document.addEventListener('pointerdown', (e) => {
    if (details.open && !details.contains(e.target as Node)) details.open = false;
  });
  return details;
}

/** Ticks exactly the given columns (the choice the host remembered, arriving after the chooser was made). */
export function showChosenColumns(chooser: HTMLDetailsElement, ids: readonly string[]): void {
  const chosen = new Set(ids);
  for (const box of chooser.querySelectorAll<HTMLInputElement>('input[data-column]')) box.checked = chosen.has(box.value);
}
