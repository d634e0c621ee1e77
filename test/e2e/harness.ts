// E2E harness: a packaged .vsix in a real VS Code (code-server 4.96.4 = VS Code
// 1.96 with a Node extension host), driven by Playwright in Debian's Chromium.
//
//   const vs = await startVSCode({ vsix, workspaceFolder, theme: 'dark' });
//   await vs.runCommand('CNN Inspector: Show Model');
//   const frame = await vs.webviewFrame('Conv2D');
//   await vs.close();
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

const E2E_DIR = __dirname;
const REPO = resolve(E2E_DIR, '../..');
const CS_VERSION = '4.96.4';
const CS_ROOT = join(process.env.CNN_E2E_CACHE ?? join(REPO, '.e2e-cache'), `code-server-${CS_VERSION}`);
const CS_ENTRY = join(CS_ROOT, 'node_modules/code-server/out/node/entry.js');
export const SCREENSHOT_DIR = join(E2E_DIR, 'screenshots');
const FAILURE_DIR = join(E2E_DIR, '.work/failures');

const CHROMIUM = process.env.CNN_E2E_CHROMIUM ?? '/usr/bin/chromium';
// The background-networking flags stop Chromium from calling home (no internet here).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

// Keep dialogs, walkthroughs and network calls away; tests may override any of these.
const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.reduceMotion': 'on', // no fade-ins half-way through screenshots
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'json.schemaDownload.enable': false,
};

export interface StartOptions {
  /** Packaged extension(s) to install before VS Code starts. */
  vsix: string | string[];
  /** Folder to open; a fresh empty temp folder when omitted. */
  workspaceFolder?: string;
  theme?: 'dark' | 'light' | 'high-contrast';
  /** Extra user settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Used to name failure artifacts. */
  name?: string;
}

export type FrameMatch = string | RegExp | ((frame: Frame) => boolean | Promise<boolean>);

export interface VSCode {
  page: Page;
  browser: Browser;
  url: string;
  workspaceFolder: string;
  /** Command palette: type the full title ("Category: Title") and run it. */
  runCommand(title: string): Promise<void>;
  /** Pick the item with this exact label in the open quick pick; resolves to the wall-clock ms of the click. */
  quickPick(label: string): Promise<number>;
  /** Quick Open (Ctrl+P) a file relative to the workspace; waits for its editor. */
  openFile(relPath: string): Promise<void>;
  /** Quick Open a file that opens in a custom editor (no text editor to wait for): waits for its active tab. */
  quickOpen(relPath: string): Promise<void>;
  /** The Frame with a webview's content, found by its text or a predicate. */
  webviewFrame(match: FrameMatch, timeoutMs?: number): Promise<Frame>;
  /** Move the cursor to line:column (1-based), show the hover, return its text. */
  hover(line: number, column: number, expect?: string | RegExp): Promise<string>;
  /** Save test/e2e/screenshots/<name>.png; returns the path. */
  screenshot(name: string): Promise<string>;
  /** code-server output, VS Code's server/extension-host logs and browser console. */
  logs(): string;
  /** Run fn; on failure save a screenshot and logs, print the log tail, rethrow. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Close the browser and kill code-server and all its children. */
  close(): Promise<void>;
}

/** Runs the (idempotent, cached) installer; a no-op taking ~60 ms once installed. */
export function ensureCodeServer(): void {
  const r = spawnSync('bash', [join(E2E_DIR, 'install-code-server.sh')], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`install-code-server.sh failed (exit ${r.status ?? r.signal})`);
}

