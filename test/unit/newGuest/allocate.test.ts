// New Guest's allocation and checks: guest names (xl's and LVM's rules), fresh MAC addresses,
// VNC displays, disk paths and targets, sizes, memory, vCPUs, bridges and VNC passwords.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bridgeProblem,
  diskChoiceProblem,
  diskPath,
  diskTargetProblem,
  formatSize,
  freshXenMac,
  guestNameProblem,
  macProblem,
  MAX_DISK_BYTES,
  memoryProblem,
  nextVncDisplay,
  parseMemoryMiB,
  parseSize,
  parseVcpus,
  sizeProblem,
  vncDisplayProblem,
  vncPasswordProblem,
} from '../../../client/src/newGuest/allocate';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const NOTHING = { running: new Set<string>(), configs: new Set<string>() };

describe('guestNameProblem', () => {
  test('names xl, LVM and a file system all accept', () => {
    for (const name of ['web01', 'a', 'A', '9lives', 'web-01.example_2+x', '_x', '+x', 'x'.repeat(64), 'domain-0', 'snap', 'my_snapshot', 'x.cfg']) {
      assert.equal(guestNameProblem(name, NOTHING), undefined, name);
    }
  });
  const refused: [string, RegExp][] = [
    ['', /Enter a name/],
    ['web 01', /a space/],
    ['web,01', /","/],
    ['web/01', /"\/"/],
    ['web:01', /":"/],
    ['wéb', /"é"/],
    ['web\n01', /a line break/],
    ['web\t01', /a tab/],
    ['web\x01', /U\+0001/],
    ["it's", /"'"/],
    ['x'.repeat(65), /65 characters.*at most 64/],
    ['-web', /start with "-".*option/],
    ['.web', /start with "\."/],
    ['.', /start with "\."/],
    ['..', /start with "\."/],
    ['123', /digits.*domain number/],
    ['0', /digits/],
    ['Domain-0', /control domain/],
    ['snapshot1', /LVM reserves names that start with "snapshot"/],
    ['pvmove', /start with "pvmove"/],
    ['web_mlog', /contain "_mlog"/],
    ['a_rimage_b', /contain "_rimage"/],
    ['x_pmspare', /contain "_pmspare"/],
    ['x_vorigin', /contain "_vorigin"/],
  ];
  for (const [name, message] of refused) {
    test(`refuses ${JSON.stringify(name)}`, () => {
      const problem = guestNameProblem(name, NOTHING);
      assert.ok(problem !== undefined);
      assert.match(problem, message);
    });
  }
  test('a name a running guest or a config uses is taken; the check is exact', () => {
    const taken = { running: new Set(['web01']), configs: new Set(['db01']) };
    assert.match(guestNameProblem('web01', taken)!, /running on this host/);
    assert.match(guestNameProblem('db01', taken)!, /config in the workspace/);
    assert.equal(guestNameProblem('Web01', taken), undefined);
    assert.equal(guestNameProblem('web011', taken), undefined);
  });
});

