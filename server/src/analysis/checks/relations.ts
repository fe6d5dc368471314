// Rules that relate settings to each other: maxvcpus < vcpus, maxmem < memory, how the guest
// boots (bootloader with kernel, neither of them, pvgrub firmware with a kernel or other firmware
// on PV/PVH, hvmloader as an HVM kernel, root/extra beside cmdline), override paths without their
// kind, the vnuma nodes against the maximums, a VNC display given twice, builder/type disagreeing,
// and the settings xl reads but warns about or passes to nothing (msr_relaxed, opengl).

import { KEY, KEY_BY_NAME } from '../../catalogue';
import { removedBy } from '../../catalogue/xenVersions';
import { parseXlInteger, type Setting } from '../../syntax';
import { guestTypeFromBuilder, guestTypeFromType, xlLong, type ConfigModel } from '../model';
import { SPEC_LANGUAGES } from '../../specs';
import type { Problem } from '../types';
import { atomOffset } from './specs';

export function checkRelations(model: ConfigModel): Problem[] {
  const problems: Problem[] = [];
  const { effective } = model;
  const integer = (key: string): { setting: Setting; value: bigint } | undefined => {
    const setting = effective.get(key);
    const value = xlLong(setting);
    return setting === undefined || value === undefined ? undefined : { setting, value };
  };

  // Rule: maxvcpus-below-vcpus
  const vcpus = integer(KEY.vcpus);
  const maxvcpus = integer(KEY.maxvcpus);
  if (vcpus !== undefined && maxvcpus !== undefined && maxvcpus.value < vcpus.value) {
    problems.push({
      ...valueRange(maxvcpus.setting),
      severity: 'error',
      code: 'xl.maxvcpus-below-vcpus',
      message: `maxvcpus (${maxvcpus.value}) is less than vcpus (${vcpus.value}): \`xl create\` fails ("maxvcpus < vcpus")`,
      fixes: [{ title: `Set maxvcpus to ${vcpus.value}`, edits: [{ ...valueRange(maxvcpus.setting), newText: String(vcpus.value) }] }],
    });
  }

  // Rule: maxmem-below-memory
  const memory = integer(KEY.memory);
  const maxmem = integer(KEY.maxmem);
  if (memory !== undefined && maxmem !== undefined && maxmem.value < memory.value) {
    problems.push({
      ...valueRange(maxmem.setting),
      severity: 'warning',
      code: 'xl.maxmem-below-memory',
      message: `maxmem (${maxmem.value} MiB) is less than memory (${memory.value} MiB): the guest cannot get the memory it boots with, and libxl refuses to build it`,
    });
  }

  // Rule: no-memory
  if (!effective.has(KEY.memory) && maxmem === undefined && model.document.settings.length > 0 && !model.document.rejected) {
    problems.push({
      start: 0,
      end: Math.max(0, model.document.lineIndex.lineEnd(0)),
      severity: 'error',
      code: 'xl.no-memory',
      message: `this config sets neither \`memory\` nor \`maxmem\`: ${noMemoryConsequence(model)}`,
      fixes: [{ title: 'Add `memory = 1024` (MiB)', edits: [{ start: insertionAfter(model, KEY.name), end: insertionAfter(model, KEY.name), newText: 'memory = 1024\n' }] }],
    });
  }

  // Rule: bootloader-with-kernel
  const bootloader = effective.get(KEY.bootloader);
  const kernel = effective.get(KEY.kernel);
  if (bootloader !== undefined && kernel !== undefined) {
    problems.push({
      start: bootloader.assignment.key.start,
      end: bootloader.assignment.key.end,
      severity: 'warning',
      code: 'xl.bootloader-with-kernel',
      message: '`bootloader` and `kernel` are both set: use one way to boot (the bootloader finds the kernel inside the guest disk; `kernel` loads one from dom0)',
    });
  }

  // Rule: missing-kernel
  // xl_parse.c (parse_config_data, 4.17): a PV or PVH guest needs `kernel` or `bootloader`;
  // `firmware` (pvgrub32/pvgrub64) stands for a kernel. Without any of them xl exits ("Neither
  // kernel nor bootloader specified") before `-N` prints anything. A list is no value to xl: it
  // warns and reads nothing, so only strings count.
  const firmware = effective.get(KEY.firmware);
  const isString = (setting: Setting | undefined): boolean => setting !== undefined && typeof setting.value === 'string';
  if (model.guestType !== 'hvm' && model.guestTypeKnown && !model.document.rejected && model.document.settings.length > 0
    && !isString(kernel) && !isString(bootloader) && !isString(firmware)) {
    // On the setting that makes the guest PV or PVH; with the default type, on the first statement.
    const at = model.guestTypeSetting?.assignment ?? model.document.settings[0].assignment;
    const guest = model.guestType === 'pv' ? 'PV' : 'PVH';
    const why = model.guestTypeSetting === undefined ? ' (no `type` is set, so xl builds a PV guest)' : '';
    problems.push({
      start: at.start,
      end: at.end,
      severity: 'error',
      code: 'xl.missing-kernel',
      message: `a ${guest} guest boots from \`kernel\` or \`bootloader\` and this config has neither${why}: \`xl create\` refuses it ("Neither kernel nor bootloader specified"); set \`kernel\` to a kernel in dom0, \`bootloader = "pygrub"\` to boot the one on the guest's disk, or \`type = "hvm"\` for a guest with firmware`,
    });
  }

  // xl_parse.c (parse_config_data): on a PV or PVH guest `firmware` stands for a kernel, the
  // pvgrub image named by a prefix of pvgrub32 or pvgrub64; xl stops on a `kernel` beside it, then
  // on any other name.
  if (model.guestType !== 'hvm' && model.guestTypeKnown && firmware !== undefined && typeof firmware.value === 'string') {
    if (isString(kernel)) {
      // Rule: firmware-with-kernel
      problems.push({
        start: firmware.assignment.start,
        end: firmware.assignment.end,
        severity: 'error',
        code: 'xl.firmware-with-kernel',
        message: `on a ${GUEST_NAMES[model.guestType]} guest \`firmware\` loads pvgrub as the kernel, and \`kernel\` is set too: \`xl create\` refuses both ("both kernel and firmware specified"); keep one of them`,
      });
    } else if (!['pvgrub32', 'pvgrub64'].some((name) => name.startsWith(firmware.value as string))) {
      // Rule: bad-enum
      problems.push({
        ...valueRange(firmware),
        severity: 'error',
        code: 'xl.bad-enum',
        message: `on a ${GUEST_NAMES[model.guestType]} guest \`firmware\` can only be pvgrub32 or pvgrub64 (a kernel that boots the guest's own GRUB config): \`xl create\` refuses \`${firmware.value}\` ("only pvgrub{32|64} supported"); firmware such as OVMF needs \`type = "hvm"\``,
      });
    }
  }

  // Rule: override-without-kind
  // xl_parse.c (parse_config_data): an override path without the setting that says what it is
  // gets a warning, and libxl takes the default kind (SeaBIOS; qemu-xen).
  const overrideWithoutKind = (override: typeof biosPath, message: string): void => {
    if (override === undefined) return;
    problems.push({ start: override.assignment.key.start, end: override.assignment.key.end, severity: 'warning', code: 'xl.override-without-kind', message });
  };
  const biosPath = effective.get(KEY.biosPathOverride);
  if (model.guestType === 'hvm' && isString(biosPath) && !isString(effective.get(KEY.bios))) {
    overrideWithoutKind(biosPath, 'xl warns that `bios_path_override` is given without `bios`: the file is loaded as the default firmware (SeaBIOS); set `bios = "seabios"` or `bios = "ovmf"` to say what it is');
  }
  const dmOverride = effective.get(KEY.deviceModelOverride);
  if (isString(dmOverride) && !isString(effective.get(KEY.deviceModelVersion))) {
    overrideWithoutKind(dmOverride, 'xl warns that `device_model_override` is given without `device_model_version`: the program is run as the default device model (qemu-xen); add `device_model_version = "qemu-xen"` to say so');
  }

  // Rule: key-to-be-removed
  // xl_parse.c (parse_config_data): whenever it reads `msr_relaxed`, xl warns that the key will go
  // away and asks for a report of the problem it works around.
  const msrRelaxed = effective.get(KEY.msrRelaxed);
  if (msrRelaxed !== undefined && typeof msrRelaxed.value === 'string' && msrRelaxed.op === '=' && parseXlInteger(msrRelaxed.value).ok) {
    problems.push({
      start: msrRelaxed.assignment.key.start,
      end: msrRelaxed.assignment.key.end,
      severity: 'warning',
      code: 'xl.key-to-be-removed',
      message: 'xl warns on every `xl create` that `msr_relaxed` will be removed in a future Xen and asks to report the problem it works around (to xen-devel@lists.xenproject.org)',
    });
  }

  problems.push(...vnumaTotals(model, integer), ...openglWithoutEffect(model), ...rombiosWithQemuXen(model), ...viridianWithoutBase(model));

  // Rule: hvmloader-kernel
  // xl_parse.c (parse_config_data, 4.17): on an HVM guest a `kernel` whose file name is
  // `hvmloader` is taken for an attempt to replace the firmware; xl warns and drops it. Any other
  // kernel is a direct kernel boot, which HVM guests support.
  if (model.guestType === 'hvm' && kernel !== undefined && typeof kernel.value === 'string' && basename(kernel.value) === 'hvmloader') {
    problems.push({
      start: kernel.assignment.start,
      end: kernel.assignment.end,
      severity: 'warning',
      code: 'xl.hvmloader-kernel',
      message: 'xl ignores a `kernel` named hvmloader on an HVM guest (it warns that this is no way to replace the firmware) and boots the default firmware; remove the line, or use `firmware_override` for other firmware',
      unnecessary: true,
    });
  }

  // Rule: root-extra-ignored
  // xl_parse.c (parse_cmdline, 4.17): `cmdline` is the whole kernel command line; when it is set,
  // xl warns and leaves out `root` and `extra`, which it would otherwise join into one.
  const cmdline = effective.get(KEY.cmdline);
  if (isString(cmdline)) {
    for (const key of [KEY.root, KEY.extra]) {
      const ignored = effective.get(key);
      if (ignored === undefined || !isString(ignored)) continue;
      problems.push({
        start: ignored.assignment.start,
        end: ignored.assignment.end,
        severity: 'warning',
        code: 'xl.root-extra-ignored',
        message: `xl ignores \`${key}\` because \`cmdline\` is set and gives the whole kernel command line; move what \`${key}\` says into \`cmdline\`${key === KEY.root ? ' (as `root=...`)' : ''} and remove this line`,
        unnecessary: true,
      });
    }
  }

  // Rule: vnc-display-twice
  const vnclisten = effective.get(KEY.vnclisten);
  const vncdisplay = effective.get(KEY.vncdisplay);
  if (vnclisten !== undefined && vncdisplay !== undefined && typeof vnclisten.value === 'string' && vnclisten.value.includes(':')) {
    problems.push({
      ...valueRange(vnclisten),
      severity: model.guestType === 'hvm' ? 'error' : 'warning',
      code: 'xl.vnc-display-twice',
      message: `the VNC display is given both in vnclisten ("${vnclisten.value}") and in vncdisplay: xl stops ("Display specified both in vnclisten and vncdisplay"); keep only one`,
    });
  }

  // Rule: builder-type-conflict
  const type = effective.get(KEY.type);
  const builder = effective.get(KEY.builder);
  if (type !== undefined && builder !== undefined && typeof type.value === 'string' && typeof builder.value === 'string') {
    const fromType = guestTypeFromType(type.value);
    const fromBuilder = guestTypeFromBuilder(builder.value);
    if (fromType !== undefined && fromBuilder !== undefined && fromType !== fromBuilder) {
      problems.push({
        start: builder.assignment.start,
        end: builder.assignment.end,
        severity: 'error',
        code: 'xl.builder-type-conflict',
        message: `\`builder\` says ${fromBuilder} but \`type\` says ${fromType}: xl stops ("Contradicting builder and type options"); remove \`builder\``,
      });
    }
  }
  return problems;
}

