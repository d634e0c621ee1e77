/**
 * The extension host and the lazily loaded engine bundle their own copies of core/errors.ts. A UserError made
 * by one copy (a model file that holds only parameters, thrown in the host) must still be a user error to the
 * other (the engine's isUserError), or the panel shows "Internal error" for the user's own file.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as here from '../../../extension/core/errors';

function secondCopy(): typeof here {
  const path = require.resolve('../../../extension/core/errors');
  const saved = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as typeof here;
  } finally {
    require.cache[path] = saved;
  }
}

it('a UserError from another copy of the module is a user error; a plain Error is not', () => {
  const other = secondCopy();
  assert.notEqual(other.UserError, here.UserError, 'two copies, as in two bundles');
  const error = new other.UserError('m.pth holds parameters, not a graph');
  assert.equal(error instanceof here.UserError, false);
  assert.equal(here.isUserError(error), true);
  assert.equal(here.isUserError(new other.InputShapeError('input 0×12 is empty')), true, 'its subclasses too');
  assert.equal(here.isUserError(new Error('our bug')), false);
  assert.equal(here.isUserError({ message: 'not an error' }), false);
});
