/**
 * Model strings (layer and model names, file contents quoted in messages) made safe for where they go. Each
 * function is for one destination; none changes printable text that means nothing special there. Pure and
 * DOM-free so the webviews can import them too.
 */

// C0 controls but tab and newline, DEL, and C1 controls (0x80–0x9f: the 8-bit CSI among them).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

// Bidirectional overrides and isolates (CVE-2021-42574, "Trojan Source"): they reorder the text shown around them.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Terminal output: control characters (ESC above all) are shown as \xNN and bidi controls as \uNNNN, never obeyed. */
export function safeTerminalText(text: string): string {
  return text
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A name inside one line of a text table: newlines and tabs (which safeTerminalText keeps) shown as \n, \t. */
export function oneLine(text: string): string {
  return text.replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}

/** One Markdown table cell or inline text: no HTML, no links or images, no code spans, no column breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*[\]<>|&]/g, (c) => `\\${c}`);
}

/**
 * One CSV field. A field starting with =, +, -, @, tab or CR is a formula to Excel, LibreOffice and Google
 * Sheets (OWASP "CSV Injection"): a leading apostrophe makes it text. Numbers are written as numbers.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except lone surrogates and U+FFFE/U+FFFF.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text or an attribute value in XML/SVG/HTML: escaped, and characters XML forbids replaced by U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Inline code in Markdown for any text: the fence is one backtick longer than the longest run inside, so a
 * name with backticks cannot close it early and smuggle in a link or an image (CommonMark code spans).
 */
export function markdownCode(text: string): string {
  const flat = text.replace(CONTROL, '').replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