const GUEST_NAMES = { pv: 'PV', pvh: 'PVH', hvm: 'HVM' } as const;

/**
 * Rule: vnuma-mismatch. xl_parse.c (parse_vnuma_config) adds up the vCPUs and the sizes of the
 * virtual nodes and stops when `maxvcpus` or `maxmem` is set to something else; without
 * `maxvcpus`, the vCPU total becomes the maximum, so a larger `vcpus` fails as "maxvcpus < vcpus".
 * Only counted when every `vcpus` and `size` item is plain: otherwise other rules explain the item,
 * and xl's count of it is not worth repeating.
 */
function vnumaTotals(model: ConfigModel, integer: (key: string) => { setting: Setting; value: bigint } | undefined): Problem[] {
  const vnuma = model.effective.get(KEY.vnuma);
  if (vnuma === undefined || !Array.isArray(vnuma.value) || vnuma.value.length === 0) return [];
  let vcpuTotal = 0n;
  let sizeTotal = 0n;
  for (const node of vnuma.value) {
    if (!Array.isArray(node)) return [];
    for (const item of node) {
      if (typeof item !== 'string') continue;
      const equals = item.indexOf('=');
      if (equals < 0) return [];
      const key = item.slice(0, equals).trim();
      const value = item.slice(equals + 1).trim();
      if (key === 'size') {
        if (!/^[0-9]+$/.test(value)) return [];
        sizeTotal += BigInt(value);
      } else if (key === 'vcpus') {
        for (const range of value.split(',').filter((part) => part !== '')) {
          const match = /^([0-9]+)(?:-([0-9]+))?$/.exec(range);
          if (match === null) return [];
          const first = BigInt(match[1]);
          const last = match[2] === undefined ? first : BigInt(match[2]);
          if (last < first) return [];
          vcpuTotal += last - first + 1n;
        }
      }
    }
  }
  const problems: Problem[] = [];
  const maxvcpus = integer(KEY.maxvcpus);
  const vcpus = integer(KEY.vcpus);
  if (maxvcpus !== undefined && maxvcpus.value !== 0n && maxvcpus.value !== vcpuTotal) {
    problems.push({
      ...valueRange(maxvcpus.setting),
      severity: 'error',
      code: 'xl.vnuma-mismatch',
      message: `maxvcpus (${maxvcpus.value}) differs from the ${vcpuTotal} vCPU(s) the vnuma nodes list: \`xl create\` fails ("vnuma vcpus and maxvcpus= mismatch")`,
    });
  } else if ((maxvcpus === undefined || maxvcpus.value === 0n) && vcpus !== undefined && vcpus.value > vcpuTotal) {
    problems.push({
      ...valueRange(vcpus.setting),
      severity: 'error',
      code: 'xl.vnuma-mismatch',
      message: `vcpus (${vcpus.value}) is more than the ${vcpuTotal} vCPU(s) the vnuma nodes list, which become the maximum: \`xl create\` fails ("maxvcpus < vcpus")`,
    });
  }
  const maxmem = integer(KEY.maxmem);
  if (maxmem !== undefined && maxmem.value !== sizeTotal) {
    problems.push({
      ...valueRange(maxmem.setting),
      severity: 'error',
      code: 'xl.vnuma-mismatch',
      message: `maxmem (${maxmem.value} MiB) differs from the ${sizeTotal} MiB the sizes of the vnuma nodes add up to: \`xl create\` fails ("maxmem and vnuma memory size mismatch")`,
    });
  }
  return problems;
}

