// A stand-in for xenstore-read, for the windows of the code-server harness (test/e2e/run.mjs) and
// the console benchmark (bench/console.mjs), whose suites set up guests with a VNC screen on this
// machine (test/support/localGuests.ts).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './processes.mjs';

/**
 * A stand-in for xenstore-read, as the extension host runs it (`xenstore-read -- PATH...`, found
 * on PATH: as root, sudo 'auto' runs it directly). Each xenstore path is a file below `store`,
 * which the suite fills (XEN_XL_E2E_XENSTORE); it prints each value on its own line, or says it
 * cannot read the path and exits 1, as xenstore-read does. Every call is appended to
 * `<store>/.calls`. It goes into the profile's ~/bin, which .profile puts first on PATH (code-server
 * gives the extension host the environment of a login shell).
 */
export function fakeXenstore() {
  const store = join(makeTempDir('xen-xl-e2e-xenstore-'), 'store');
  mkdirSync(store);
  const script = `#!/bin/sh
# xenstore-read stand-in of the xen-xl e2e harness (test/e2e/lib/fakeXenstore.mjs): paths are files below $XEN_XL_E2E_XENSTORE.
store=\${XEN_XL_E2E_XENSTORE:?XEN_XL_E2E_XENSTORE is not set}
printf '%s\n' "$*" >> "$store/.calls"
[ "$1" = -- ] && shift
for key in "$@"; do
  case "$key" in
    /*..*|*/../*|*/..) echo "xenstore-read: couldn't read path $key" >&2; exit 1 ;;
    /*) ;;
    *) echo "xenstore-read: couldn't read path $key" >&2; exit 1 ;;
  esac
  if [ -f "$store$key" ]; then cat "$store$key"; echo; else echo "xenstore-read: couldn't read path $key" >&2; exit 1; fi
done
`;
  return {
    store,
    homeFiles: {
      'bin/xenstore-read': { text: script, mode: 0o755 },
      '.profile': { text: '# the xen-xl test profile: its ~/bin first (the xenstore-read stand-in)\nPATH="$HOME/bin:$PATH"\nexport PATH\n', mode: 0o644 },
    },
  };
}
