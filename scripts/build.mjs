// One esbuild config, one entry per runtime: the extension host, the CLI, the analysis engine (loaded
// lazily so activation pays nothing for TensorFlow.js) and each webview.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = !process.argv.includes('--dev');

/** Node bundles: tfjs-node is optional and native, so it is never bundled; vscode is provided by the host. */
const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', '@tensorflow/tfjs-node'],
  logLevel: 'warning',
};

const entries = [
  { ...node, entryPoints: ['extension/main.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['extension/engine.ts'], outfile: 'dist/engine.js' },
  { ...node, entryPoints: ['extension/cli/bin.ts'], outfile: 'dist/cli.js' },
  // Reading and analysis of user files run here, in a worker thread with memory and time limits.
  { ...node, entryPoints: ['extension/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
  // HDF5 (h5wasm, 4 MB with its WebAssembly) is loaded by the engine only when a .h5 file is opened. It is ESM
  // that finds itself through import.meta.url, which a CommonJS bundle provides from __filename.
  {
    ...node,
    entryPoints: ['node_modules/h5wasm/dist/node/hdf5_hl.js'],
    outfile: 'dist/h5wasm.js',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  },
];

for (const name of ['panel', 'report']) {
  entries.push({
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    minify: production,
    sourcemap: !production,
    entryPoints: [`webview/${name}/main.ts`],
    outfile: `dist/webview/${name}.js`,
    logLevel: 'warning',
  });
}

// The diagram's graph layout runs in a Web Worker; elkjs ships that worker prebuilt, so it is copied as is.
mkdirSync('dist/webview', { recursive: true });
copyFileSync('node_modules/elkjs/lib/elk-worker.min.js', 'dist/webview/elk-worker.js');

// The source reader parses model code with tree-sitter (WebAssembly): the runtime and the grammars it reads.
mkdirSync('dist/tree-sitter', { recursive: true });
for (const grammar of ['tree-sitter', 'tree-sitter-python', 'tree-sitter-typescript', 'tree-sitter-tsx', 'tree-sitter-javascript']) {
  copyFileSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${grammar}.wasm`, `dist/tree-sitter/${grammar}.wasm`);
}

if (watch) {
  for (const options of entries) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(entries.map((options) => esbuild.build(options)));
}