export async function startVSCode(opts: StartOptions): Promise<VSCode> {
  ensureCodeServer();
  const name = opts.name ?? 'vscode';
  const root = fs.mkdtempSync(join(tmpdir(), 'cnn-e2e-'));
  const dirs = { userData: join(root, 'user-data'), extensions: join(root, 'extensions') };
  const workspaceFolder = resolve(opts.workspaceFolder ?? join(root, 'workspace'));
  fs.mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.mkdirSync(join(root, 'tmp'));
  fs.mkdirSync(workspaceFolder, { recursive: true });
  const theme = { dark: 'Default Dark Modern', light: 'Default Light Modern', 'high-contrast': 'Default High Contrast' }[opts.theme ?? 'light'];
  const settings = { ...BASE_SETTINGS, 'workbench.colorTheme': theme, ...opts.settings };
  fs.writeFileSync(join(dirs.userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  // Without --config, code-server writes ~/.config/code-server/config.yaml.
  const config = join(root, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const common = ['--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const env: NodeJS.ProcessEnv = {
    ...withoutVSCodeVars(process.env),
    EXTENSIONS_GALLERY: '{"serviceUrl":""}', // no marketplace (offline, and not wanted)
    // Keep what VS Code leaves behind (e.g. vscode-ipc-*.sock) inside `root`.
    TMPDIR: join(root, 'tmp'),
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
  };

  const output: string[] = [];
  const consoleLines: string[] = [];
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let startPage: Page | undefined; // for a screenshot if startup fails
  let closed = false;

  const logSections = (): Array<[string, string]> => [
    ['code-server output', output.join('')],
    ...vscodeLogFiles(dirs.userData).map((f): [string, string] =>
      [relative(dirs.userData, f), fs.readFileSync(f, 'utf8')]),
    ['browser console (warnings, errors)', consoleLines.join('\n')],
  ];
  const logs = (): string => logSections().map(([t, text]) => `=== ${t} ===\n${text}`).join('\n');

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined) {
      await killTree(server.pid);
      live.delete(server.pid);
    }
    if (!process.env.CNN_E2E_KEEP) fs.rmSync(root, { recursive: true, force: true });
  };

  try {
    for (const vsix of [opts.vsix].flat()) {
      // An unpacked folder is not picked up by code-server: it must be a .vsix.
      const r = spawnSync(process.execPath, [CS_ENTRY, ...common, '--install-extension', resolve(vsix)],
        { env, encoding: 'utf8' });
      output.push(`$ install ${vsix}\n${r.stdout}${r.stderr}`);
      if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
        throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      }
    }

    // Port 0: the kernel picks a free port, code-server prints it. No race.
    server = spawn(process.execPath, [CS_ENTRY, ...common, '--auth', 'none',
      '--bind-addr', '127.0.0.1:0', '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', workspaceFolder],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(server.pid!);
    server.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
    server.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
    let exited: string | undefined;
    server.on('exit', (code, signal) => { exited = `code-server exited (${code ?? signal})`; });
    let url = '';
    await waitFor(() => {
      if (exited) throw new Error(exited);
      url = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''))?.[1] ?? '';
      return url !== '';
    }, 30_000, 'code-server to listen');

    // The same env keeps Chromium's crash-report files out of ~/.config.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, env });
    const context = await browser.newContext({
      viewport: opts.viewport ?? { width: 1280, height: 800 },
      colorScheme: opts.theme === 'light' || opts.theme === undefined ? 'light' : 'dark',
    });
    const page = await context.newPage();
    startPage = page;
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));

    await page.goto(`${url}/?folder=${encodeURIComponent(workspaceFolder)}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    // The remote extension host logs this once startup activation is done.
    await waitFor(() => vscodeLogFiles(dirs.userData).some((f) => f.endsWith('remoteexthost.log') &&
      fs.readFileSync(f, 'utf8').includes('Eager extensions activated')), 60_000, 'extension host');

    const vs: VSCode = {
      page, browser, url, workspaceFolder, logs, close,
      runCommand: (title) => runCommand(page, title),
      quickPick: (label) => quickPick(page, label),
      openFile: (relPath) => openFile(page, workspaceFolder, relPath),
      quickOpen: async (relPath) => {
        await openQuickInput(page, ['Control+P']);
        await page.locator(QUICK_INPUT_BOX).fill(relPath);
        await clickQuickInputRow(page, basename(relPath), 'file');
        await page.locator('.tabs-container .tab.active', { hasText: basename(relPath) }).waitFor();
      },
      webviewFrame: (match, timeoutMs) => webviewFrame(page, match, timeoutMs),
      hover: (line, column, expect) => hover(page, line, column, expect),
      screenshot: async (shot) => {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${shot}.png`);
        await page.screenshot({ path, animations: 'disabled' });
        return path;
      },
      step: async (stepName, fn) => {
        try {
          return await fn();
        } catch (err) {
          await saveFailure(`${name}-${stepName}`, logSections(), page);
          throw err;
        }
      },
    };
    return vs;
  } catch (err) {
    await saveFailure(`${name}-startup`, logSections(), startPage);
    await close();
    throw err;
  }
}

