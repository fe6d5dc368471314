// CPUID policy (`cpuid`, x86): the libxl string form `host,flag=value,...` (language 'cpuid')
// and the legacy xend list form `LEAF[,SUBLEAF]:REG=BITS,...` (language 'cpuid-xend', one list
// element). Mirrors libxl_cpuid.c; xl prints errors for bad items but still creates the guest.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, cStrtoul, language, quoted, strtok } from './common';
import { didYouMean } from '../text/suggest';

/** Feature names from xen/include/public/arch-x86/cpufeatureset.h (lower case, `_` as `-`), Xen 4.23-unstable. */
export const CPUID_FEATURES: readonly string[] = [
  '3dnow', '3dnowext', '3dnowprefetch', 'abm', 'acpi', 'addr-msk-ext', 'adx', 'aesni', 'amd-fsrc',
  'amd-fsrs', 'amd-ppin', 'amd-prefetchi', 'amd-ssbd', 'amd-stibp', 'amx-bf16', 'amx-complex', 'amx-fp16',
  'amx-int8', 'amx-tile', 'apic', 'arch-caps', 'arch-lbr', 'arch-perf-mon', 'auto-ibrs', 'avx', 'avx-ifma',
  'avx-ne-convert', 'avx-vnni', 'avx-vnni-int16', 'avx-vnni-int8', 'avx2', 'avx512-4fmaps', 'avx512-4vnniw',
  'avx512-bf16', 'avx512-bitalg', 'avx512-bmm', 'avx512-fp16', 'avx512-ifma', 'avx512-vbmi', 'avx512-vbmi2',
  'avx512-vnni', 'avx512-vp2intersect', 'avx512-vpopcntdq', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512er',
  'avx512f', 'avx512pf', 'avx512vl', 'bhi-ctrl', 'bhi-no', 'bld', 'bmi1', 'bmi2', 'btc-no', 'cet-ibt',
  'cet-ss', 'cet-sss', 'cldemote', 'clflush', 'clflushopt', 'clwb', 'clzero', 'cmov', 'cmp-legacy',
  'cmpccxadd', 'core-caps', 'cpb', 'cppc', 'cpuid-user-dis', 'cr8-legacy', 'cx16', 'cx8', 'dbext', 'dca',
  'ddp-ctrl', 'de', 'doitm', 'ds', 'dscpl', 'dtes64', 'efro', 'eibrs', 'eist', 'energy-filtering', 'enqcmd',
  'epsf', 'erms', 'extapic', 'f16c', 'fb-clear', 'fb-clear-ctrl', 'fbsdp-no', 'fdp-excp-only', 'ffxsr',
  'fma', 'fma4', 'fpu', 'fred', 'fs-gs-ns', 'fsgsbase', 'fsrcs', 'fsrm', 'fsrs', 'fsrsc', 'fxsr', 'fzrm',
  'gds-ctrl', 'gds-no', 'gfni', 'hle', 'htt', 'hw-pstate', 'hybrid', 'hypervisor', 'ibpb', 'ibpb-brtype',
  'ibpb-ret', 'ibrs', 'ibrs-always', 'ibrs-fast', 'ibrs-same-mode', 'ibrsb', 'ibs', 'if-pschange-mc-no',
  'ign-umonitor', 'intel-ppin', 'intel-psfd', 'intel-ssb-no', 'invpcid', 'ipred-ctrl', 'its-no', 'itsc',
  'l1d-flush', 'la57', 'lahf-lm', 'lam', 'lass', 'lfence-dispatch', 'lkgs', 'lm', 'lwp', 'mca', 'mcdt-no',
  'mce', 'mcu-ctrl', 'mcu-ext', 'md-clear', 'mds-no', 'misalignsse', 'misc-pkg-ctrl', 'mmx', 'mmxext',
  'mon-umon-mitg', 'monitor', 'monitorx', 'movbe', 'movdir64b', 'movdiri', 'movrs', 'mpx', 'msr', 'msrlist',
  'mtrr', 'nmi-src', 'no-fpu-sel', 'no-invd', 'no-lmsl', 'no-nest-bp', 'nodeid-msr', 'nscb', 'nx', 'ospke',
  'osvw', 'osxsave', 'ovrclk-status', 'pae', 'page1gb', 'pat', 'pb-opt-ctrl', 'pbe', 'pbrsb-no', 'pcid',
  'pclmulqdq', 'pconfig', 'pdcm', 'pge', 'pks', 'pku', 'popcnt', 'pqe', 'pqm', 'prefetchi', 'prefetchwt1',
  'proc-trace', 'psdp-no', 'pse', 'pse36', 'psfd', 'rdcl-no', 'rdpid', 'rdrand', 'rdseed', 'rdtscp',
  'rfds-clear', 'rfds-no', 'rrsba', 'rrsba-ctrl', 'rsba', 'rstr-fp-err-ptrs', 'rtm', 'rtm-always-abort',
  'sbdr-ssdp-no', 'sbpb', 'sdbg', 'sep', 'serialize', 'sgx', 'sgx-keys', 'sgx-lc', 'sha', 'sha512', 'skinit',
  'skip-l1dfl', 'slsm', 'sm3', 'sm4', 'smap', 'smep', 'smx', 'srbds-ctrl', 'srso-msr-fix', 'srso-no',
  'srso-us-no', 'ss', 'ssb-no', 'ssbd', 'sse', 'sse2', 'sse3', 'sse4-1', 'sse4-2', 'sse4a', 'ssse3', 'stibp',
  'stibp-always', 'svm', 'syscall', 'taa-no', 'tbm', 'tm1', 'tm2', 'tme', 'topoext', 'tsa-l1-no',
  'tsa-sq-no', 'tsc', 'tsc-adjust', 'tsc-deadline', 'tsx-ctrl', 'tsx-force-abort', 'tsxldtrk', 'uc-lock-dis',
  'uintr', 'uiret-uif', 'umip', 'vaes', 'verw-clear', 'virt-ssbd', 'vme', 'vmx', 'vpclmulqdq', 'waitpkg',
  'wbnoinvd', 'wdt', 'wrmsrns', 'x2apic', 'xapic-status', 'xfd', 'xgetbv1', 'xop', 'xsave', 'xsavec',
  'xsaveopt', 'xsaves', 'xtpr',
];

