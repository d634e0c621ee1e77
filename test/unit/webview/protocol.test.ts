/**
 * The protocol: validation of arriving messages, input-size parsing, and the host session wired back to
 * back with the webview's model (messages cross as JSON, asynchronously, as they do through postMessage).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFromPanel, checkFromReport, checkToPanel, checkToReport, type FromPanel, type ToPanel } from '../../../extension/protocol';
import { formatInputSize, readInputSize } from '../../../extension/core/inputSize';
import { ArchitectureSession, type SessionHost } from '../../../extension/vscode/architectureSession';
import { loadEngine } from '../../../extension/vscode/engineLoader';
import { specSource, zooProvider, type ModelSource } from '../../../extension/vscode/modelSources';
import { PanelModel, type PanelListener } from '../../../webview/panel/model';
import { InputShapeError } from '../../../extension/core/errors';
import { layer, report } from './fixtures';
import { toJsonReport } from '../../../extension/core/report/json';
import { toCsv } from '../../../extension/core/report/csv';
import { toMarkdown } from '../../../extension/core/report/table';

describe('validating arriving messages', () => {
  const settings = { flopsPerMac: 2, numberFormat: 'exact' };
  const valid: [string, (d: unknown) => { ok: boolean }, unknown][] = [
    ['panel/init', checkToPanel, { kind: 'panel/init', modelKey: 'zoo:vgg16', title: 'VGG16', defaultInput: [224, 224, 3], settings, columns: null }],
    ['panel/init with remembered columns', checkToPanel, { kind: 'panel/init', modelKey: 'zoo:vgg16', title: 'VGG16', defaultInput: [224, 224, 3], settings, columns: ['name', 'dilation', 'groups'] }],
    ['panel/columns', checkFromPanel, { kind: 'panel/columns', columns: ['name', 'type', 'groups'] }],
    ['analysis/layers', checkToPanel, { kind: 'analysis/layers', runId: 3, layers: [layer({ name: 'c' })] }],
    ['analysis/error', checkToPanel, { kind: 'analysis/error', runId: 3, message: 'no', userError: true }],
    ['panel/ready', checkFromPanel, { kind: 'panel/ready' }],
    ['panel/setInput', checkFromPanel, { kind: 'panel/setInput', input: [299, 299, 3] }],
    ['panel/export', checkFromPanel, { kind: 'panel/export', requestId: 1, format: 'svg', target: 'file', content: '<svg/>' }],
    ['report/openLayer', checkFromReport, { kind: 'report/openLayer', panelKey: 'zoo:googlenet', layer: 'conv2/3x3' }],
    ['report/empty', checkToReport, { kind: 'report/empty', message: 'model.py (the active editor) has no model.' }],
    ['panel/export without content', checkFromPanel, { kind: 'panel/export', requestId: 2, format: 'json', target: 'file', content: null }],
  ];
  for (const [kind, check, message] of valid) it(`accepts a well-formed ${kind}`, () => assert.equal(check(message).ok, true));

  const invalid: [string, (d: unknown) => { ok: boolean; error?: string }, unknown, RegExp][] = [
    ['a string', checkToPanel, 'hello', /without a string "kind"/],
    ['an unknown kind', checkToPanel, { kind: 'analysis/explode' }, /unexpected message kind "analysis\/explode"/],
    ['a host-bound kind sent to the panel', checkToPanel, { kind: 'panel/ready' }, /unexpected message kind "panel\/ready"/],
    ['a non-integer run id', checkToPanel, { kind: 'analysis/layers', runId: '3', layers: [] }, /"analysis\/layers" has an invalid "runId"/],
    ['a layer without a name', checkToPanel, { kind: 'analysis/layers', runId: 1, layers: [{ index: 0 }] }, /invalid "layers"/],
    ['a zero dimension', checkFromPanel, { kind: 'panel/setInput', input: [0, 224, 3] }, /invalid "input": \[0,224,3\]/],
    ['an unknown export format', checkFromPanel, { kind: 'panel/export', requestId: 1, format: 'pdf', target: 'file', content: '' }, /invalid "format"/],
    ['a start without a framework', checkToPanel, { kind: 'analysis/start', runId: 1, model: 'm', title: 'm', input: [8, 8, 3], backend: 'cpu', layerCount: 1, settings }, /invalid "framework"/],
    ['columns that are not ids', checkFromPanel, { kind: 'panel/columns', columns: ['name', '<img>'] }, /"panel\/columns" has an invalid "columns"/],
    ['bad settings', checkToPanel, { kind: 'panel/settings', settings: { flopsPerMac: 3, numberFormat: 'exact' } }, /invalid "settings"/],
  ];
  for (const [what, check, message, error] of invalid) {
    it(`rejects ${what}, saying why`, () => {
      const result = check(message) as { ok: boolean; error?: string };
      assert.equal(result.ok, false);
      assert.match(result.error ?? '', error);
    });
  }
});

describe('parsing the input size typed in the panel or the setting (one parser: core/inputSize.ts)', () => {
  const ok: [string, number[]][] = [
    ['299', [299, 299, 3]],
    ['299x299', [299, 299, 3]],
    ['299×299×1', [299, 299, 1]],
    [' 128 , 96 ', [128, 96, 3]],
    ['64 64 3', [64, 64, 3]],
    ['(1, 64, 64, 3)', [64, 64, 3]],
  ];
  for (const [text, input] of ok) it(`"${text}" is ${input.join('×')} for a Keras model`, () => assert.deepEqual(readInputSize(text, 'keras', [224, 224, 3]), { ok: true, input }));
  it('takes missing channels from the model', () => assert.deepEqual(readInputSize('28x28', 'keras', [32, 32, 1]), { ok: true, input: [28, 28, 1] }));
  it('reads three sizes in the framework order: C,H,W for PyTorch (issue 9, item 7)', () => {
    assert.deepEqual(readInputSize('3,160,128', 'pytorch', [224, 224, 3]), { ok: true, input: [160, 128, 3] });
    assert.deepEqual(readInputSize('1, 1, 28, 28', 'pytorch', [32, 32, 3]), { ok: true, input: [28, 28, 1] });
    assert.deepEqual(readInputSize('160,128,3', 'keras', [224, 224, 3]), { ok: true, input: [160, 128, 3] });
    // Typed in Keras order for a PyTorch model, it is read as written: C=224, H=224, W=3, never reordered.
    assert.deepEqual(readInputSize('224,224,3', 'pytorch', [224, 224, 3]), { ok: true, input: [224, 3, 224] });
    assert.deepEqual(readInputSize('160x128', 'pytorch', [224, 224, 1]), { ok: true, input: [160, 128, 1] });
  });
  it('shows the input back in the framework order', () => {
    assert.equal(formatInputSize([160, 128, 3], 'pytorch'), '3×160×128');
    assert.equal(formatInputSize([160, 128, 3], 'keras'), '160×128×3');
    assert.equal(formatInputSize([784], 'pytorch'), '784');
    // What the field shows parses back to the same input.
    for (const framework of ['pytorch', 'keras'] as const) assert.deepEqual(readInputSize(formatInputSize([160, 128, 3], framework), framework, [224, 224, 3]), { ok: true, input: [160, 128, 3] });
  });
  const bad: [string, RegExp][] = [
    ['', /Enter an input size/],
    ['abc', /"abc" is not a whole number: give H,W,C/],
    ['224x', /a size is missing/],
    ['0x224', /at least 1/],
    ['-5', /not a whole number|a size is missing/],
    ['22.5', /not a whole number/],
    ['1x2x3x4x5', /has 5/],
  ];
  for (const [text, error] of bad) {
    it(`"${text}" is refused inline`, () => {
      const parsed = readInputSize(text, 'keras', [224, 224, 3]);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, error);
    });
  }
  it('a PyTorch model\'s refusal gives the PyTorch order', () => {
    const parsed = readInputSize('3,x,224', 'pytorch', [224, 224, 3]);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.error, /give C,H,W .* e\.g\. 3,224,224/);
  });
});

/** A session and a panel model talking through JSON copies on later ticks, like postMessage. */
function wire(source: ModelSource, listener: PanelListener = {}, overrides: Partial<SessionHost> = {}) {
  const toPanel: ToPanel[] = [];
  const toHost: FromPanel[] = [];
  const logs: string[] = [];
  const reports: unknown[] = [];
  const deliver = (f: () => void): void => void setImmediate(f);
  let model: PanelModel | undefined;
  const session = new ArchitectureSession(source, {
    post: (m) => {
      const copy = JSON.parse(JSON.stringify(m)) as ToPanel;
      toPanel.push(copy);
      deliver(() => model?.receive(copy));
    },
    engine: loadEngine,
    settings: () => ({ flopsPerMac: 2, numberFormat: 'exact', backend: 'cpu' }),
    exportContent: async (format, target) => `saved ${format} to ${target}`,
    openSource: () => undefined,
    log: (m) => logs.push(m),
    onReport: (r) => reports.push(r),
    ...overrides,
  });
  const connect = (l: PanelListener = listener): PanelModel => {
    model = new PanelModel((m) => {
      const copy = JSON.parse(JSON.stringify(m)) as FromPanel;
      toHost.push(copy);
      deliver(() => session.handle(copy));
    }, l);
    return model;
  };
  return { session, connect, toPanel, toHost, logs, reports };
}

