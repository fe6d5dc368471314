// `irqs` list elements: a physical IRQ number in decimal, checked like xl_parse.c (strtoul base 10).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, UINT32_MAX, cStrtoul, language, quoted } from './common';

export const IRQS_KEYS: readonly SpecKeyDoc[] = [
  { name: 'irq', doc: 'Physical interrupt line the guest is allowed to receive, in decimal (hex is not accepted here).', example: '7' },
];

export const irqsLanguage = language('irqs', IRQS_KEYS, (text, out: Collector) => {
  const length = text.length;
  const parsed = cStrtoul(text, 0, 10);
  if (!parsed.ok || parsed.end !== length) {
    out.error(0, length, 'irqs-spec', `invalid argument parsing irq ${quoted(text)}; give a decimal IRQ number${/^0[xX]/.test(text) ? ' (hex is not accepted)' : ''}`);
    return;
  }
  if (parsed.value >= BigInt(UINT32_MAX)) {
    out.error(0, length, 'irqs-spec', `irq ${quoted(text)} too big`);
    return;
  }
  out.part('irq', text, 0, length, 0, false);
});