/** Features that live in MSR_ARCH_CAPABILITIES; libxl only accepts a single character for them. */
const MSR_FEATURES = new Set([
  'rdcl-no', 'eibrs', 'rsba', 'skip-l1dfl', 'intel-ssb-no', 'mds-no', 'if-pschange-mc-no', 'tsx-ctrl', 'taa-no',
  'mcu-ctrl', 'misc-pkg-ctrl', 'energy-filtering', 'doitm', 'sbdr-ssdp-no', 'fbsdp-no', 'psdp-no', 'mcu-ext',
  'fb-clear', 'fb-clear-ctrl', 'rrsba', 'bhi-no', 'xapic-status', 'ovrclk-status', 'pbrsb-no', 'gds-ctrl', 'gds-no',
  'rfds-no', 'rfds-clear', 'ign-umonitor', 'mon-umon-mitg', 'pb-opt-ctrl', 'its-no',
]);

/** libxl's own table of legacy single-bit names (kept for old configs). */
const LEGACY_FLAGS: Readonly<Record<string, string>> = {
  est: 'Enhanced SpeedStep (legacy name of eist).',
  cntxid: 'L1 context ID.',
  cmpxchg16: 'CMPXCHG16B instruction (legacy name of cx16).',
  sse4_1: 'SSE4.1 instructions (legacy name of sse4-1).',
  'sse4.1': 'SSE4.1 instructions (legacy name of sse4-1).',
  sse4_2: 'SSE4.2 instructions (legacy name of sse4-2).',
  'sse4.2': 'SSE4.2 instructions (legacy name of sse4-2).',
  aes: 'AES-NI instructions (legacy name of aesni).',
  cmpxchg8: 'CMPXCHG8B instruction (legacy name of cx8).',
  sysenter: 'SYSENTER/SYSEXIT instructions (legacy name of sep).',
  psn: 'Processor serial number.',
  clfsh: 'CLFLUSH instruction (legacy name of the clflush feature).',
  tm: 'Thermal monitor (legacy name of tm1).',
  ia64: 'IA-64 processor bit.',
  arat: 'Always-running APIC timer.',
  tsc_adjust: 'IA32_TSC_ADJUST MSR (legacy name of tsc-adjust).',
  cmt: 'Cache monitoring technology (legacy name of pqm).',
  lahfsahf: 'LAHF/SAHF in 64-bit mode (legacy name of lahf-lm).',
  cmplegacy: 'Core multi-processing legacy mode (legacy name of cmp-legacy).',
  altmovcr8: 'LOCK MOV CR0 means MOV CR8 (legacy name of cr8-legacy).',
  nodeid: 'Node ID MSR (legacy name of nodeid-msr).',
  perfctr_core: 'Core performance counter extensions.',
  perfctr_nb: 'Northbridge performance counter extensions.',
  invtsc: 'Invariant TSC (legacy name of itsc).',
  ppin: 'Protected processor inventory number (legacy name of amd-ppin).',
  svm_npt: 'SVM nested page tables.',
  svm_lbrv: 'SVM LBR virtualisation.',
  svm_nrips: 'SVM next-RIP saving.',
  svm_tscrate: 'SVM TSC rate MSR.',
  svm_vmcbclean: 'SVM VMCB clean bits.',
  svm_decode: 'SVM decode assists.',
  svm_pausefilt: 'SVM pause intercept filter.',
  'lfence+': 'LFENCE is dispatch serialising (legacy name of lfence-dispatch).',
};

