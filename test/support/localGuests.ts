// Running HVM guests with a VNC screen on this machine, as the extension sees them on a dom0, for
// the extension-host suite and the console benchmark: a stand-in `xl` that lists the guests and
// prints, for `xl list -l -- NAME`, libxl's JSON as a real dom0 printed it
// (test/fixtures/xl/list-long-vnc-hvm.json, with the guest's name and domid), and the xenstore
// entries that the harness's xenstore-read stand-in answers from (test/e2e/run.mjs,
// XEN_XL_E2E_XENSTORE): each guest's vnc-listen and vnc-port, pointing at a real VNC server.

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalGuest {
  name: string;
  domid: number;
  /** Where its VNC server listens on this machine (127.0.0.1). */
  port: number;
}

export interface LocalGuests {
  /** The stand-in xl, for xen.xlPath. */
  xlPath: string;
  /** Every argv the stand-in xl was run with, oldest first. */
  xlCalls(): string[];
  /** Every argv of the xenstore-read stand-in, oldest first. */
  xenstoreCalls(): string[];
}

/** The guest names the stand-in accepts: safe as file names and in its shell script. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Writes the stand-in xl into `folder` and the guests' xenstore entries below `store` (the folder
 * XEN_XL_E2E_XENSTORE names). `repository` is the checkout, for the fixtures.
 */
export function setUpLocalGuests(options: { folder: string; store: string; repository: string; guests: LocalGuest[] }): LocalGuests {
  const { folder, store, repository, guests } = options;
  mkdirSync(join(folder, 'guests'), { recursive: true });
  for (const guest of guests) {
    assert.match(guest.name, NAME);
    writeFileSync(join(folder, 'guests', `${guest.name}.json`), listLong(repository, guest.name, guest.domid));
    const base = join(store, 'local/domain', String(guest.domid), 'console');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'vnc-listen'), '127.0.0.1');
    writeFileSync(join(base, 'vnc-port'), String(guest.port));
  }
  const rows = guests.map((guest) => `${guest.name.padEnd(40)}${String(guest.domid).padStart(5)}   192     1     -b----       1.5`);
  writeFileSync(
    join(folder, 'list.txt'),
    ['Name                                        ID   Mem VCPUs\tState\tTime(s)', 'Domain-0                                     0  4096     2     r-----     100.0', ...rows, ''].join('\n'),
  );
  writeFileSync(join(folder, 'info.txt'), readFileSync(join(repository, 'test/fixtures/xl/info.txt')));
  writeFileSync(join(folder, 'uptime.txt'), 'Name                                ID Uptime\nDomain-0                             0  1:00:00\n');
  const xlPath = join(folder, 'xl');
  // `list` prints the guests, `list -l -- NAME` one guest's JSON (an unknown one as xl says it),
  // `info` and `uptime` what a dom0 prints; anything else fails. Every argv is recorded.
  writeFileSync(
    xlPath,
    `#!/bin/sh
dir='${folder.replace(/'/g, `'\\''`)}'
printf '%s\\n' "$*" >> "$dir/argv.log"
case "$1" in
  list)
    if [ "$2" = -l ]; then
      if [ "$3" = -- ] && [ -f "$dir/guests/$4.json" ]; then cat "$dir/guests/$4.json"; exit 0; fi
      echo "$4 is an invalid domain identifier (rc=-6)" >&2; exit 1
    fi
    cat "$dir/list.txt" ;;
  info) cat "$dir/info.txt" ;;
  uptime) cat "$dir/uptime.txt" ;;
  *) echo "xl stand-in: '$1' is not part of this test" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(xlPath, 0o755);
  const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  return { xlPath, xlCalls: () => lines(join(folder, 'argv.log')), xenstoreCalls: () => lines(join(store, '.calls')) };
}

/** libxl's JSON of a running HVM guest with VNC on 127.0.0.1, as `xl list -l NAME` prints it. */
function listLong(repository: string, name: string, domid: number): string {
  const entries = JSON.parse(readFileSync(join(repository, 'test/fixtures/xl/list-long-vnc-hvm.json'), 'utf8')) as { domid: number; config: { c_info: { name: string } } }[];
  assert.equal(entries.length, 1);
  entries[0].domid = domid;
  entries[0].config.c_info.name = name;
  return JSON.stringify(entries, null, 4) + '\n';
}
