/**
 * Text for hovers, inlay hints and CodeLens titles, as pure functions of the analysis (no `vscode`), so they
 * are unit-tested in Node. Shapes are shown in the framework's order: PyTorch (N, C, H, W), Keras/tfjs
 * (None, H, W, C).
 */
import type { LayerResult, AnalysisReport, OneByOneSaving } from '../../core/result';
import type { Framework } from '../../core/spec';
import { formatFrameworkShape } from '../../core/source/index';
import { formatBytes, formatExact, formatSignificant } from '../../core/report/numberFormat';
import { escapeMarkdown as md, markdownCode as code } from '../../core/report/safeText';
import type { AnalysedModel, CallGroup, SiteGroup } from './documentAnalysis';

/** A count as the `numberFormat` setting asks: "25,636,712" or "25.6 M". */
export function formatCount(n: number, style: 'exact' | 'si' = 'exact'): string {
  return style === 'exact' ? formatExact(Math.round(n)) : formatSignificant(n);
}

function frameworkOf(model: AnalysedModel): Framework {
  return model.built?.spec.framework ?? model.found.framework;
}

function shapeText(group: CallGroup, layer: LayerResult | null, which: 'in' | 'out'): string {
  if (!layer) return 'unknown';
  const shape = which === 'out' ? layer.outputShape : (layer.inputShapes[0] ?? null);
  return formatFrameworkShape(frameworkOf(group.model), shape);
}

/** One line's outputs as an inlay label: "→ a", "→ a ×3" when all are equal, else "→ first … last ×n". */
function arrowLabel(outs: readonly string[]): string {
  if (outs.length === 1) return `→ ${outs[0]}`;
  if (new Set(outs).size === 1) return `→ ${outs[0]} ×${outs.length}`;
  return `→ ${outs[0]} … ${outs[outs.length - 1]} ×${outs.length}`;
}

/** The label at the end of a line: "→ (N, 64, 56, 56)", "→ (N, 64, 56, 56) … (N, 512, 7, 7) ×8". */
export function inlayLabel(group: CallGroup): string {
  const fw = frameworkOf(group.model);
  const outs = group.calls.map((c) => (c.output ? shapeText(group, c.output, 'out') : c.call.output === 'input' ? formatFrameworkShape(fw, group.model.built?.spec.input ?? null) : 'unknown'));
  return arrowLabel(outs);
}

/** Sum of one figure over layers. */
function total(layers: readonly LayerResult[], figure: 'params' | 'macs'): number {
  return layers.reduce((a, l) => a + l[figure], 0);
}

/** MACs with the formula that gives them, for convolutions and dense layers. */
function macFormula(layer: LayerResult): string | null {
  const out = layer.outputShape;
  const input = layer.inputShapes[0];
  if (!out || !input || layer.macs === 0) return null;
  const k = layer.kernel;
  if (layer.type === 'Conv2D' && k && out.length === 3 && input.length === 3) {
    // A grouped convolution's filters each see Cin/groups channels.
    if (layer.groups) return `H·W·Cout·kH·kW·Cin/groups = ${out[0]}·${out[1]}·${out[2]}·${k[0]}·${k[1]}·${input[2]}/${layer.groups}`;
    return `H·W·Cout·kH·kW·Cin = ${out[0]}·${out[1]}·${out[2]}·${k[0]}·${k[1]}·${input[2]}`;
  }
  if (layer.type === 'DepthwiseConv2D' && k && out.length === 3) return `H·W·C·kH·kW = ${out[0]}·${out[1]}·${out[2]}·${k[0]}·${k[1]}`;
  if (layer.type === 'Dense') {
    const inF = input[input.length - 1];
    const outF = out[out.length - 1];
    const lead = out.slice(0, -1).reduce<number>((a, b) => a * (b ?? 0), 1);
    return lead === 1 ? `in·out = ${inF}·${outF}` : `positions·in·out = ${lead}·${inF}·${outF}`;
  }
  return null;
}