/** Multi-bit fields that take a number rather than a single-bit policy. */
const NUMBER_FIELDS: Readonly<Record<string, string>> = {
  maxleaf: 'Highest standard CPUID leaf reported to the guest (leaf 0, EAX).',
  stepping: 'CPU stepping number reported in leaf 1.',
  model: 'CPU model number reported in leaf 1 (extended model bits are filled in automatically).',
  family: 'CPU family reported in leaf 1; values above 15 use the extended family field.',
  brandid: 'Brand index reported in leaf 1 EBX.',
  clflush: 'CLFLUSH line size field of leaf 1 EBX, in 8-byte units (the flag itself is called clfsh).',
  proccount: 'Logical processor count field of leaf 1 EBX.',
  localapicid: 'Initial local APIC id field of leaf 1 EBX.',
  procpkg: 'Cores-per-package field of leaf 4 EAX.',
  nc: 'Number of cores minus one, leaf 0x80000008 ECX.',
  apicidsize: 'APIC id size field of leaf 0x80000008 ECX.',
  maxhvleaf: 'Highest hypervisor CPUID leaf (0x40000000 EAX) offered to the guest.',
};

const POLICY_VALUES = ['1', '0', 'x', 'k', 's'];
const POLICY_VALUE_DOCS: Readonly<Record<string, string>> = {
  '1': 'Force the feature on.',
  '0': 'Force the feature off (hide it from the guest).',
  x: 'Leave it to Xen\'s safe default for this guest.',
  k: 'Keep the value the host CPU reports.',
  s: 'Old alias of k (keep the host value).',
};

function flagDoc(name: string, what: string): SpecKeyDoc {
  return {
    name,
    doc: `${what} Write \`${name}=0\` to hide it from the guest or \`${name}=1\` to force it; \`x\` and \`k\` leave it to Xen or the host.`,
    values: POLICY_VALUES,
    valueDocs: POLICY_VALUE_DOCS,
    example: `${name}=0`,
  };
}