/**
 * Rule: opengl-no-effect. xl reads `opengl` at the top level and in a `vfb` spec in every release
 * without a word (xl_parse.c, 4.17 to 4.22), but libxl passes it only to qemu-xen-traditional (as
 * `-disable-opengl` when it is 0, libxl_dm.c); qemu-xen, the default device model and from Xen
 * 4.21 the only one, gets no OpenGL option. So a non-zero `opengl` asks for something no other
 * device model does.
 */
function openglWithoutEffect(model: ConfigModel): Problem[] {
  const version = model.effective.get(KEY.deviceModelVersion);
  if (version !== undefined && version.value === 'qemu-xen-traditional') return [];
  const problems: Problem[] = [];
  const message = (where: string): string => `${where} has no effect: only the old qemu-xen-traditional device model draws with OpenGL, and this guest uses qemu-xen (the default, and the only device model from Xen 4.21); libxl passes the setting on to nothing`;
  const opengl = model.effective.get(KEY.opengl);
  if (opengl !== undefined && typeof opengl.value === 'string' && opengl.op === '=') {
    const value = parseXlInteger(opengl.value);
    if (value.ok && value.value !== 0n) problems.push({ ...valueRange(opengl), severity: 'warning', code: 'xl.opengl-no-effect', message: message('`opengl`') });
  }
  const vfb = model.effective.get(KEY.vfb);
  const language = SPEC_LANGUAGES.get('vfb');
  const node = vfb?.assignment.value;
  if (node?.kind === 'list' && language !== undefined) {
    for (const item of node.items) {
      if (item.kind !== 'atom') break;
      for (const part of language.parse(item.value).parts) {
        // xl reads the value with atoi(): leading blanks, a sign and digits.
        const digits = /^[ \t\n\v\f\r]*[+-]?([0-9]+)/.exec(part.value);
        if (part.key !== 'opengl' || digits === null || /^0+$/.test(digits[1])) continue;
        problems.push({
          start: atomOffset(model.document.text, item, part.start),
          end: atomOffset(model.document.text, item, part.end),
          severity: 'warning',
          code: 'xl.opengl-no-effect',
          message: message('`opengl=` in a vfb spec'),
        });
      }
    }
  }
  return problems;
}