// ---- UI helpers -----------------------------------------------------------

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;

/** Presses keys that open a quick input. Tries each key twice: a key press can
 *  land inside a webview or before the workbench has focus; blurring the
 *  focused element hands the keys back to the workbench. */
async function openQuickInput(page: Page, keys: string[]): Promise<void> {
  for (const key of [...keys, ...keys]) {
    await page.keyboard.press(key);
    try {
      await page.locator(QUICK_INPUT_BOX).waitFor({ state: 'visible', timeout: 3_000 });
      return;
    } catch {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    }
  }
  throw new Error(`no quick input opened on ${keys.join(' / ')}`);
}

/** Clicks the quick-input row whose label (its .label-name) is exactly `label`;
 *  if there is none, fails listing the rows that are there. */
/** Clicks the row; returns the wall-clock time (ms) of the click, for timing what follows. */
async function clickQuickInputRow(page: Page, label: string, what: string): Promise<number> {
  const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
  const row = rows.filter({ has: page.locator('.label-name').getByText(label, { exact: true }) }).first();
  try {
    await row.waitFor({ timeout: 10_000 });
  } catch {
    const seen = await rows.locator('.label-name').allInnerTexts();
    await page.keyboard.press('Escape');
    throw new Error(`${what} "${label}" not found; the list shows ${JSON.stringify(seen)}`);
  }
  const chosenAt = Date.now();
  await row.click();
  return chosenAt;
}

async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await openQuickInput(page, ['F1', 'Control+Shift+P']);
    try {
      await page.locator(QUICK_INPUT_BOX).fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (error) {
      // The palette can close again as it opens when a webview takes the focus at that moment (seen once in a
      // fresh-clone CI run under load): open it again, up to three times.
      if (attempt === 3) throw error;
    }
  }
  await clickQuickInputRow(page, title, 'command');
}

async function quickPick(page: Page, label: string): Promise<number> {
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible' });
  await input.fill(label); // the list is virtual: filter so the row is rendered
  return clickQuickInputRow(page, label, 'quick pick item');
}

async function openFile(page: Page, workspaceFolder: string, relPath: string): Promise<void> {
  await openQuickInput(page, ['Control+P']);
  await page.locator(QUICK_INPUT_BOX).fill(relPath);
  // Quick Open rows: label = file name, description = folder; typing the whole
  // path puts the right one first, and the editor's URI is checked below.
  const want = resolve(workspaceFolder, relPath);
  await clickQuickInputRow(page, basename(relPath), 'file');
  // The editor's DOM node carries its model URI.
  await page.locator(`.editor-instance .monaco-editor[data-uri$="${encodeURI(want)}"]`).waitFor();
}

