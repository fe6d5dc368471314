// Rules that relate settings to each other: maxvcpus < vcpus, maxmem < memory, bootloader with
// kernel, a VNC display given twice, and builder/type disagreeing.

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

function valueRange(setting: Setting & { setting?: never }): { start: number; end: number } {
  const value = setting.assignment.value;
  return value === undefined ? { start: setting.assignment.start, end: setting.assignment.end } : { start: value.start, end: value.end };
}
