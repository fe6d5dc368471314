// `xl list -l` and `xl -N create` JSON: the documented shape is read; every other shape is a
// bad-output XlError that names the offending JSON path, never a TypeError.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { XlError } from '../../../client/src/xl/errors';
import { parseDomainConfigJson, parseListLong } from '../../../client/src/xl/records';

function fixture(name: string): string {
  return readFileSync(path.resolve('test/fixtures/xl', name), 'utf8');
}

/** Asserts a bad-output XlError whose message contains `expected`. */
function checkBadOutput(parse: (text: string) => unknown, text: string, expected: string | RegExp): void {
  assert.throws(
    () => parse(text),
    (error: unknown) => {
      assert.ok(error instanceof XlError, `not an XlError: ${String(error)}`);
      assert.equal(error.kind, 'bad-output');
      assert.match(error.message, typeof expected === 'string' ? new RegExp(escape(expected)) : expected);
      return true;
    },
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('parseListLong', () => {
  test('reads the documented structure', () => {
    const [dom0, demo] = parseListLong(fixture('list-long.json'));
    assert.equal(dom0.domid, 0);
    assert.equal(dom0.name, 'Domain-0');
    assert.deepEqual(dom0.disks, []);
    const { raw, ...rest } = demo;
    assert.deepEqual(rest, {
      domid: 7,
      name: 'demo',
      uuid: '5a3b6c1e-8f0a-4c1d-9b7e-2f6d3c4b5a69',
      type: 'pv',
      maxVcpus: 2,
      maxMemKiB: 1048576,
      targetMemKiB: 1048576,
      kernel: '/boot/vmlinuz',
      cmdline: 'root=/dev/xvda1 ro',
      disks: [
        { target: '/dev/vg/demo', vdev: 'xvda', format: 'raw', readwrite: true },
        { target: '/srv/iso/debian.iso', vdev: 'xvdb', format: 'raw', isCdrom: true },
      ],
      nics: [{ devid: 0, mac: '00:16:3e:5a:01:02', bridge: 'xenbr0' }],
      onReboot: 'restart',
      onSoftReset: 'soft_reset',
    });
    assert.deepEqual((raw.b_info as Record<string, unknown>).avail_vcpus, [0, 1]);
  });

  test('json-c style indentation and compact JSON read the same', () => {
    const value = JSON.parse(fixture('list-long.json')) as unknown;
    const expected = parseListLong(fixture('list-long.json'));
    assert.deepEqual(parseListLong(JSON.stringify(value, null, 2)), expected);
    assert.deepEqual(parseListLong(JSON.stringify(value)), expected);
  });

  test('empty output and an empty array are empty lists', () => {
    assert.deepEqual(parseListLong(''), []);
    assert.deepEqual(parseListLong('[\n]\n'), []);
  });

  test('wrong shapes name their JSON path', () => {
    checkBadOutput(parseListLong, '{"domid": 1}', 'expected a JSON array');
    checkBadOutput(parseListLong, '[1]', '[0]: expected an object, found number 1');
    checkBadOutput(parseListLong, '[{"config": {}}]', '[0].domid: expected an integer');
    checkBadOutput(parseListLong, '[{"domid": 1.5, "config": {}}]', '[0].domid: expected an integer');
    checkBadOutput(parseListLong, '[{"domid": 1}]', '[0].config: expected an object, found undefined');
    checkBadOutput(parseListLong, '[{"domid": 1, "config": {"c_info": {}}}]', '[0].config.c_info.name: expected a string');
    checkBadOutput(parseListLong, '[{"domid": 1, "config": {"c_info": {"name": 5}}}]', 'found number 5');
    checkBadOutput(
      parseListLong,
      '[{"domid": 1, "config": {"c_info": {"name": "a"}, "disks": {}}}]',
      '[0].config.disks: expected an array, found an object',
    );
    checkBadOutput(
      parseListLong,
      '[{"domid": 1, "config": {"c_info": {"name": "a"}, "b_info": {"max_memkb": "1G"}}}]',
      '[0].config.b_info.max_memkb: expected an integer, found string "1G"',
    );
    checkBadOutput(parseListLong, '[{"domid": 1, "config": {"c_info": {"name": "a"}, "nics": [null]}}]', '[0].config.nics[0]: expected an object, found null');
  });

  test('invalid JSON, SXP and binary junk are bad-output', () => {
    checkBadOutput(parseListLong, '[{"domid": 1,', 'not valid JSON');
    checkBadOutput(parseListLong, '(domain (domid 1) (create_info (name demo)))', 'SXP');
    checkBadOutput(parseListLong, '\u0000\u0001garbage', 'not valid JSON');
    checkBadOutput(parseListLong, 'null', 'expected a JSON array');
  });

  test('a huge garbage document keeps only an excerpt in detail', () => {
    const huge = 'x'.repeat(100_000);
    assert.throws(
      () => parseListLong(huge),
      (error: unknown) => error instanceof XlError && error.detail.length < 3000,
    );
  });
});

describe('parseDomainConfigJson (xl -N create)', () => {
  test('reads a bare libxl_domain_config', () => {
    const config = parseDomainConfigJson(fixture('create-dryrun.json'));
    assert.equal(config.name, 'win-test');
    assert.equal(config.type, 'hvm');
    assert.equal(config.maxMemKiB, 4194304);
    assert.deepEqual(config.disks, [{ target: '/var/lib/xen/images/win.qcow2', vdev: 'hda', format: 'qcow2', readwrite: true }]);
    assert.deepEqual(config.nics, [{ devid: 0, bridge: 'xenbr0', model: 'e1000', type: 'vif_ioemu' }]);
    assert.equal(config.onCrash, 'restart');
  });

  test('empty output and an array are bad-output', () => {
    checkBadOutput(parseDomainConfigJson, '', 'no configuration');
    checkBadOutput(parseDomainConfigJson, '[]', '$: expected an object, found an array');
  });
});