async function zoo(name: string): Promise<ModelSource> {
  return (await zooProvider().list()).find((s) => s.id === `zoo:${name}`)!;
}

/** Resolves once `condition` holds (messages cross on later ticks); fails after 5 s. */
function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  return new Promise((resolve, reject) => {
    const poll = (): void => (condition() ? resolve() : Date.now() > deadline ? reject(new Error('condition never held')) : void setTimeout(poll, 2));
    poll();
  });
}

/** Resolves once the panel model has seen the run finish (done or error). */
function settled(model: PanelModel): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => (model.status === 'done' || model.status === 'error' ? resolve() : void setTimeout(poll, 2));
    poll();
  });
}

describe('host session ↔ panel model, back to back', { timeout: 30_000 }, () => {
  it('streams GoogLeNet: init, start, batched rows (the first alone), done with totals', async () => {
    const w = wire(await zoo('googlenet'));
    const model = w.connect();
    model.ready();
    const result = await w.session.run();
    await settled(model);
    const expected = await report('googlenet');
    assert.equal(result?.totals.macs, expected.totals.macs);
    assert.deepEqual(
      w.toPanel.slice(0, 2).map((m) => m.kind),
      ['panel/init', 'analysis/start'],
    );
    const batches = w.toPanel.filter((m) => m.kind === 'analysis/layers');
    assert.equal(batches[0]?.kind === 'analysis/layers' && batches[0].layers.length, 1);
    assert.ok(batches.length < expected.layers.length, 'rows are batched');
    assert.equal(model.layers.length, expected.layers.length);
    assert.deepEqual(
      model.layers.map((l) => l.name),
      expected.layers.map((l) => l.name),
    );
    assert.equal(model.summary?.totals.params, expected.totals.params);
    assert.equal(model.groups.filter((g) => g.block?.startsWith('inception')).length, 9);
    assert.equal(w.reports.length, 1, 'the FLOP report hears about the finished run');
  });

  it('columns chosen in one panel are remembered by the host and open the next panel', async () => {
    let remembered: string[] | null = null;
    const host = { columns: () => remembered, setColumns: (c: string[]) => (remembered = c) };
    const first = wire(await zoo('lenet5'), {}, host);
    const a = first.connect();
    a.ready();
    await until(() => a.modelKey !== null);
    assert.equal(a.columns, null, 'never chosen: the defaults');
    a.chooseColumns(['name', 'type', 'kernel', 'dilation', 'groups']);
    await until(() => remembered !== null);
    assert.deepEqual(remembered, ['name', 'type', 'kernel', 'dilation', 'groups']);
    const second = wire(await zoo('vgg16'), {}, host);
    const b = second.connect();
    b.ready();
    await until(() => b.modelKey !== null);
    assert.deepEqual(b.columns, ['name', 'type', 'kernel', 'dilation', 'groups']);
  });

  it('a new input size re-runs; rows of the replaced run are dropped', async () => {
    const w = wire(await zoo('resnet50'));
    const model = w.connect();
    model.ready();
    void w.session.run();
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(model.requestInput('160x160'), null);
    // Messages cross on later ticks: wait for the host to start the 160×160 run rather than for a fixed time.
    while (model.input?.[0] !== 160) await new Promise((r) => setTimeout(r, 2));
    await w.session.running;
    await settled(model);
    assert.deepEqual(model.input, [160, 160, 3]);
    assert.equal(model.layers[0]?.outputShape?.[0], 80, 'conv1 halves 160');
    const expected = await report('resnet50', [160, 160, 3]);
    assert.equal(model.layers.length, expected.layers.length, 'no rows of the first run remain');
    assert.equal(model.summary?.totals.macs, expected.totals.macs);
  });

  it('a model whose input is only a placeholder is loaded without one (its source asks), then at its answer', async () => {
    const lenet = await zoo('lenet5');
    const asked: (readonly number[] | undefined)[] = [];
    const source: ModelSource = {
      ...lenet,
      id: 'test:needs-input',
      defaultInput: [224, 224, 3],
      inputKnown: false,
      // Stands in for a PyTorch file with no example input: the "user" answers 32×32×1.
      load: async (input) => {
        asked.push(input);
        return lenet.load(input ?? [32, 32, 1]);
      },
    };
    const w = wire(source);
    const model = w.connect();
    model.ready();
    await w.session.run();
    await settled(model);
    assert.deepEqual(asked, [undefined]);
    assert.deepEqual(model.input, [32, 32, 1]);
    await w.session.run([64, 64, 1]);
    assert.deepEqual(asked, [undefined, [64, 64, 1]]);
  });

  it('an invalid input size is refused in the panel and never reaches the host', async () => {
    const w = wire(await zoo('lenet5'));
    const model = w.connect();
    assert.match(model.requestInput('0x0') ?? '', /at least 1/);
    assert.equal(w.toHost.length, 0);
  });

  it('a PyTorch model\'s field reads C,H,W: "1,40,32" runs the model at 40×32 with 1 channel', async () => {
    const lenet = await (await zoo('lenet5')).load();
    const w = wire(specSource({ ...lenet, framework: 'pytorch' }));
    const model = w.connect();
    model.ready();
    await w.session.run();
    await settled(model);
    assert.equal(model.framework, 'pytorch');
    assert.equal(model.requestInput('1,40,32'), null);
    // Waits for the host's next run to start (messages cross on later ticks), at most ~10 s.
    for (let i = 0; i < 5000 && model.input?.[0] !== 40; i++) await new Promise((r) => setTimeout(r, 2));
    await w.session.running;
    await settled(model);
    assert.deepEqual(model.input, [40, 32, 1]);
  });

  it('a reloaded webview gets the current run replayed', async () => {
    const w = wire(await zoo('vgg16'));
    const first = w.connect();
    first.ready();
    await w.session.run();
    await settled(first);
    const second = w.connect();
    second.ready();
    await settled(second);
    assert.equal(second.title, 'VGG16');
    assert.equal(second.layers.length, first.layers.length);
    assert.equal(second.summary?.totals.params, 138_357_544);
  });

  it('disposing mid-stream cancels the analysis without an error', async () => {
    let w: ReturnType<typeof wire> | undefined;
    // A model long enough to span many of the analysis's slices however fast each layer is (tfjs's answers are
    // kept, so a zoo model can finish in one slice): 20,000 activations in a chain.
    const count = 20_000;
    const layers = Array.from({ length: count }, (_, i) => ({ name: `act${i}`, type: 'Activation', args: { activation: 'relu' }, inputs: [i === 0 ? 'input' : `act${i - 1}`] }));
    // The panel closes as soon as the first rows arrive.
    w = wire(specSource({ name: 'chain', input: [8, 8, 3], layers }), { layers: () => w?.session.dispose() });
    const model = w.connect();
    model.ready();
    const running = w.session.run();
    assert.equal(await running, undefined);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(!w.toPanel.some((m) => m.kind === 'analysis/done' || m.kind === 'analysis/error'));
    assert.ok(model.layers.length > 0 && model.layers.length < count, `${model.layers.length} rows arrived before the close`);
    assert.deepEqual(w.logs, []);
  });

  it("a user's bad model shows in the panel; our bug is logged too", async () => {
    const bad: ModelSource = {
      ...specSource({ name: 'bad', input: [8, 8, 3], layers: [] }),
      load: async () => {
        throw new InputShapeError('input must be at least 32×32');
      },
    };
    const w = wire(bad);
    const model = w.connect();
    model.ready();
    await w.session.run();
    await settled(model);
    assert.deepEqual(model.error, { message: 'input must be at least 32×32', userError: true });
    assert.deepEqual(w.logs, []);

    const buggy: ModelSource = { ...bad, load: async () => Promise.reject(new TypeError('x is undefined')) };
    const w2 = wire(buggy);
    const model2 = w2.connect();
    model2.ready();
    await w2.session.run();
    await settled(model2);
    assert.equal(model2.error?.userError, false);
    assert.match(w2.logs[0] ?? '', /Analysis of bad failed: TypeError: x is undefined/);
  });

  it('invalid messages are reported, not dropped silently', async () => {
    const w = wire(await zoo('lenet5'));
    const model = w.connect();
    w.session.handle({ kind: 'panel/launchMissiles' });
    assert.match(w.logs[0] ?? '', /unexpected message kind "panel\/launchMissiles"/);
    model.receive({ kind: 'analysis/layers', runId: 'one', layers: [] });
    assert.equal(w.toHost[0]?.kind, 'webview/error');
  });

  it('a run whose rows carry NaN or Infinity ends as an error that says why, never a table that never completes', async () => {
    const w = wire(await zoo('lenet5'));
    const model = w.connect();
    // What JSON makes of NaN and Infinity on the way to a webview: null.
    model.receive({ kind: 'analysis/layers', runId: 7, layers: [{ ...layer({ name: 'c1' }), macs: null }] });
    assert.equal(model.status, 'error');
    assert.match(model.error?.message ?? '', /^the analysis sent a value the panel cannot show: "analysis\/layers" has an invalid "layers"/);
    assert.equal(model.error?.userError, false);
  });

  it('an export request is answered with its id', async () => {
    const w = wire(await zoo('lenet5'));
    const answers: [boolean, string][] = [];
    const model = w.connect({ exportResult: (ok, message) => answers.push([ok, message]) });
    model.ready();
    const id = model.exportContent('csv', 'file', 'a,b\r\n');
    assert.equal(id, 1);
    await until(() => answers.length > 0);
    assert.deepEqual(answers, [[true, 'saved csv to file']]);
    const reply = w.toPanel.find((m) => m.kind === 'panel/exportResult');
    assert.equal(reply?.kind === 'panel/exportResult' && reply.inReplyTo, 1);
  });

  it('"JSON…" writes the CLI\'s schema, made on the host by the core exporter', async () => {
    const saved: string[] = [];
    const w = wire(await zoo('lenet5'), {}, { exportContent: async (_f, _t, content) => (saved.push(content), 'saved') });
    const model = w.connect();
    model.ready();
    const finished = await w.session.run();
    await settled(model);
    model.exportContent('json', 'file', null);
    model.exportContent('csv', 'file', null);
    model.exportContent('markdown', 'file', null);
    await until(() => saved.length === 3);
    assert.equal(saved.length, 3);
    assert.deepEqual(JSON.parse(saved[0]!), JSON.parse(JSON.stringify(toJsonReport(finished!))));
    assert.equal(JSON.parse(saved[0]!).schemaVersion, 1);
    assert.equal(saved[1], toCsv(finished!));
    assert.equal(saved[2], toMarkdown(finished!));
  });

  it('an export asked for before the run is done is refused with a reason', async () => {
    const w = wire(await zoo('lenet5'));
    const answers: [boolean, string][] = [];
    const model = w.connect({ exportResult: (ok, message) => answers.push([ok, message]) });
    model.exportContent('json', 'file', null);
    await until(() => answers.length > 0);
    assert.deepEqual(answers, [[false, 'Wait for the analysis to finish.']]);
  });

  it('the start of a run says the framework and the title, so shapes read the framework\'s way', async () => {
    const w = wire(specSource({ name: 'resnet_tiny', framework: 'pytorch', input: [32, 32, 3], layers: [] }, 'spec:x'));
    const titles: string[] = [];
    const model = w.connect();
    model.ready();
    await w.session.run();
    await settled(model);
    assert.equal(model.framework, 'pytorch');
    assert.equal(model.title, 'resnet_tiny');
    assert.deepEqual(titles, []);
  });

  it('a code model is titled by its own name, not the variable it was found in', async () => {
    const titles: string[] = [];
    const source: ModelSource = { ...specSource({ name: 'my_cnn', framework: 'keras', input: [8, 8, 3], layers: [] }, 'source:file#model'), label: 'model' };
    const w = wire(source, {}, { onTitle: (t) => titles.push(t) });
    const model = w.connect();
    model.ready();
    await w.session.run();
    await settled(model);
    assert.deepEqual(titles, ['my_cnn']);
    assert.equal(model.title, 'my_cnn');
  });

  it('retargeting (the CodeLens after an edit) re-runs the same session with the new spec', async () => {
    const w = wire(specSource({ name: 'm', input: [8, 8, 3], layers: [] }, 'spec:k'));
    const model = w.connect();
    model.ready();
    await w.session.run();
    await settled(model);
    const again = await w.session.retarget(specSource({ name: 'm', input: [16, 16, 3], layers: [] }, 'spec:k'));
    await until(() => model.input[0] === 16 && model.status === 'done');
    assert.deepEqual(again?.input, [null, 16, 16, 3]);
    assert.deepEqual(model.input, [16, 16, 3]);
    assert.equal(w.session.key, 'spec:k');
  });
});
