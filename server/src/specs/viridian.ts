// VIRIDIAN: one element of the `viridian = [ ... ]` list (HVM): a Hyper-V enlightenment group,
// `all`, `defaults` or `!group`, matched like xl_parse.c and libxl's enum parser.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, hasCaseless, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

const GROUP_DOCS: Readonly<Record<string, string>> = {
  base: 'Core Hyper-V interface: hypercall page, guest OS id and the VP index/APIC MSRs. Every other group depends on it.',
  freq: 'Lets the guest read TSC and APIC timer frequencies from MSRs instead of calibrating them.',
  time_ref_count: 'Partition reference counter, a stable clock source for Windows.',
  reference_tsc: 'Reference TSC page, a cheaper clock than the reference counter; only safe when the TSC is invariant or the guest does not migrate between different hosts.',
  hcall_remote_tlb_flush: 'Hypercall for flushing other vCPUs\' TLBs, which helps guests with many vCPUs.',
  apic_assist: 'APIC assist page, which lets the guest skip some EOI exits.',
  crash_ctl: 'Crash control MSRs, so a Windows bug check is reported to the toolstack log.',
  synic: 'Synthetic interrupt controller (SynIC) MSRs; needed by stimer. Accepted although Xen\'s manual does not list it.',
  stimer: 'Synthetic timers, cheaper than emulated timers for Windows; requires synic and time_ref_count.',
  hcall_ipi: 'Hypercall for sending IPIs to several vCPUs at once.',
  ex_processor_masks: 'Sparse processor sets in hypercalls, needed for guests with more than 64 vCPUs.',
  no_vp_limit: 'Removes the advertised 64-vCPU limit so Windows can use all vCPUs.',
  cpu_hotplug: 'Hyper-V interface for adding vCPUs while the guest runs.',
};
const GROUPS = Object.keys(GROUP_DOCS);
/** The groups and the two sets, for did-you-mean; constants, so `closest` remembers its answers. */
const GROUPS_AND_SETS = [...GROUPS, 'all', 'defaults'];

export const VIRIDIAN_KEYS: readonly SpecKeyDoc[] = [
  ...GROUPS.map((name): SpecKeyDoc => ({ name, doc: GROUP_DOCS[name], example: `"${name}"` })),
  {
    name: 'defaults',
    doc: 'The set Xen enables when `viridian = 1`: base, freq, time_ref_count, apic_assist, crash_ctl, no_vp_limit and cpu_hotplug. Must be lower case.',
    example: '"defaults"',
  },
  {
    name: 'all',
    doc: 'Every enlightenment group this Xen knows about. Must be lower case and cannot be negated.',
    example: '"all"',
  },
  {
    name: '!',
    doc: 'Prefix that disables a group instead of enabling it, e.g. `"!reference_tsc"` after `"defaults"`. Items are applied left to right.',
    example: '"!reference_tsc"',
  },
];

export const viridianLanguage = language('viridian', VIRIDIAN_KEYS, (text, out: Collector) => {
  // Mirrors xl_parse.c: "all" and "defaults" are compared with strcmp (exact) before anything else.
  if (text === 'all' || text === 'defaults') {
    out.part(text, text, 0, text.length, 0, false);
    return;
  }
  let nameStart = 0;
  if (text.startsWith('!')) {
    out.part('!', '!', 0, 1, 0, false);
    nameStart = 1;
  }
  const group = text.slice(nameStart);
  // libxl_viridian_enlightenment_from_string() is case-insensitive.
  if (hasCaseless(GROUPS, group)) {
    out.part(group.toLowerCase(), group, nameStart, text.length, nameStart, false);
    return;
  }
  let hint: string;
  if (nameStart === 1 && (group === 'all' || group === 'defaults')) hint = `; "!${group}" cannot be negated, list the groups to disable instead`;
  else if (group.toLowerCase() === 'all' || group.toLowerCase() === 'defaults') hint = `; write "${group.toLowerCase()}" in lower case`;
  else hint = didYouMean(group, nameStart ? GROUPS : GROUPS_AND_SETS);
  out.error(nameStart, text.length, 'viridian-group', `unknown viridian enlightenment ${quoted(group)}${hint}; accepted: ${GROUPS.join(', ')}, all, defaults, or !group`);
});
