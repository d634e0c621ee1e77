/**
 * A DOM for the webview code in plain Node (happy-dom): a document, the element classes and the frame
 * callbacks the views use, as globals. There is no layout, so sizes read as 0 and the views use their
 * fallbacks (the virtual table draws the rows of an 800 px view).
 */
import type { Window } from 'happy-dom' with { 'resolution-mode': 'import' };

const GLOBALS = [
  'document', 'HTMLElement', 'HTMLInputElement', 'HTMLTableElement', 'HTMLTableRowElement', 'HTMLDetailsElement', 'Node', 'Event',
  'CustomEvent', 'KeyboardEvent', 'MouseEvent', 'PointerEvent', 'DocumentFragment', 'ResizeObserver', 'requestAnimationFrame',
  'cancelAnimationFrame', 'getComputedStyle', 'CSS', 'DOMParser',
];

/** Installs a fresh DOM as globals; returns a function that removes it. */
export async function installDom(): Promise<{ window: Window; document: Document; remove(): void }> {
  // happy-dom is an ES module; the tests are CommonJS.
  const { Window: HappyWindow } = await import('happy-dom');
  const window = new HappyWindow({ url: 'https://webview.local/', width: 1600, height: 1000 });
  const g = globalThis as Record<string, unknown>;
  const w = window as unknown as Record<string, unknown>;
  for (const name of GLOBALS) {
    const value = w[name];
    g[name] = typeof value === 'function' && /^[a-z]/.test(name) ? (value as (...a: unknown[]) => unknown).bind(window) : value;
  }
  g.window = window;
  return {
    window,
    document: window.document as unknown as Document,
    remove: () => {
      for (const name of [...GLOBALS, 'window']) delete g[name];
      void window.happyDOM.close();
    },
  };
}
