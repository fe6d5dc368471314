// Shared by the unit and real-Xen suites: waits for a call that must fail with an XlError.

import assert from 'node:assert/strict';
import { XlError } from '../../client/src/xl/errors';

/** Resolves to the XlError the promise rejects with; fails the test if it resolves or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<XlError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof XlError, String(error));
    return error;
  }
  assert.fail('expected the call to fail');
}
