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
      if (box.checked) selected.add(c.id);
      else selected.delete(c.id);
      onChange(COLUMNS.filter((col) => col.id === 'name' || selected.has(col.id)).map((col) => col.id));
    });
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
