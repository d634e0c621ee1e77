/**
 * The analysis engine's public surface. Bundled on its own (dist/engine.js) so that the extension host
 * loads it, and TensorFlow.js with it, only when the first analysis runs. Imports nothing from vscode.
 */
export { analyze, analyzeModel, buildLayersModel, type AnalyzeOptions } from './core/analyze';
export { ZOO, zooModel, zooNames, findZooEntry, type ZooEntry } from './core/zoo/index';
export { loadTensorFlow, type BackendPreference } from './core/tfjs/loadTf';
export * from './core/errors';
export * from './core/result';
export * from './core/spec';
export * from './core/shape';
export { readModelFile, parameterReport, formatFileDiagnostic, checkStatedShapes, isModelFilePath } from './core/files/index';
