/**
 * Model strings made safe for each destination, as properties over any string (fast-check's full Unicode
 * strings, control characters included) plus the attacks of issue 7 as examples.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { csvField, escapeMarkdown, escapeXml, markdownCode, oneLine, safeTerminalText } from '../../../extension/core/report/safeText';
import { checkFromPanel, checkToPanel } from '../../../extension/protocol';

const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: fc.constantFrom('`', '|', '<', '>', '&', '=', '\u001b', '\n', '[', ']', '(', ')', '!', 'a', '"', "'", '\\'), maxLength: 40 }));
const RUNS = { numRuns: 400, seed: 3 };

describe('terminal', () => {
  it('no control character reaches the terminal but newline and tab', () => {
    fc.assert(fc.property(anyText, (s) => assert.doesNotMatch(safeTerminalText(s), /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)), RUNS);
  });
  it('shows an escape sequence instead of obeying it', () => {
    assert.equal(safeTerminalText('a\u001b]0;pwned\u0007\u001b[31m'), 'a\\x1b]0;pwned\\x07\\x1b[31m');
    // A right-to-left override would show "conv_txt.exe" as "conv_exe.txt": shown, not obeyed.
    assert.equal(safeTerminalText('conv_\u202etxt.exe\u2066x\u2069'), 'conv_\\u202etxt.exe\\u2066x\\u2069');
    assert.equal(safeTerminalText('\u200e\u200f\u061c\u202a'), '\\u200e\\u200f\\u061c\\u202a');
  });
  it('a name in a table row stays on its row: newline and tab shown, the rest kept', () => {
    fc.assert(fc.property(anyText, (s) => assert.doesNotMatch(oneLine(s), /[\n\t]/)), RUNS);
    // A Keras layer named "c\r\n" in a forged config would otherwise start a row of its own.
    assert.equal(safeTerminalText(oneLine('c\r\n\tx')), 'c\\x0d\\n\\tx');
  });
});

describe('CSV', () => {
  it('no field starts a formula, and every field parses back to its text (RFC 4180)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const field = csvField(s);
        const inner = field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
        assert.doesNotMatch(inner, /^[=+\-@\t\r]/);
        assert.equal(inner.replace(/^'(?=[=+\-@\t\r])/, ''), s);
        if (!field.startsWith('"')) assert.doesNotMatch(field, /[",\r\n]/);
      }),
      RUNS,
    );
  });
  it('=HYPERLINK(…) becomes text', () => {
    assert.equal(csvField('=HYPERLINK("https://example.com","x")'), `"'=HYPERLINK(""https://example.com"",""x"")"`);
    assert.equal(csvField(-3), '-3');
  });
});

describe('Markdown', () => {
  it('a cell has no unescaped pipe, HTML, bracket or backtick, and no line break', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const cell = escapeMarkdown(s);
        assert.doesNotMatch(cell, /[\r\n]/);
        // Every special character is preceded by an odd number of backslashes.
        for (const m of cell.matchAll(/(\\*)([|<>[\]`&*])/g)) assert.equal(m[1]!.length % 2, 1, `${JSON.stringify(s)} → ${cell}`);
      }),
      RUNS,
    );
  });
  it('a code span cannot be closed early: its fence is longer than any backtick run inside', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const code = markdownCode(s);
        const fence = /^`+/.exec(code)![0];
        const inner = code.slice(fence.length, code.length - fence.length);
        assert.ok(code.endsWith(fence));
        for (const run of inner.match(/`+/g) ?? []) assert.notEqual(run.length, fence.length);
        assert.ok(Math.max(0, ...(inner.match(/`+/g) ?? []).map((r) => r.length)) < fence.length);
      }),
      RUNS,
    );
    assert.equal(markdownCode('x`![pwn](https://e/p.png)`'), '`` x`![pwn](https://e/p.png)` ``');
  });
});

describe('escaping keeps the text', () => {
  const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
  it('Markdown: removing the escapes gives the name back (controls dropped, line breaks as one space)', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const expected = s.replace(CONTROLS, '').replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/[\r\n]+/g, ' ');
        assert.equal(escapeMarkdown(s).replace(/\\([\\`*[\]<>|&])/g, '$1'), expected);
      }),
      RUNS,
    );
    assert.equal(escapeMarkdown('a\r\n\nb|c'), 'a b\\|c');
    assert.equal(escapeMarkdown('a\u202eb\u2067c'), 'abc');
  });
  it('code spans: the text inside is the name, padded only where CommonMark needs it', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const flat = s.replace(CONTROLS, '').replace(/[\r\n]+/g, ' ');
        const code = markdownCode(s);
        const fence = /^`+/.exec(code)![0];
        const inner = code.slice(fence.length, code.length - fence.length);
        const padded = flat.startsWith('`') || flat.endsWith('`') || flat === '';
        assert.equal(inner, padded ? ` ${flat} ` : flat);
      }),
      RUNS,
    );
    assert.equal(markdownCode('conv1'), '`conv1`');
    assert.equal(markdownCode('a\n\nb'), '`a b`');
  });
  it('XML: decoding the entities gives the text back, forbidden characters as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const decoded = escapeXml(s).replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
        assert.equal(decoded, s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd'));
      }),
      RUNS,
    );
    assert.equal(escapeXml('a\u0001<b>&"\''), 'a\ufffd&lt;b&gt;&amp;&quot;&#39;');
  });
  it('CSV: null is an empty field', () => {
    assert.equal(csvField(null), '');
    assert.equal(csvField('plain'), 'plain');
  });
});

describe('XML/SVG', () => {
  it('is well-formed XML text for any name: no raw markup, no character XML 1.0 forbids', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const x = escapeXml(s);
        assert.doesNotMatch(x, /[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/);
        assert.doesNotMatch(x, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
        assert.doesNotMatch(x, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }),
      RUNS,
    );
  });
});

describe('message validators', () => {
  it('never throw on arbitrary data and accept only known kinds', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const a = checkToPanel(v);
        const b = checkFromPanel(v);
        for (const r of [a, b]) if (r.ok) assert.equal(typeof (r.message as { kind: unknown }).kind, 'string');
      }),
      { numRuns: 500, seed: 5 },
    );
  });
  it('a layer whose counts are not finite numbers is refused, with the field named', () => {
    fc.assert(
      fc.property(fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '12', null), (bad) => {
        const layer = { index: 0, name: 'c', type: 'Conv2D', block: null, inputs: ['input'], outputShape: [1, 1, 1], params: bad, macs: 0, activationBytes: 4 };
        const r = checkToPanel({ kind: 'analysis/layers', runId: 1, layers: [layer] });
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.error, /"analysis\/layers" has an invalid "layers"/);
      }),
    );
  });
});
