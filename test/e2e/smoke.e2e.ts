// Proves the harness end to end with a tiny throwaway extension, generated and
// packaged here, so it does not depend on the real extension's build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startVSCode, type VSCode } from './harness';

const VSCE = resolve(__dirname, '../../node_modules/.bin/vsce');

const EXTENSION_JS = `
const vscode = require('vscode');
let panel;
const page = (text) => '<!DOCTYPE html><html><body><h1 id="msg">' + text + '</h1></body></html>';
function show(text) {
  if (!panel) {
    panel = vscode.window.createWebviewPanel('e2eSmoke', 'E2E Smoke', vscode.ViewColumn.One, {});
    panel.onDidDispose(() => { panel = undefined; });
  }
  panel.webview.html = page(text);
}
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('e2eSmoke.hello', () => show('hello from webview')),
    vscode.commands.registerCommand('e2eSmoke.pick', async () => {
      const choice = await vscode.window.showQuickPick(['alpha', 'beta', 'gamma']);
      if (choice) show('picked ' + choice);
    }),
    vscode.languages.registerHoverProvider('plaintext', {
      provideHover(doc, pos) {
        const range = doc.getWordRangeAtPosition(pos);
        return range && new vscode.Hover('e2e hover: ' + doc.getText(range));
      },
    }),
  );
};
`;

function buildSmokeVsix(dir: string): string {
  const pkg = {
    name: 'e2e-smoke', publisher: 'cnn-inspector-e2e', version: '0.0.1', license: 'MIT',
    engines: { vscode: '^1.90.0' }, main: './extension.js',
    activationEvents: ['onLanguage:plaintext'],
    contributes: {
      commands: [
        { command: 'e2eSmoke.hello', title: 'Hello', category: 'E2E Smoke' },
        { command: 'e2eSmoke.pick', title: 'Pick', category: 'E2E Smoke' },
      ],
    },
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  fs.writeFileSync(join(dir, 'extension.js'), EXTENSION_JS);
  fs.writeFileSync(join(dir, 'README.md'), '# E2E smoke extension\n');
  const out = join(dir, 'e2e-smoke.vsix');
  // These flags keep vsce from stopping at interactive questions.
  const r = spawnSync(VSCE, ['package', '--no-dependencies', '--allow-missing-repository',
    '--skip-license', '--out', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}${r.stderr}`);
  return out;
}

describe('e2e smoke: the harness drives a real VS Code', { timeout: 240_000 }, () => {
  const tmp = fs.mkdtempSync(join(tmpdir(), 'cnn-e2e-smoke-'));
  let vs: VSCode | undefined;

  before(async () => {
    const vsix = buildSmokeVsix(join(tmp, 'ext'));
    const workspaceFolder = join(tmp, 'workspace');
    fs.mkdirSync(join(workspaceFolder, 'docs'), { recursive: true });
    fs.writeFileSync(join(workspaceFolder, 'docs/notes.txt'), 'hello world\nsecond line\n');
    vs = await startVSCode({ vsix, workspaceFolder, theme: 'dark', name: 'smoke' });
  });

  after(async () => {
    await vs?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs a command from the palette and shows its webview', () => vs!.step('webview', async () => {
    await vs!.runCommand('E2E Smoke: Hello');
    const frame = await vs!.webviewFrame('hello from webview');
    assert.ok(await frame.getByText('hello from webview').isVisible());
    await vs!.page.locator('.tab', { hasText: 'E2E Smoke' }).waitFor();
    await vs!.screenshot('smoke-webview');
  }));

  it('picks an item from a quick pick', () => vs!.step('quick-pick', async () => {
    await vs!.runCommand('E2E Smoke: Pick');
    await vs!.quickPick('beta');
    const frame = await vs!.webviewFrame('picked beta');
    assert.equal(await frame.locator('#msg').innerText(), 'picked beta');
  }));

  it('opens a file and reads an extension hover', () => vs!.step('hover', async () => {
    await vs!.openFile('docs/notes.txt');
    const text = await vs!.hover(1, 3, 'e2e hover');
    assert.match(text, /e2e hover: hello/);
    await vs!.screenshot('smoke-hover');
  }));
});
