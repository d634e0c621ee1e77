// Fails (exit 1) when npm's audit reports an advisory against a package whose code ships in the .vsix: the
// production dependencies, without the optional native @tensorflow/tfjs-node (kept external, never bundled;
// its tar is pinned by package.json "overrides"). When the registry's audit endpoint does not answer, says so
// and exits 0: no answer is not a clean bill, and the line says which it was.
import { execFileSync, spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** node_modules paths of what is bundled: production dependencies, optional ones left out. */
function shippedPaths() {
  const out = execFileSync(npm, ['ls', '--omit=dev', '--omit=optional', '--all', '--parseable'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const root = process.cwd();
  return new Set(
    out
      .split('\n')
      .filter((line) => line.startsWith(root) && line !== root)
      .map((line) => line.slice(root.length + 1).replace(/\\/g, '/')),
  );
}

const audit = spawnSync(npm, ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 120_000 });
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = null;
}
if (!report || report.error || report.message || !report.vulnerabilities) {
  const why = report?.message ?? report?.error?.summary ?? (audit.stderr.trim().split('\n').at(-1) || 'no answer');
  console.log(`audit-shipped: the registry's audit endpoint did not answer (${why}); no advisories were checked`);
  process.exit(0);
}

const shipped = shippedPaths();
const hits = [];
for (const [name, v] of Object.entries(report.vulnerabilities)) {
  const nodes = (v.nodes ?? []).filter((n) => shipped.has(n));
  if (nodes.length > 0) hits.push(`${name} (${v.severity}): ${nodes.join(', ')}`);
}
if (hits.length > 0) {
  console.error(`audit-shipped: advisories in what ships in the .vsix:\n  ${hits.join('\n  ')}`);
  process.exit(1);
}
const total = Object.keys(report.vulnerabilities).length;
console.log(`audit-shipped: no advisory in the ${shipped.size} packages that ship${total > 0 ? ` (${total} in dev or optional packages only)` : ''}`);
