/**
 * Prints how the source reader does on the ground-truth corpus, per model and overall:
 *
 *   bash scripts/corpus/fetch.sh && node --import tsx scripts/corpus/score.ts [path-filter] [--misses] [--json FILE]
 *
 * Layer entries are (file, line, type, output shape) multisets, scored matched / (expected + invented); see
 * test/unit/corpus/score.ts. --misses lists a few missing (-) and invented (+) entries per model; --json writes
 * every file's and model's score and the summary to FILE (to compare two readers).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createSourceReader } from '../../extension/core/source/index';
import { CORPUS_DIR, entryPercent, loadExpectations, paramsRight, scoreFile, summarise, type FileScore } from '../../test/unit/corpus/score';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const showMisses = args.includes('--misses');
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  if (jsonAt >= 0 && !jsonFile) {
    console.error('--json needs a file name');
    process.exit(2);
  }
  const filter = args.find((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1)) ?? '';
  if (!existsSync(CORPUS_DIR)) {
    console.error(`${CORPUS_DIR} is missing: run bash scripts/corpus/fetch.sh first`);
    process.exit(2);
  }
  const reader = await createSourceReader();
  const files: FileScore[] = [];
  for (const expected of loadExpectations().filter((e) => `${e.package}/${e.path}`.includes(filter))) {
    const f = await scoreFile(reader, expected);
    files.push(f);
    if (f.source !== 'ok') {
      console.log(`${f.file}: source ${f.source} (run scripts/corpus/fetch.sh with the pinned versions)`);
      continue;
    }
    console.log(`${f.file}  default: ${f.defaultRight ? 'right' : 'WRONG'} (${f.defaultDetail})`);
    for (const m of f.models) {
      const pct = entryPercent({ expected: m.expected, matched: m.matched, invented: m.invented });
      const params = `params ${paramsRight(m) ? 'right' : `WRONG (${m.params.got ?? '-'} vs ${m.params.expected}${m.paramSplit ? `; split ${JSON.stringify(m.paramSplit.got)} vs ${JSON.stringify(m.paramSplit.expected)}` : ''})`}`;
      const macs = m.macs === null ? 'MACs not recorded' : `MACs ${m.macs.got === m.macs.expected ? 'right' : `WRONG (${m.macs.got ?? '-'} vs ${m.macs.expected})`}`;
      const stage = m.stage === 'analysed' ? '' : `  ${m.stage}: ${m.message}`;
      const label = f.models.filter((x) => x.model === m.model).length > 1 ? `${m.model} @ ${m.input.slice(1).join('x')}` : m.model;
      console.log(`  ${label.padEnd(24)} ${String(pct).padStart(5)}%  ${m.matched}/${m.expected} matched, ${m.invented} invented; ${params}; ${macs}${stage}`);
      if (showMisses) for (const miss of m.misses) console.log(`      ${miss}`);
    }
  }
  const s = summarise(files);
  console.log('');
  console.log(`layer entries  ${entryPercent(s.entries)}%  (${s.entries.matched} matched of ${s.entries.expected} expected, ${s.entries.invented} invented)`);
  console.log(`totals right   ${s.paramsRight}/${s.models} params, ${s.macsRight}/${s.macsKnown} MACs`);
  console.log(`analysed       ${s.filesAnalysed}/${s.files} files, ${s.modelsAnalysed}/${s.models} models`);
  console.log(`default right  ${s.defaultRight}/${s.files} files (with no arguments: the example code's model and input, or none)`);
  console.log(`most missed    ${top(s.missingByType)}`);
  console.log(`most invented  ${top(s.inventedByType)}`);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ summary: s, entryPercent: entryPercent(s.entries), files }, null, 1)}\n`);
}

/** "Conv2d 1,234, BatchNorm2d 1,100, …": the ten largest counts. */
function top(counts: Record<string, number>): string {
  const list = Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 10);
  return list.length === 0 ? 'none' : list.map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(70);
});
