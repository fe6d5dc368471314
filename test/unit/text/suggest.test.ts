// The one did-you-mean (server/src/text/suggest.ts): its measure, its bounds, and a pinned table of
// what each user suggests, run through the real entry points (every spec language, unknown keys,
// enumeration values), so that a change to any suggestion is deliberate.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeDiagnostics } from '../../../server/src/analysis/diagnostics';
import { SPEC_LANGUAGES } from '../../../server/src/specs/index';
import { parseConfig } from '../../../server/src/syntax';
import { allowedEdits, closest, didYouMean, editDistance, normaliseForSuggestion } from '../../../server/src/text/suggest';

describe('editDistance', () => {
  test('counts inserts, deletes and substitutions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });
  test('a swap of neighbours is one edit', () => {
    assert.equal(editDistance('brdige', 'bridge'), 1);
    assert.equal(editDistance('ab', 'ba'), 1);
    // Optimal string alignment: a swapped pair is not edited again.
    assert.equal(editDistance('ca', 'abc'), 3);
  });
  test('stops at the limit', () => {
    assert.equal(editDistance('aaaaaaaaaa', 'bbbbbbbbbb', 2), 2);
    assert.equal(editDistance('abc', 'abd', 2), 1);
  });
});

describe('closest', () => {
  const names = ['bridge', 'backend', 'mac', 'model', 'mtu', 'on_poweroff', 'sample-rates'];
  test('forgives case, `_` against `-` and surrounding spaces', () => {
    assert.equal(normaliseForSuggestion(' On_PowerOff '), 'on-poweroff');
    assert.equal(closest('on-poweroff', names), 'on_poweroff');
    assert.equal(closest('SAMPLE_RATES', names), 'sample-rates');
    assert.equal(closest(' Bridge ', names), 'bridge');
  });
  test('allows more edits for longer words', () => {
    assert.deepEqual([1, 4, 5, 7, 8, 30].map((n) => allowedEdits('x'.repeat(n))), [1, 1, 2, 2, 3, 3]);
    assert.equal(closest('mde', names), undefined);
    assert.equal(closest('mtv', names), 'mtu');
    assert.equal(closest('bcken', names), 'backend');
    assert.equal(closest('bcke', names), undefined);
  });
  test('an explicit bound replaces the allowance', () => {
    assert.equal(closest('hxx', ['pv', 'hvm']), undefined);
    assert.equal(closest('hxx', ['pv', 'hvm'], 2), 'hvm');
    assert.equal(closest('bcken', names, 1), undefined);
  });
  test('the first candidate wins a tie', () => {
    assert.equal(closest('mbc', ['mbx', 'mac']), 'mbx');
    assert.equal(closest('mbc', ['mac', 'mbx']), 'mac');
  });
  test('takes any iterable, and remembers answers for arrays without changing them', () => {
    assert.equal(closest('brigde', new Set(names)), 'bridge');
    assert.equal(closest('brigde', names.values()), 'bridge');
    for (let round = 0; round < 3; round++) {
      assert.equal(closest('brigde', names), 'bridge');
      assert.equal(closest('brigde', names, 0), undefined);
    }
    // Past the memo's size it starts over, and answers stay right.
    for (let index = 0; index < 2100; index++) closest(`word${index}`, names);
    assert.equal(closest('brigde', names), 'bridge');
  });
  test('no suggestion for an empty or a very long word', () => {
    assert.equal(closest('', names), undefined);
    assert.equal(closest('b'.repeat(65), ['b'.repeat(64)]), undefined);
    assert.equal(closest('b'.repeat(64), ['b'.repeat(63)]), 'b'.repeat(63));
  });
});

describe('didYouMean', () => {
  test('formats the suggestion, or nothing', () => {
    assert.equal(didYouMean('brdige', ['bridge']), ' (did you mean "bridge"?)');
    assert.equal(didYouMean('zzzzzz', ['bridge']), '');
    assert.equal(didYouMean('bridge', ['bridge']), '');
    assert.equal(didYouMean('Bridge', ['bridge']), ' (did you mean "bridge"?)');
  });
  test('an alias, looked up in lower case, comes before the distance', () => {
    assert.equal(didYouMean('ID', ['unique-id', 'is'], { id: 'unique-id' }), ' (did you mean "unique-id"?)');
    assert.equal(didYouMean('it', ['unique-id', 'is'], { id: 'unique-id' }), ' (did you mean "is"?)');
    assert.equal(didYouMean('toString', ['tostring!'], {}), ' (did you mean "tostring!"?)');
  });
});

/** The suggestion in the first message that has one: a spec language's, or a config's diagnostics. */
function suggestionFor(source: string, input: string): string | null {
  const messages = source === 'config'
    ? computeDiagnostics(parseConfig(`name = "t"\n${input}\n`)).map((problem) => problem.message)
    : SPEC_LANGUAGES.get(source)!.parse(input, false).problems.map((problem) => problem.message);
  for (const message of messages) {
    const match = /did you mean [`"]([^`"]*)[`"]/.exec(message);
    if (match !== null) return match[1];
  }
  return null;
}

/**
 * [source, input, suggestion today, suggestion before the one did-you-mean when it differed].
 * `config` rows run every rule on a config with that line; other rows parse one spec string.
 * Mostly generated typos of every language's keys and values (swaps, deletions, substitutions).
 */
const PINNED: readonly (readonly [source: string, input: string, suggestion: string | null, before?: string | null])[] = [
  ["disk", "traget=1", "target"],
  ["disk", "formax=1", "format"],
  ["disk", "accss=1", "access"],
  ["disk", "format=rwa", null],
  ["disk", "trge=1", null, "target"],
  ["disk", "aces=1", null, "access"],
  ["disk", "utnrusted=1", "untrusted", "trusted"],
  ["vif", "mca=1", "mac"],
  ["vif", "bridgx=1", "bridge"],
  ["vif", "TYPE=1", "type"],
  ["vif", "type=ieomu", null],
  ["vif", "bidg=1", null, "bridge"],
  ["vif", "srip=1", null, "script"],
  ["vif", "mut=1", "mtu", "mac"],
  ["pci", "bfd=1", "bdf"],
  ["pci", "vslox=1", "vslot"],
  ["pci", "PERMISSIVE=1", "permissive"],
  ["pci", "permissive=x", null],
  ["pci", "vlo=1", null, "vslot"],
  ["rdm", "srtategy=1", "strategy"],
  ["rdm", "ploicy=1", "policy"],
  ["rdm", "strategy=hsot", null],
  ["rdm", "plic=1", null, "policy"],
  ["cpus", "cups", null],
  ["vnuma", "ponde=1", "pnode"],
  ["vnuma", "sie=1", "size"],
  ["vnuma", "VCPUS=1", "vcpus"],
  ["vnuma", "pod=1", null, "pnode"],
  ["cpuid", "hsot", null],
  ["cpuid-xend", "laef", null],
  ["vfb", "vcn=1", "vnc"],
  ["vfb", "vnclistex=1", "vnclisten"],
  ["vfb", "vncpasswx=1", "vncpasswd"],
  ["vfb", "vnc=x", null],
  ["vfb", "kyma=1", null, "keymap"],
  ["vkb", "bcakend-type=1", "backend-type"],
  ["vkb", "backend-types=1", "backend-type"],
  ["vkb", "backends=1", "backend"],
  ["vkb", "backend-type=qmeu", null],
  ["vkb", "wdt=1", null, "width"],
  ["vdispl", "bcakend=1", "backend"],
  ["vdispl", "b-ealloc=1", "be-alloc"],
  ["vdispl", "be-allocs=1", "be-alloc"],
  ["vdispl", "be-alloc=x", null],
  ["vsnd", "CARx=1", null],
  ["vsnd", "SRTEAM=1", "STREAM", null],
  ["channel", "nmae=1", "name"],
  ["channel", "connectiox=1", "connection"],
  ["channel", "patx=1", "path"],
  ["channel", "connection=pyt", null],
  ["channel", "nqmz=1", null, "name"],
  ["vtpm", "bcakend=1", "backend"],
  ["vtpm", "uiud=1", "uuid"],
  ["vtpm", "uqiz=1", null, "uuid"],
  ["p9", "tga=1", "tag"],
  ["p9", "PATH=1", "path"],
  ["p9", "scurity_mode=1", "security_model"],
  ["p9", "security_model=nnoe", null],
  ["p9", "ptah=1", "path", "tag"],
  ["pvcalls", "bcakend=1", "backend"],
  ["usbctrl", "tpye=1", "type"],
  ["usbctrl", "versiox=1", "version"],
  ["usbctrl", "portx=1", "ports"],
  ["usbctrl", "type=atuo", null],
  ["usbctrl", "tqpz=1", null, "type"],
  ["usbdev", "tpye=1", "type"],
  ["usbdev", "hostbux=1", "hostbus"],
  ["usbdev", "hostaddx=1", "hostaddr"],
  ["usbdev", "type=hsotdev", null],
  ["usbdev", "tqpz=1", null, "type"],
  ["virtio", "bcakend=1", "backend"],
  ["virtio", "tpye=1", "type"],
  ["virtio", "transporx=1", "transport"],
  ["virtio", "transport=mimo", null],
  ["virtio", "tqpz=1", null, "type"],
  ["arm_sci", "tpye=1", "type"],
  ["arm_sci", "type=nnoe", null],
  ["arm_sci", "tqpz=1", null, "type"],
  ["viridian", "hcall-remote-tlb-flush", "hcall_remote_tlb_flush"],
  ["viridian", "bsae", "base"],
  ["viridian", "tmie_ref_count", "time_ref_count"],
  ["viridian", "tme_ref_coun", "time_ref_count"],
  ["viridian", "referece_tsc", "reference_tsc"],
  ["boot", "bot", null],
  ["action", "atcion", null],
  ["tsc_mode", "tcs_mode", null],
  ["serial", "sreial", null],
  ["iomem", "satrt", null],
  ["ioports", "frist", null],
  ["irqs", "iqr", null],
  ["llc_colors", "cloors", null],
  ["xenstore_quota", "nmae=1", null],
  ["smbios", "bois_vendor=1", "bios_vendor"],
  ["smbios", "bois_version=1", "bios_version"],
  ["smbios", "ssytem_manufacturer=1", "system_manufacturer"],
  ["mca_caps", "lcme", null],
  ["usbdevice", "ubsdevice", null],
  ["dtdev", "ptah", null],
  ["uuid", "uiud", null],
  ["config", "nmae = 1", "name"],
  ["config", "types = 1", "type"],
  ["config", "pools = 1", "pool"],
  ["config", "init_sclabel = 1", "init_seclabel"],
  ["config", "driver_domaix = 1", "driver_domain"],
  ["config", "nqmigratz = 1", "nomigrate"],
  ["config", "max_grant_framess = 1", "max_grant_frames"],
  ["config", "mxa_grant_version = 1", "max_grant_version"],
  ["config", "sclabe = 1", "seclabel", null],
  ["config", "o_cras = 1", "on_crash", null],
  ["config", "vqpuz = 1", "vcpus", null],
  ["config", "vqumz = 1", "vnuma", null],
  ["config", "cquiz = 1", "cpuid", null],
  ["config", "kqrnez = 1", "kernel", null],
  ["config", "cdlin = 1", "cmdline", null],
  ["config", "frmwar = 1", "firmware", null],
  ["config", "type = \"px\"", "pv"],
  ["config", "type = \"hmv\"", "hvm"],
  ["config", "on_poweroff = \"DESTROY\"", "destroy"],
  ["config", "on_poweroff = \"rename-restarx\"", "rename-restart"],
  ["config", "on_poweroff = \"coredumpdestroy\"", "coredump-destroy"],
  ["config", "on_poweroff = \"sfot-reset\"", "soft-reset"],
  ["config", "on_reboot = \"DESTROY\"", "destroy"],
  ["config", "on_reboot = \"rename-restarx\"", "rename-restart"],
  ["vsnd", "STREAM, id=0", "unique-id"],
  ["vsnd", "PCM, sample-formats=float_le", "f32_le"],
  ["vsnd", "PCM, sample-formats=s16le", "s16_le"],
  ["vsnd", "crad, short-name=x", "CARD"],
  ["vsnd", "STREAM, name=x", null],
  ["vsnd", "PCM, name", null, "name"],
  ["action", "reboot", "restart"],
  ["action", "shutdown", "destroy"],
  ["action", "rename_restart", "rename-restart"],
  ["action", "Destroy", "destroy"],
  ["action", "coredump_destory", "coredump-destroy"],
  ["tsc_mode", "native_paravrt", null],
  ["tsc_mode", "alwaysemulate", "always_emulate"],
  ["disk", "vdev=xvda, tagret=/x", "target"],
  ["disk", "phi:/dev/sda,xvda,w", "phy:"],
  ["arm_sci", "tpye=none", "type"],
  ["cpuid", "host,sse4_2=0", null],
  ["cpuid", "host,avx52f=1", "avx512f"],
  ["serial", "ptty", "pty"],
  ["usbdevice", "tablte", "tablet"],
  ["vfb", "vnc=1,keymap=en-uss", "en-us"],
  ["smbios", "bios_vendr=x", "bios_vendor"],
  ["rdm", "stratgy=host", "strategy"],
  ["viridian", "base_frq", null],
  ["viridian", "!al", null],
  ["vif", "brdige=xenbr0", "bridge"],
  ["vif", "mcc=00:16:3e:00:00:01", "mac"],
  ["pci", "0000:00:02.0,permisive=1", "permissive"],
  ["config", "memroy = 512", "memory"],
  ["config", "vcpu = 2", "vcpus"],
  ["config", "maxmen = 1024", "maxmem"],
  ["config", "type = \"HVM\"", "hvm"],
  ["config", "builder = \"GENERIC\"", "generic"],
  ["config", "vga = \"stdgva\"", "stdvga"],
  ["config", "device_model_version = \"qemu_xen\"", "qemu-xen"],
  ["config", "on_powroff = \"destroy\"", "on_poweroff"],
  ["config", "on_poweroff = \"destory\"", "destroy"],
  ["config", "on_crash = \"coredump_restart\"", "coredump-restart"],
];

describe('pinned suggestions', () => {
  for (const [source, input, suggestion, ...before] of PINNED) {
    test(`${source} ${JSON.stringify(input)} -> ${JSON.stringify(suggestion)}${before.length > 0 ? ` (was ${JSON.stringify(before[0])})` : ''}`, () => {
      assert.ok(source === 'config' || SPEC_LANGUAGES.has(source), `no spec language ${source}`);
      if (before.length > 0) assert.notEqual(before[0], suggestion, 'a "before" column only where the suggestion changed');
      assert.equal(suggestionFor(source, input), suggestion);
    });
  }
});