/** libxl_basename(): what follows the last `/` (the whole path when there is none). */
function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Rule: rombios-needs-traditional. libxl builds the ROMBIOS firmware only with the old
 * qemu-xen-traditional device model; with qemu-xen, the default, it refuses the guest when
 * `xl create` sets it up ("qemu-xen does not support bios=rombios"), which `xl create -N` does not
 * get to (found with the real `xl create` on Xen 4.17 and 4.20). From 4.21, where the value itself
 * is gone, the version check says so instead.
 */
function rombiosWithQemuXen(model: ConfigModel): Problem[] {
  const bios = model.effective.get(KEY.bios);
  if (model.guestType !== 'hvm' || bios === undefined || typeof bios.value !== 'string' || bios.value.toLowerCase() !== 'rombios') return [];
  if (model.effective.get(KEY.deviceModelVersion)?.value === 'qemu-xen-traditional') return [];
  const facts = KEY_BY_NAME.get(KEY.bios)?.valueVersions?.rombios;
  if (model.target !== undefined && removedBy(facts, model.target.version)) return [];
  return [
    {
      ...valueRange(bios),
      severity: 'error',
      code: 'xl.rombios-needs-traditional',
      message: '`bios = "rombios"` needs the old qemu-xen-traditional device model; with qemu-xen (the default) libxl refuses the guest and `xl create` fails ("qemu-xen does not support bios=rombios"); `xl create -N` does not notice',
      fixes: [{ title: 'Use SeaBIOS (the default)', edits: [{ ...valueRange(bios), newText: '"seabios"' }], preferred: true }],
    },
  ];
}

