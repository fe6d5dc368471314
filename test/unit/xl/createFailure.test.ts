// The cause lines of a failed `xl create`, on stderr as xl 4.17 prints it for real failures.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFailureCause, createFailureSummary } from '../../../client/src/xl/createFailure';

const MISSING_KERNEL = [
  'Parsing config from /home/ann/ws/xen/demo-pvh.cfg',
  "xc: error: panic: xc_dom_core.c:207: failed to open file '/guest/no-such-vmlinux': No such file or directory: Internal error",
  'libxl: error: libxl_dom.c:581:libxl__build_dom: xc_dom_kernel_file failed: No such file or directory',
  'libxl: error: libxl_create.c:1943:domcreate_rebuild_done: Domain 4:cannot (re-)build domain: -3',
  'libxl: error: libxl_domain.c:1183:libxl__destroy_domid: Domain 4:Non-existant domain',
  'libxl: error: libxl_domain.c:1137:domain_destroy_callback: Domain 4:Unable to destroy guest',
  'libxl: error: libxl_domain.c:1064:domain_destroy_cb: Domain 4:Destruction of domain failed',
  '',
].join('\n');

const MISSING_BRIDGE = [
  'Parsing config from /etc/xen/web.cfg',
  'libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: /etc/xen/scripts/vif-bridge online [2451] exited with error status 1',
  'libxl: error: libxl_device.c:1286:device_hotplug_child_death_cb: script: Could not find bridge device xenbr9',
  'libxl: error: libxl_create.c:1940:domcreate_attach_devices: Domain 7:unable to add vif devices',
  'libxl: error: libxl_domain.c:1064:domain_destroy_cb: Domain 7:Destruction of domain failed',
].join('\n');

const NAME_CLASH = ['Parsing config from /etc/xen/web.cfg', 'libxl: error: libxl_create.c:720:libxl__domain_make: Domain with name "web" already exists.', 'libxl: error: libxl_create.c:1215:initiate_domain_create: Domain 0:cannot make domain: -6'].join('\n');

const XL_OWN = ['Parsing config from /tmp/x.cfg', 'Failed to read config file: /tmp/x.cfg: No such file or directory'].join('\n');

const NO_MEMORY = [
  'Parsing config from /etc/xen/big.cfg',
  'libxl: error: libxl_create.c:684:libxl__domain_make: Domain 0:domain creation fail: Cannot allocate memory',
  'libxl: error: libxl_create.c:1215:initiate_domain_create: Domain 0:cannot make domain: -3',
].join('\n');

describe('createFailureCause', () => {
  const cases: { name: string; stderr: string; expected: string[] }[] = [
    {
      name: 'missing kernel: the file, not the cleanup',
      stderr: MISSING_KERNEL,
      expected: ["failed to open file '/guest/no-such-vmlinux': No such file or directory", 'xc_dom_kernel_file failed: No such file or directory'],
    },
    {
      name: 'missing bridge: the hotplug script and its message',
      stderr: MISSING_BRIDGE,
      expected: [
        '/etc/xen/scripts/vif-bridge online [2451] exited with error status 1',
        'script: Could not find bridge device xenbr9',
        'unable to add vif devices',
      ],
    },
    { name: 'name clash', stderr: NAME_CLASH, expected: ['Domain with name "web" already exists.', 'cannot make domain: -6'] },
    { name: "xl's own message", stderr: XL_OWN, expected: ['Failed to read config file: /tmp/x.cfg: No such file or directory'] },
    { name: 'out of memory', stderr: NO_MEMORY, expected: ['domain creation fail: Cannot allocate memory', 'cannot make domain: -3'] },
    {
      name: 'only cleanup lines: the last of them',
      stderr: 'libxl: error: libxl_domain.c:1064:domain_destroy_cb: Domain 4:Destruction of domain failed\n',
      expected: ['Destruction of domain failed'],
    },
    { name: 'nothing but progress', stderr: 'Parsing config from /etc/xen/a.cfg\n', expected: [] },
    { name: 'empty', stderr: '', expected: [] },
    {
      name: 'CRLF and ssh multiplexing noise',
      stderr: 'ControlSocket /tmp/s already exists, disabling multiplexing\r\nParsing config from a.cfg\r\nxl: Unable to parse serial.\r\n',
      expected: ['Unable to parse serial.'],
    },
  ];
  for (const { name, stderr, expected } of cases) {
    test(name, () => assert.deepEqual(createFailureCause(stderr), expected));
  }

  test('never more than three lines, concrete ones first', () => {
    const stderr = Array.from({ length: 8 }, (_, i) => `libxl: error: libxl_x.c:${i}:f: generic failure ${i}`).join('\n') + "\nlibxl: error: libxl_y.c:9:g: cannot open '/dev/vg/gone'";
    const causes = createFailureCause(stderr);
    assert.equal(causes.length, 3);
    assert.equal(causes[0], "cannot open '/dev/vg/gone'");
  });

  test('the summary joins the causes and is undefined when there are none', () => {
    assert.match(createFailureSummary(MISSING_KERNEL) ?? '', /^failed to open file '\/guest\/no-such-vmlinux'.* · xc_dom_kernel_file failed/);
    assert.equal(createFailureSummary('Parsing config from x\n'), undefined);
  });
});