export const CPUID_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'host',
    doc: 'Mandatory first word of the string form: the policy starts from what the host CPU offers and the following `flag=value` items adjust it.',
    example: 'host,avx512f=0',
  },
  ...Object.entries(NUMBER_FIELDS).map(([name, doc]): SpecKeyDoc => ({ name, doc: `${doc} Takes a number (decimal or 0x hex).`, example: `${name}=4` })),
  ...Object.entries(LEGACY_FLAGS).map(([name, doc]) => flagDoc(name, `CPUID feature bit: ${doc}`)),
  ...CPUID_FEATURES.filter((f) => !(f in NUMBER_FIELDS)).map((f) => flagDoc(f, `CPUID feature bit "${f}" as named by Xen's feature set.`)),
];

const ALL_FLAG_NAMES = [...Object.keys(NUMBER_FIELDS), ...Object.keys(LEGACY_FLAGS), ...CPUID_FEATURES];
const FLAG_SET = new Set(ALL_FLAG_NAMES);

export const cpuidLanguage = language('cpuid', CPUID_KEYS, (text, out: Collector) => {
  const tokens = strtok(text, ',');
  if (tokens.length === 0) return;
  const first = tokens[0];
  if (first.text !== 'host') {
    const hint = /^[0-9]/.test(first.text) ? '; the LEAF:REG=BITS form must be written as a list, one string per leaf' : '';
    out.warning(first.start, first.end, 'cpuid-host', `first word must be "host", not ${quoted(first.text)}${hint}; xl reports it and ignores the whole cpuid string`);
    return;
  }
  out.part('host', 'host', first.start, first.end, first.end, true);
  for (const tok of tokens.slice(1)) checkFlag(out, tok.text, tok.start);
});

/** Mirrors libxl_cpuid_parse_config() for one `flag=value` item. */
function checkFlag(out: Collector, item: string, start: number): void {
  const equals = item.indexOf('=');
  if (equals < 0) {
    out.warning(start, start + item.length, 'cpuid-flag', `missing "=" in key=value: ${quoted(item)}; write e.g. "${item.trim() || 'avx'}=0"; xl skips this item`);
    return;
  }
  const name = item.slice(0, equals);
  const value = item.slice(equals + 1);
  const valueStart = start + equals + 1;
  const valueEnd = start + item.length;
  if (!FLAG_SET.has(name)) {
    out.warning(start, start + equals, 'cpuid-flag', `unknown CPUID flag name ${quoted(name)}${didYouMean(name, ALL_FLAG_NAMES)}; xl skips this item`);
    return;
  }
  out.part(name, value, start, valueEnd, valueStart, true);
  if (MSR_FEATURES.has(name)) {
    if (value.length !== 1 || !POLICY_VALUES.includes(value)) {
      out.warning(valueStart, valueEnd, 'cpuid-value', `illegal CPUID value ${quoted(value)} for ${name}; this MSR-based feature takes exactly one of 0, 1, x, k, s; xl skips this item`);
    }
    return;
  }
  const num = cStrtoul(value, 0, 0);
  if (num.ok) {
    if (num.end !== value.length) {
      out.warning(valueStart + num.end, valueEnd, 'cpuid-value', `trailing text ${quoted(value.slice(num.end))} after the number is ignored`);
    } else if (!(name in NUMBER_FIELDS) && num.value > 1n) {
      out.warning(valueStart, valueEnd, 'cpuid-value', `${name} is a single bit; only the lowest bit of ${quoted(value)} is used, write 0 or 1`);
    }
    return;
  }
  if (value[0] === 'x' || value[0] === 'k' || value[0] === 's') {
    if (value.length > 1) out.warning(valueStart + 1, valueEnd, 'cpuid-value', `only the first character of ${quoted(value)} counts; write "${value[0]}"`);
    if (name in NUMBER_FIELDS) return;
    return;
  }
  out.warning(valueStart, valueEnd, 'cpuid-value', `illegal CPUID value ${quoted(value)} (must be: [0|1|x|k|s]); xl skips this item`);
}

const REGS = ['eax', 'ebx', 'ecx', 'edx'];