describe('freshXenMac', () => {
  /** A seeded generator, so a failure can be replayed. */
  function seeded(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  test('in Xen\'s range, lower case, in the half libxl draws from', () => {
    const random = seeded(1);
    for (let i = 0; i < 2000; i++) {
      const mac = freshXenMac(random, new Set());
      assert.match(mac, /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
      assert.equal(macProblem(mac), undefined);
    }
  });

  test('never returns a used MAC, even when the random source keeps hitting used ones', () => {
    const used = new Set<string>();
    const random = seeded(7);
    for (let i = 0; i < 3000; i++) {
      const mac = freshXenMac(random, used);
      assert.ok(!used.has(mac), `${mac} returned twice`);
      used.add(mac);
    }
    // A source stuck on one value: the first draw's address is used, so the next free one is taken.
    const stuck = () => 0.5;
    const first = freshXenMac(stuck, new Set());
    assert.equal(first, '00:16:3e:40:00:00');
    assert.equal(freshXenMac(stuck, new Set([first])), '00:16:3e:40:00:01');
    assert.equal(freshXenMac(stuck, new Set([first, '00:16:3e:40:00:01'])), '00:16:3e:40:00:02');
    // The top of the range wraps to the bottom.
    assert.equal(freshXenMac(() => 0.99999999999, new Set(['00:16:3e:7f:ff:ff'])), '00:16:3e:00:00:00');
  });

  test('used addresses count whatever their case or blanks', () => {
    assert.equal(freshXenMac(() => 0.5, new Set(['00:16:3E:40:00:00 ', '00:16:3e:40:00:01'])), '00:16:3e:40:00:02');
  });

  test('a random source outside [0, 1) still gives an address in the range', () => {
    for (const value of [1, 2, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.match(freshXenMac(() => value, new Set()), /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
    }
  });
});

describe('macProblem', () => {
  test('accepts a unicast address in either case, refuses the rest', () => {
    assert.equal(macProblem('00:16:3e:AB:cd:01'), undefined);
    assert.match(macProblem('00:16:3e:ab:cd')!, /six pairs/);
    assert.match(macProblem('00-16-3e-ab-cd-01')!, /six pairs/);
    assert.match(macProblem('03:16:3e:ab:cd:01')!, /multicast/);
  });
});

describe('nextVncDisplay and vncDisplayProblem', () => {
  test('the smallest display from 1 up that nothing uses', () => {
    assert.equal(nextVncDisplay(new Set()), 1);
    assert.equal(nextVncDisplay(new Set([0])), 1);
    assert.equal(nextVncDisplay(new Set([1, 2, 3])), 4);
    assert.equal(nextVncDisplay(new Set([1, 3])), 2);
    assert.equal(nextVncDisplay(new Set([2, 5])), 1);
  });
  test('a display is a whole number with a TCP port, and free', () => {
    assert.equal(vncDisplayProblem(0, new Set()), undefined);
    assert.equal(vncDisplayProblem(59635, new Set()), undefined);
    assert.match(vncDisplayProblem(59636, new Set())!, /0 to 59635/);
    assert.match(vncDisplayProblem(-1, new Set())!, /whole number/);
    assert.match(vncDisplayProblem(1.5, new Set())!, /whole number/);
    assert.match(vncDisplayProblem(3, new Set([3]))!, /port 5903.*used/);
  });
});

describe('vncPasswordProblem', () => {
  test('printable ASCII up to 8 characters; PV refuses commas', () => {
    for (const password of ['x', '12345678', 'a"b\\c\'d', ' spaced ', '#;[]=x']) assert.equal(vncPasswordProblem(password, 'hvm'), undefined, password);
    assert.equal(vncPasswordProblem('a,b', 'hvm'), undefined);
    assert.match(vncPasswordProblem('a,b', 'pv')!, /comma/);
    assert.match(vncPasswordProblem('', 'hvm')!, /Enter a password/);
    assert.match(vncPasswordProblem('123456789', 'hvm')!, /first 8/);
    assert.match(vncPasswordProblem('pässwd', 'hvm')!, /only letters, digits, spaces and ASCII punctuation/);
    assert.match(vncPasswordProblem('a\tb', 'hvm')!, /only letters, digits, spaces and ASCII punctuation/);
  });
  test('the message never repeats the password', () => {
    for (const password of ['#@!$%^&*(', 'pässwd', 'x,y', 'Ω', 'a\u0001']) {
      const problem = vncPasswordProblem(password, 'pv');
      assert.ok(problem !== undefined, password);
      for (const character of password) if (!/[ ,.:a-z]/i.test(character)) assert.ok(!problem.includes(character), `${JSON.stringify(character)} in: ${problem}`);
    }
  });
});

describe('bridgeProblem', () => {
  test('bridge names as hosts have them pass; what cannot be written is refused', () => {
    for (const bridge of ['xenbr0', 'br0', 'br-lan.10', 'virbr0', 'a@b']) assert.equal(bridgeProblem(bridge), undefined, bridge);
    assert.match(bridgeProblem('')!, /Choose a bridge/);
    assert.match(bridgeProblem('br,0')!, /","/);
    assert.match(bridgeProblem('br 0')!, /a space/);
    assert.match(bridgeProblem('br"0')!, /"""/);
    assert.match(bridgeProblem('b'.repeat(16))!, /15 characters/);
  });
});

describe('diskPath', () => {
  test('per disk kind', () => {
    assert.equal(diskPath({ kind: 'new-volume', vg: 'xenvg', sizeBytes: GIB }, 'web01'), '/dev/xenvg/web01');
    assert.equal(diskPath({ kind: 'existing-volume', path: '/dev/vg/old' }, 'web01'), '/dev/vg/old');
    assert.equal(diskPath({ kind: 'new-image', folder: '/srv/images', format: 'raw', sizeBytes: GIB }, 'web01'), '/srv/images/web01.img');
    assert.equal(diskPath({ kind: 'new-image', folder: '/srv/images//', format: 'qcow2', sizeBytes: GIB }, 'web01'), '/srv/images/web01.qcow2');
    assert.equal(diskPath({ kind: 'new-image', folder: '/', format: 'raw', sizeBytes: GIB }, 'web01'), '/web01.img');
  });
});

describe('diskTargetProblem', () => {
  test('absolute paths with spaces, quotes, `=` and `:` can be written', () => {
    for (const path of ['/dev/xenvg/web01', '/srv/my images/x.img', '/srv/"q"\\.iso', '/srv/a=b:c#d', '/srv/ünï.iso']) assert.equal(diskTargetProblem(path), undefined, path);
  });
  test('a comma cannot: libxl hands the path to QEMU in a comma-separated list', () => {
    const problem = diskTargetProblem('/opt/isos/a,b.iso');
    assert.ok(problem !== undefined);
    assert.match(problem, /comma/);
    assert.match(problem, /Rename/);
  });
  test('relative paths, folders, control characters and overlong paths cannot', () => {
    assert.match(diskTargetProblem('images/x.img')!, /absolute/);
    assert.match(diskTargetProblem('')!, /absolute/);
    assert.match(diskTargetProblem('/srv/images/')!, /folder/);
    assert.match(diskTargetProblem('/srv/a\nb')!, /line break/);
    assert.match(diskTargetProblem('/srv/a\x7fb')!, /U\+007F/);
    assert.match(diskTargetProblem('/' + 'x'.repeat(4095))!, /longer/);
  });
});

describe('diskChoiceProblem', () => {
  const known = { existing: new Set(['/dev/xenvg/web01', '/srv/images/db.img']), inUse: new Set(['/dev/xenvg/used']) };
  test('new disks never overwrite what exists', () => {
    assert.match(diskChoiceProblem({ kind: 'new-volume', vg: 'xenvg', sizeBytes: GIB }, 'web01', known)!, /logical volume \/dev\/xenvg\/web01 exists already.*never overwrites/);
    assert.match(diskChoiceProblem({ kind: 'new-image', folder: '/srv/images', format: 'raw', sizeBytes: GIB }, 'db', known)!, /file \/srv\/images\/db\.img exists already/);
    assert.equal(diskChoiceProblem({ kind: 'new-volume', vg: 'xenvg', sizeBytes: GIB }, 'web02', known), undefined);
    assert.equal(diskChoiceProblem({ kind: 'new-image', folder: '/srv/images', format: 'qcow2', sizeBytes: GIB }, 'db', known), undefined);
  });
  test('an existing volume must be one nothing uses', () => {
    assert.match(diskChoiceProblem({ kind: 'existing-volume', path: '/dev/xenvg/used' }, 'x', known)!, /another config or a running guest/);
    assert.equal(diskChoiceProblem({ kind: 'existing-volume', path: '/dev/xenvg/web01' }, 'x', known), undefined);
  });
  test('sizes, folders and volume groups are checked', () => {
    assert.match(diskChoiceProblem({ kind: 'new-volume', vg: 'xenvg', sizeBytes: 0 }, 'x', known)!, /positive/);
    assert.match(diskChoiceProblem({ kind: 'new-volume', vg: 'xenvg', sizeBytes: GIB + 1 }, 'x', known)!, /whole number of MiB/);
    assert.match(diskChoiceProblem({ kind: 'new-volume', vg: '', sizeBytes: GIB }, 'x', known)!, /volume group/);
    assert.match(diskChoiceProblem({ kind: 'new-volume', vg: 'a/b', sizeBytes: GIB }, 'x', known)!, /volume group/);
    assert.match(diskChoiceProblem({ kind: 'new-image', folder: 'rel', format: 'raw', sizeBytes: GIB }, 'x', known)!, /absolute/);
    assert.match(diskChoiceProblem({ kind: 'new-image', folder: '/srv/a,b', format: 'raw', sizeBytes: GIB }, 'x', known)!, /comma/);
  });
});

describe('parseSize and formatSize', () => {
  test('units are powers of 1024, a plain number is GiB, blanks and spellings are allowed', () => {
    const cases: [string, number][] = [
      ['20G', 20 * GIB],
      ['20', 20 * GIB],
      ['20 G', 20 * GIB],
      ['20GiB', 20 * GIB],
      ['20 gib', 20 * GIB],
      ['20GB', 20 * GIB],
      ['20g', 20 * GIB],
      ['  20G  ', 20 * GIB],
      ['512M', 512 * MIB],
      ['1.5T', 1.5 * 1024 * GIB],
      ['.5G', 512 * MIB],
      ['2.G', 2 * GIB],
      ['1024K', MIB],
      ['1P', MAX_DISK_BYTES],
    ];
    for (const [text, bytes] of cases) assert.equal(parseSize(text), bytes, text);
  });
  test('sizes round up to a whole MiB', () => {
    assert.equal(parseSize('1K'), MIB);
    assert.equal(parseSize('1b'), MIB);
    assert.equal(parseSize('1.0001M'), 2 * MIB);
    assert.equal(parseSize('0.001G'), 2 * MIB);
  });
  test('what is not a size gets a message', () => {
    const cases: [string, RegExp][] = [
      ['', /Enter a size/],
      ['   ', /Enter a size/],
      ['0', /more than zero/],
      ['0G', /more than zero/],
      ['0.0M', /more than zero/],
      ['-5G', /negative/],
      ['-0', /negative/],
      ['abc', /not a size/],
      ['G', /not a size/],
      ['1,5G', /not a size/],
      ['1e3G', /not a size: write a number and a unit/],
      ['20X', /"X" is not a size unit/],
      ['20 GB GB', /not a size/],
      ['20Gi', /"Gi" is not a size unit/],
      ['1.5.3G', /not a size/],
      ['Infinity', /"Infinity" is not a size: write a number and a unit/],
      ['1025T', /more than 1 PiB/],
      ['9'.repeat(400), /more than 1 PiB/],
    ];
    for (const [text, message] of cases) {
      const result = parseSize(text);
      assert.equal(typeof result, 'string', `${JSON.stringify(text)} gave ${result}`);
      assert.match(result as string, message, text);
    }
  });
  test('formatSize picks the largest unit and up to two decimals', () => {
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(1), '1 B');
    assert.equal(formatSize(1023), '1023 B');
    assert.equal(formatSize(1024), '1 KiB');
    assert.equal(formatSize(512 * MIB), '512 MiB');
    assert.equal(formatSize(20 * GIB), '20 GiB');
    assert.equal(formatSize(1.5 * 1024 * GIB), '1.5 TiB');
    assert.equal(formatSize(GIB + MIB), '1 GiB');
    assert.equal(formatSize(GIB + 100 * MIB), '1.1 GiB');
    assert.equal(formatSize(MAX_DISK_BYTES), '1 PiB');
    assert.equal(formatSize(5000 * MAX_DISK_BYTES), '5000 PiB');
    assert.equal(formatSize(-2 * GIB), '-2 GiB');
    assert.equal(formatSize(Number.NaN), 'NaN bytes');
  });
  test('what formatSize prints, parseSize reads back', () => {
    for (const bytes of [MIB, 512 * MIB, 20 * GIB, 1.5 * 1024 * GIB, 3 * 1024 * GIB, 1.25 * GIB]) assert.equal(parseSize(formatSize(bytes)), bytes);
  });
  test('sizeProblem: whole MiB, positive, at most 1 PiB', () => {
    assert.equal(sizeProblem(20 * GIB), undefined);
    assert.match(sizeProblem(0)!, /positive/);
    assert.match(sizeProblem(-MIB)!, /positive/);
    assert.match(sizeProblem(Number.NaN)!, /positive/);
    assert.match(sizeProblem(MIB + 512)!, /whole number of MiB/);
    assert.match(sizeProblem(MAX_DISK_BYTES + MIB)!, /more than 1 PiB/);
  });
});

describe('memory and vCPUs', () => {
  test('memory: a plain number is MiB, units work, at least 32 MiB', () => {
    assert.equal(parseMemoryMiB('2048'), 2048);
    assert.equal(parseMemoryMiB('2G'), 2048);
    assert.equal(parseMemoryMiB('512 MiB'), 512);
    assert.match(parseMemoryMiB('lots') as string, /not a size/);
    assert.equal(memoryProblem(32), undefined);
    assert.match(memoryProblem(31)!, /at least 32/);
    assert.match(memoryProblem(1.5)!, /whole number/);
    assert.match(memoryProblem(2 ** 40)!, /more memory than any host/);
  });
  test('vCPUs: a whole number from 1 to the host\'s CPUs', () => {
    assert.equal(parseVcpus('2'), 2);
    assert.equal(parseVcpus(' 4 ', 4), 4);
    assert.match(parseVcpus('5', 4) as string, /host has 4 CPUs.*at most 4/);
    assert.match(parseVcpus('2', 1) as string, /host has 1 CPU:/);
    assert.match(parseVcpus('0') as string, /at least 1/);
    assert.match(parseVcpus('-1') as string, /whole number/);
    assert.match(parseVcpus('1.5') as string, /whole number/);
    assert.match(parseVcpus('two') as string, /whole number/);
    assert.match(parseVcpus('129') as string, /at most 128/);
    assert.equal(parseVcpus('64', 0), 64, 'an unknown CPU count (0) is not a limit');
  });
});
