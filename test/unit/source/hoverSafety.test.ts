/** Hovers on hostile files: names cannot inject Markdown, unknown counts are said to be unknown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../extension/core/analyze';
import { loadTensorFlow } from '../../../extension/core/tfjs/loadTf';
import { analyseDocument } from '../../../extension/vscode/editor/documentAnalysis';
import { hoverMarkdown } from '../../../extension/vscode/editor/format';
import { getReader } from './helpers';

const hostile = (name: string): string => readFileSync(join(__dirname, '../../fixtures/hostile', name), 'utf8');
const engine = async () => ({ loadTensorFlow: () => loadTensorFlow('cpu'), analyzeModel: (spec: Parameters<typeof analyzeModel>[0], o?: Parameters<typeof analyzeModel>[1]) => analyzeModel(spec, { ...o, backend: 'cpu' }) });

test('a layer name with backticks, a link, an image and HTML stays inside one code span', async () => {
  const result = await analyseDocument(await getReader(), engine, hostile('backtick_name.py'), { file: 'b.py', language: 'python' });
  const group = result.byLine.get(6)![0]!;
  const md = hoverMarkdown([group]);
  // The fence is two backticks (the name has single ones), padded because the name ends with text after a backtick.
  assert.match(md, /``x`!\[pwn\]\(https:\/\/example\.com\/p\.png\)`<img src=x>\|y``/);
  // Nothing of the name outside a code span: the only image syntax is the one inside it.
  assert.equal(md.split('![pwn]').length, 2);
});

test('a layer PyTorch rejects has unknown params and MACs in its hover, not 0', async () => {
  const result = await analyseDocument(await getReader(), engine, hostile('stride_zero.py'), { file: 's.py', language: 'python' });
  const group = result.byLine.get(7)![0]!;
  const md = hoverMarkdown([group]);
  assert.match(md, /⚠ .*non-positive stride is not supported/);
  assert.match(md, /Params unknown \(the layer could not be built\)/);
  assert.match(md, /MACs unknown/);
  assert.doesNotMatch(md, /Params 0/);
});