/** The Viridian groups libxl knows (4.17 to 4.22); an unknown one stops xl before libxl looks. */
const VIRIDIAN_GROUPS = new Set(['base', 'freq', 'time_ref_count', 'reference_tsc', 'hcall_remote_tlb_flush', 'apic_assist', 'crash_ctl', 'synic', 'stimer', 'hcall_ipi', 'ex_processor_masks', 'no_vp_limit', 'cpu_hotplug']);

/** The groups libxl turns on for `viridian = 1` or the item `defaults`. */
const VIRIDIAN_DEFAULTS = ['base', 'freq', 'time_ref_count', 'apic_assist', 'crash_ctl', 'no_vp_limit', 'cpu_hotplug'];

/**
 * Rule: viridian-without-base. Every Viridian group builds on `base`: libxl refuses a guest whose
 * groups, after xl and libxl have applied the list left to right (`defaults` and `all` switch on
 * sets, `!group` switches one off), include others but not `base` ("base group not enabled"),
 * when `xl create` builds it; `xl create -N` accepts it. Unknown names are xl.bad-enum's.
 */
function viridianWithoutBase(model: ConfigModel): Problem[] {
  const viridian = model.effective.get(KEY.viridian);
  const node = viridian?.assignment.value;
  if (model.guestType !== 'hvm' || viridian === undefined || node?.kind !== 'list') return [];
  let defaults = false;
  let all = false;
  const enabled = new Set<string>();
  const disabled = new Set<string>();
  for (const item of node.items) {
    if (item.kind !== 'atom') return [];
    if (item.value === 'all') all = true;
    else if (item.value === 'defaults') defaults = true;
    else {
      const off = item.value.startsWith('!');
      const group = (off ? item.value.slice(1) : item.value).toLowerCase();
      if (!VIRIDIAN_GROUPS.has(group)) return [];
      (off ? disabled : enabled).add(group);
      (off ? enabled : disabled).delete(group);
    }
  }
  const base = (defaults || all || enabled.has('base')) && !disabled.has('base');
  const others = all || (defaults && VIRIDIAN_DEFAULTS.some((group) => group !== 'base' && !disabled.has(group))) || [...enabled].some((group) => group !== 'base' && !disabled.has(group));
  if (base || !others) return [];
  const first = node.items[0];
  return [
    {
      start: node.start,
      end: node.end,
      severity: 'error',
      code: 'xl.viridian-without-base',
      message: 'these Viridian groups leave out `base`, which every other group builds on: libxl refuses the guest and `xl create` fails ("base group not enabled"); `xl create -N` does not notice',
      fixes: first === undefined ? [] : [{ title: 'Add the `base` group', edits: [{ start: first.start, end: first.start, newText: '"base", ' }] }],
    },
  ];
}

