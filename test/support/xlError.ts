// Shared by the unit and real-Xen suites: waits for a call that must fail with an XlError.

import assert from 'node:assert/strict';
import { XlError, type XlErrorKind } from '../../client/src/xl/errors';

/** Resolves to the XlError the promise rejects with; fails the test if it resolves or throws something else. */
/** With `kind`, the error must also be of that kind. */
export async function rejection(promise: Promise<unknown>, kind?: XlErrorKind): Promise<XlError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof XlError, `not an XlError: ${String(error)}`);
    if (kind !== undefined) assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(kind === undefined ? 'expected the call to fail' : `expected an XlError of kind ${kind}`);
}