/**
 * Parameters with the formula that gives them ("3·3·64·128 + 128"), for layers whose count follows from
 * their shapes; null when the count is not one of these forms (then only the number is shown).
 */
function paramFormula(layer: LayerResult): string | null {
  const out = layer.outputShape;
  const input = layer.inputShapes[0];
  const k = layer.kernel;
  if (!out || !input || layer.params === 0) return null;
  const cin = input[input.length - 1];
  const cout = out[out.length - 1];
  if (cin == null || cout == null) return null;
  const withBias = (weights: number, bias: number, text: string): string | null =>
    layer.params === weights + bias ? `${text} + ${bias}` : layer.params === weights ? text : null;
  if (layer.type === 'Conv2D' && k && layer.groups) {
    return withBias(k[0] * k[1] * (cin / layer.groups) * cout, cout, `${k[0]}·${k[1]}·(${cin}/${layer.groups})·${cout}`);
  }
  if (layer.type === 'Conv2D' && k) return withBias(k[0] * k[1] * cin * cout, cout, `${k[0]}·${k[1]}·${cin}·${cout}`);
  if (layer.type === 'DepthwiseConv2D' && k) return withBias(k[0] * k[1] * cout, cout, `${k[0]}·${k[1]}·${cout}`);
  if (layer.type === 'Dense') return withBias(cin * cout, cout, `${cin}·${cout}`);
  if (layer.type === 'BatchNormalization') {
    if (layer.params === 4 * cout) return `4·${cout} (γ, β, moving mean, moving variance)`;
    if (layer.params === 2 * cout) return `2·${cout} (γ, β; running statistics are buffers)`;
  }
  return null;
}

function pct(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const p = (100 * part) / whole;
  return p >= 10 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
}

function savingsFor(report: AnalysisReport | null, names: Set<string>): OneByOneSaving[] {
  return (report?.oneByOne ?? []).filter((s) => names.has(s.layer) || names.has(s.reducer));
}

/** Markdown for a hover over a constructor call: one section per model that uses the call site. */
export function hoverMarkdown(groups: readonly CallGroup[], style: 'exact' | 'si' = 'exact'): string {
  const parts: string[] = [];
  for (const group of groups) parts.push(groupMarkdown(group, style, groups.length > 1));
  return parts.join('\n\n---\n\n');
}