export const CPUID_XEND_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'leaf',
    doc: 'CPUID leaf (input EAX) the line applies to, decimal or 0x hex, optionally followed by `,SUBLEAF` (input ECX) and then a colon.',
    example: '0x00000001',
  },
  {
    name: 'subleaf',
    doc: 'Optional CPUID subleaf (input ECX) after the leaf, for leaves such as 7 or 0xd that have several pages.',
    example: '0',
  },
  ...REGS.map((r): SpecKeyDoc => ({
    name: r,
    doc: `Policy for the ${r.toUpperCase()} output register: exactly 32 characters, bit 31 first, each one of 1 (force on), 0 (force off), x (Xen default), k or s (keep the host bit).`,
    example: `${r}=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
  })),
];

export const cpuidXendLanguage = language('cpuid-xend', CPUID_XEND_KEYS, (text, out: Collector) => {
  const length = text.length;
  const warn = (start: number, end: number, code: string, msg: string) => out.warning(start, end, code, `${msg}; xl reports it and skips this line`);
  // Mirrors libxl_cpuid_parse_config_xend().
  const leaf = cStrtoul(text, 0, 0);
  if (!leaf.ok) {
    let e = 0;
    while (e < length && text[e] !== ':' && text[e] !== ',') e++;
    warn(0, e, 'cpuid-leaf', `illegal leaf number ${quoted(text.slice(0, e))}; start with a leaf such as 0x00000001 or 7,0`);
    return;
  }
  out.part('leaf', text.slice(0, leaf.end), 0, leaf.end, 0, false);
  let p = leaf.end;
  if (text[p] === ',') {
    const sub = cStrtoul(text, p + 1, 0);
    if (!sub.ok) {
      let e = p + 1;
      while (e < length && text[e] !== ':') e++;
      warn(p + 1, e, 'cpuid-leaf', `illegal subleaf number ${quoted(text.slice(p + 1, e))}`);
      return;
    }
    out.part('subleaf', text.slice(p + 1, sub.end), p + 1, sub.end, p + 1, false);
    p = sub.end;
  }
  if (text[p] !== ':') {
    warn(p, Math.min(length, p + 1), 'cpuid-leaf', `missing colon after the leaf at ${quoted(text.slice(p))}; write LEAF[,SUBLEAF]:REG=BITS`);
    return;
  }
  p++;
  while (p < length) {
    const regStart = p;
    if (text[p] !== 'e' || text[p + 2] !== 'x') {
      warn(p, Math.min(length, p + 3), 'cpuid-reg', `invalid register name ${quoted(text.slice(p, p + 3))} (must be e[abcd]x)`);
      return;
    }
    const registerIndex = text.charCodeAt(p + 1) - 97;
    const equals = text.indexOf('=', p);
    if (registerIndex < 0 || registerIndex > 3 || equals < 0) {
      warn(p, Math.min(length, p + 3), 'cpuid-reg', `invalid register name ${quoted(text.slice(p, p + 3))} (must be e[abcd]x)`);
      return;
    }
    if (equals !== p + 3) out.warning(p + 3, equals, 'cpuid-reg', `text ${quoted(text.slice(p + 3, equals))} between the register and "=" is ignored`);
    const bitsStart = equals + 1;
    let bitsEnd = text.indexOf(',', bitsStart);
    if (bitsEnd < 0) bitsEnd = length;
    const bits = text.slice(bitsStart, bitsEnd);
    out.part(REGS[registerIndex], bits, regStart, bitsEnd, bitsStart, true);
    if (bits.length !== 32) {
      warn(bitsStart, bitsEnd, 'cpuid-bits', `policy string must be exactly 32 characters long, ${quoted(bits)} has ${bits.length}`);
      return;
    }
    for (let i = 0; i < 32; i++) {
      if (!'01xks'.includes(bits[i])) {
        out.warning(bitsStart + i, bitsStart + i + 1, 'cpuid-bits', `invalid policy character ${quoted(bits[i])}; use 1, 0, x, k or s`);
        break;
      }
    }
    if (bitsEnd >= length) return;
    p = bitsEnd + 1;
    while (text[p] === ' ' || text[p] === '\n') p++;
  }
});