async function webviewFrame(page: Page, match: FrameMatch, timeoutMs = 20_000): Promise<Frame> {
  const bodyText = (f: Frame): Promise<string> => f.locator('body').innerText({ timeout: 1_000 });
  const test = typeof match === 'function' ? match : async (f: Frame) => {
    const text = await bodyText(f);
    return typeof match === 'string' ? text.includes(match) : match.test(text);
  };
  // A webview is <iframe class="webview"> (VS Code's host page) → an inner iframe
  // with the extension's HTML. Playwright names the inner one after its first id,
  // "pending-frame", so find it by its parent instead.
  const contentFrames = (): Frame[] => page.frames().filter((f) => !f.isDetached() &&
    (f.parentFrame()?.url() ?? '').includes('/webview/browser/pre/index.html'));
  let found: Frame | undefined;
  try {
    await waitFor(async () => {
      for (const f of contentFrames()) {
        if (await Promise.resolve(test(f)).catch(() => false)) { found = f; return true; }
      }
      return false;
    }, timeoutMs, `webview matching ${String(match)}`);
  } catch (err) {
    const seen = await Promise.all(contentFrames().map((f) => bodyText(f).catch((e: Error) => `<${e.message}>`)));
    throw new Error(`${(err as Error).message}; webviews seen: ${JSON.stringify(seen.map((t) => t.slice(0, 200)))}`);
  }
  return found!;
}

async function hover(page: Page, line: number, column: number, expect?: string | RegExp): Promise<string> {
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  await openQuickInput(page, ['Control+G']); // Go to Line/Column takes ":line:column"
  const input = page.locator(QUICK_INPUT_BOX);
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I'); // editor.action.showHover
  const widget = page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').first();
  let text = '';
  await waitFor(async () => {
    text = (await widget.innerText({ timeout: 1_000 }).catch(() => '')).trim();
    if (!text || /^Loading\.\.\.$/.test(text)) return false;
    return expect === undefined || (typeof expect === 'string' ? text.includes(expect) : expect.test(text));
  }, 15_000, `hover at ${line}:${column}${expect ? ` containing ${String(expect)}` : ''}`);
  return text;
}

// ---- processes, logs, failures -------------------------------------------

/** code-server process groups still running; killed if this process exits early. */
const live = new Set<number>();
process.once('exit', () => { for (const pid of live) killTreeNow(pid, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of live) killTreeNow(pid, 'SIGKILL');
    process.kill(process.pid, sig); // re-raise now that our handler is gone
  });
}

/** pid, its descendants (via /proc) and its process group. */
function killTreeNow(pid: number, sig: NodeJS.Signals): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch { /* exited meanwhile */ }
  }
  const all: number[] = [];
  const visit = (p: number): void => { all.push(p); (children.get(p) ?? []).forEach(visit); };
  visit(pid);
  try { process.kill(-pid, sig); } catch { /* group gone */ }
  for (const p of all) { try { process.kill(p, sig); } catch { /* gone */ } }
  return all;
}

function isAlive(pid: number): boolean {
  try { return !/\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

async function killTree(pid: number): Promise<void> {
  const pids = killTreeNow(pid, 'SIGTERM');
  const gone = await waitFor(() => pids.every((p) => !isAlive(p)), 5_000, '').then(() => true, () => false);
  if (!gone) killTreeNow(pid, 'SIGKILL');
  for (const p of pids) if (p !== pid) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function vscodeLogFiles(userData: string): string[] {
  const dir = join(userData, 'logs');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f)).filter((f) => f.endsWith('.log') && fs.statSync(f).isFile());
}

function withoutVSCodeVars(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // When tests run from a VS Code terminal these would point code-server at that instance.
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('VSCODE_')));
}

async function saveFailure(label: string, sections: Array<[string, string]>, page: Page | undefined): Promise<void> {
  const dir = join(FAILURE_DIR, label.replace(/[^\w.-]+/g, '_'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(join(dir, 'logs.txt'), sections.map(([t, text]) => `=== ${t} ===\n${text}`).join('\n'));
  await page?.screenshot({ path: join(dir, 'screen.png') }).catch(() => undefined);
  // The test output gets the tail of each log; the whole of them is in logs.txt.
  const tails = sections.map(([t, text]) => `=== ${t} (tail) ===\n${text.trimEnd().split('\n').slice(-15).join('\n')}`);
  process.stderr.write(`\n--- e2e failure "${label}": screenshot and full logs in ${dir}\n${tails.join('\n')}\n---\n`);
}