/**
 * What xl does with a guest whose memory size it has none of (no `memory` it can read, no
 * `maxmem`), found with the real `xl create` on Xen 4.17 and 4.20: it leaves the size unset, so
 * libxl sizes an HVM or PVH guest's paging pool from that unset value and refuses to build it, and
 * a PV guest gets libxl's 32 MiB, which a current kernel does not fit in.
 */
export function noMemoryConsequence(model: ConfigModel): string {
  return model.guestType === 'pv'
    ? 'the guest gets 32 MiB, too little for a current kernel, and `xl create` fails to build it ("segment kernel too large"); `xl create -N` does not notice'
    : 'the size stays unset, libxl computes the guest\'s paging pool from it and `xl create` fails ("shadow_memkb value … too large"); `xl create -N` does not notice';
}

/** Where a new line goes: after the line of `key` when it is set, else at the start. */
function insertionAfter(model: ConfigModel, key: string): number {
  const setting = model.effective.get(key);
  if (setting === undefined) return 0;
  const line = model.document.lineIndex.positionAt(setting.assignment.end).line;
  return Math.min(model.document.text.length, model.document.lineIndex.lineEnd(line) + 1);
}

function valueRange(setting: Setting & { setting?: never }): { start: number; end: number } {
  const value = setting.assignment.value;
  return value === undefined ? { start: setting.assignment.start, end: setting.assignment.end } : { start: value.start, end: value.end };
}
