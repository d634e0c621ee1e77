/**
 * Python's json module (Keras saves configs with json.dumps) writes float('nan'), float('inf') and
 * float('-inf') as NaN, Infinity and -Infinity, and json.loads reads them back (allow_nan=True, the default);
 * JSON.parse refuses them. parsePythonJson reads them where a value stands and nowhere else.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, parsePythonJson } from '../../../extension/core/files/json';

describe('parsePythonJson', () => {
  it('reads the bare tokens as json.loads does: {"a": NaN, "b": [Infinity, -Infinity]}', () => {
    // Python 3.11: json.loads('{"a": NaN, "b": [Infinity, -Infinity]}') == {'a': nan, 'b': [inf, -inf]}
    const v = parsePythonJson('{"a": NaN, "b": [Infinity,-Infinity], "c": 1}') as { a: number; b: number[]; c: number };
    assert.ok(Number.isNaN(v.a));
    assert.deepEqual(v.b, [Infinity, -Infinity]);
    assert.equal(v.c, 1);
  });

  it('leaves the words inside strings alone (a layer named "NaN, Infinity")', () => {
    const named = parsePythonJson('{"name": "x: NaN, Infinity", "v": -Infinity}') as { name: string; v: number };
    assert.deepEqual([named.name, named.v], ['x: NaN, Infinity', -Infinity]);
    const v = parsePythonJson('{"name": "a\\" : NaN", "v": Infinity}') as { name: string; v: number };
    assert.deepEqual([v.name, v.v], ['a" : NaN', Infinity]);
  });

  it('is still strict about anything else json.loads refuses (NaNx, a bare word, a NaN key)', () => {
    for (const text of ['{"a": NaNx}', '{"a": nan}', '{"a": Infinite}', '{NaN: 1}', '{"a": NaN']) assert.throws(() => parsePythonJson(text), SyntaxError, text);
  });

  it('a file that spells the reader\'s own marker is not rewritten (its strings are never read as numbers)', () => {
    assert.throws(() => parsePythonJson('{"a": "\\u0000python-json:NaN", "b": NaN}'), SyntaxError);
  });

  it('parseJson names the file when the JSON is invalid', () => {
    assert.throws(() => parseJson(new TextEncoder().encode('{"a": NaNx}'), 'm.keras: config.json'), (e: Error) => /^m\.keras: config\.json: not valid JSON \(/.test(e.message));
  });
});