function groupMarkdown(group: CallGroup, style: 'exact' | 'si', nameModel: boolean): string {
  const report = group.model.report;
  const first = group.calls[0]!;
  const engineType = first.output?.type ?? first.layers[first.layers.length - 1]?.type ?? '';
  const lines: string[] = [];
  const where = nameModel || !group.model.found.isDefault ? ` in model ${code(group.model.found.name)}` : '';
  const block = first.call.block ? ` · block ${code(first.call.block.name)} (${md(first.call.block.type)})` : '';
  lines.push(`**${md(first.call.sourceType)}**${engineType && !first.call.sourceType.includes(engineType) ? ` → ${md(engineType)}` : ''}${where}${block}`);
  if (!report) {
    const o = group.model.outcome;
    lines.push(o.kind === 'input-needed' ? `_${md(o.message)}_` : group.model.error ? `_analysis failed: ${md(group.model.error)}_` : '_not analysed yet_');
    return lines.join('\n\n');
  }
  const totals = report.totals;
  if (group.calls.length > 1) {
    lines.push(`Made ${group.calls.length} times (a loop or a helper called several times):`);
    const rows = ['| call | input → output | params | MACs |', '|---|---|---:|---:|'];
    for (const c of group.calls.slice(0, 40)) {
      rows.push(`| ${code(c.call.name).replace(/\|/g, '\\|')} | ${shapeText(group, c.layers[0] ?? null, 'in')} → ${shapeText(group, c.output, 'out')} | ${formatCount(total(c.layers, 'params'), style)} | ${formatCount(total(c.layers, 'macs'), style)} |`);
    }
    if (group.calls.length > 40) rows.push(`| … ${group.calls.length - 40} more | | | |`);
    lines.push(rows.join('\n'));
    const all = group.calls.flatMap((c) => c.layers);
    const params = total(all, 'params');
    const macs = total(all, 'macs');
    lines.push(`All uses: ${formatCount(params, style)} params (${pct(params, totals.params)} of the model), ${formatCount(macs, style)} MACs (${pct(macs, totals.macs)})`);
  } else {
    const c = first;
    const out = c.output;
    lines.push(`${code(c.call.name)}: ${shapeText(group, c.layers[0] ?? null, 'in')} → ${shapeText(group, out, 'out')}`);
    if (out?.error) lines.push(`⚠ ${md(out.error.message)}`);
    const params = total(c.layers, 'params');
    const macs = total(c.layers, 'macs');
    const main = c.layers.find((l) => l.macs > 0) ?? out;
    const formula = main ? macFormula(main) : null;
    const weighted = c.layers.filter((l) => l.params > 0);
    const pFormula = weighted.length === 1 ? paramFormula(weighted[0]!) : null;
    // Unknown is said, never shown as 0: a layer that could not be built has no weights or MACs to count.
    if (c.layers.some((l) => l.unknown?.params)) lines.push('Params unknown (the layer could not be built)');
    else lines.push(`Params ${formatCount(params, style)}${pFormula ? ` = ${pFormula}` : ''} (${pct(params, totals.params)} of the model)`);
    if (c.layers.some((l) => l.unknown?.macs)) lines.push('MACs unknown (the shapes are unknown)');
    else lines.push(macs > 0 ? `MACs ${formatCount(macs, style)}${formula ? ` = ${formula}` : ''} (${pct(macs, totals.macs)} of the model; FLOPs = ${report.flopsPerMac}×MACs)` : 'MACs 0 (no multiply-accumulates)');
    if (out?.activationElements != null) lines.push(`Output activation ${formatCount(out.activationElements, style)} values = ${formatBytes(out.activationBytes ?? 0)} (float32)`);
    if (out?.receptiveField != null) lines.push(`Receptive field ${out.receptiveField}×${out.receptiveField} px, effective stride ${out.jump}`);
  }
  const names = new Set(group.calls.flatMap((c) => c.layers.map((l) => l.name)));
  for (const s of savingsFor(report, names).slice(0, 4)) {
    const role = names.has(s.reducer) && !names.has(s.layer) ? `reduces channels for ${code(s.layer)}` : `is fed by the 1×1 ${code(s.reducer)}`;
    lines.push(`1×1 bottleneck: this layer ${role}: ${formatCount(s.actualMacs, style)} MACs instead of ${formatCount(s.naiveMacs, style)} (${s.savings.toFixed(1)}× fewer)`);
  }
  return lines.join('\n\n');
}

/** CodeLens title above a model. */
export function codeLensTitle(name: string, report: AnalysisReport | null, needsInput: boolean, style: 'exact' | 'si' = 'si'): string {
  if (needsInput) return `$(type-hierarchy) Show architecture of ${name}… (input size needed)`;
  if (!report) return `$(type-hierarchy) Show architecture of ${name}`;
  const atLeast = report.totals.lowerBound ? '≥ ' : '';
  return `$(type-hierarchy) Show architecture of ${name} · ${atLeast}${formatCount(report.totals.params, style)} params · ${atLeast}${formatCount(report.totals.macs, style)} MACs`;
}

/** The label at the end of a line that computes a tensor (a forward() line, a helper call). */
export function siteLabel(site: SiteGroup): string {
  const fw = frameworkOf(site.model);
  return arrowLabel(site.outputs.map((o) => formatFrameworkShape(fw, o.layer?.outputShape ?? null)));
}
