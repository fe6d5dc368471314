// Rules that relate settings to each other: maxvcpus < vcpus, maxmem < memory, how the guest
// boots (bootloader with kernel, neither of them, hvmloader as an HVM kernel, root/extra beside
// cmdline), a VNC display given twice, and builder/type disagreeing.

import { KEY } from '../../catalogue';
import { parseXlInteger, type Setting } from '../../syntax';
import { guestTypeFromBuilder, guestTypeFromType, type ConfigModel } from '../model';
import type { Problem } from '../types';

export function checkRelations(model: ConfigModel): Problem[] {
  const problems: Problem[] = [];
  const { effective } = model;
  const integer = (key: string): { setting: Setting; value: bigint } | undefined => {
    const setting = effective.get(key);
    if (setting === undefined || typeof setting.value !== 'string' || setting.op === '+=') return undefined;
    const result = parseXlInteger(setting.value);
    return result.ok ? { setting, value: result.value } : undefined;
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

/** libxl_basename(): what follows the last `/` (the whole path when there is none). */
function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function valueRange(setting: Setting & { setting?: never }): { start: number; end: number } {
  const value = setting.assignment.value;
  return value === undefined ? { start: setting.assignment.start, end: setting.assignment.end } : { start: value.start, end: value.end };
}
