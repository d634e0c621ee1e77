/**
 * Regenerates extension/core/files/onnx/onnx.proto.json (protobufjs's JSON form of the official onnx.proto,
 * committed beside it) so the bundle needs no .proto parser at run time:
 *   node --import tsx scripts/files/onnx_proto_json.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as protobuf from 'protobufjs';

const dir = 'extension/core/files/onnx';
const root = protobuf.parse(readFileSync(`${dir}/onnx.proto`, 'utf8'), { keepCase: true }).root;
writeFileSync(`${dir}/onnx.proto.json`, `${JSON.stringify(root.toJSON(), null, 1)}\n`);
