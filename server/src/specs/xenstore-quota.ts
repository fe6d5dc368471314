// `xenstore_quota` list elements: `NAME=VALUE` xenstore quota overrides, checked like xl_parse.c's
// parse_xsquota_item() (unsigned 32-bit value, any C base).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, cStrtoul, language, quoted } from './common';

export const XENSTORE_QUOTA_KEYS: readonly SpecKeyDoc[] = [
  { name: 'name', doc: 'Name of the xenstore quota to override for this guest; `xl xenstore-quota-get -g` lists the names the running xenstored supports.', example: 'nodes' },
  { name: 'value', doc: 'New limit for that quota, an unsigned 32-bit number (decimal, 0x hex or 0 octal).', example: '2000' },
];

export const xenstoreQuotaLanguage = language('xenstore_quota', XENSTORE_QUOTA_KEYS, (text, out: Collector) => {
  const length = text.length;
  const equals = text.indexOf('=');
  if (equals < 0) {
    out.error(0, length, 'xenstore-quota', `quota specification ${quoted(text)} lacks "="; write NAME=VALUE`);
    return;
  }
  out.part('name', text.slice(0, equals), 0, equals, 0, false);
  const valueText = text.slice(equals + 1);
  const parsed = cStrtoul(valueText, 0, 0);
  out.part('value', valueText, equals + 1, length, equals + 1, false);
  if (valueText === '' || !parsed.ok || parsed.end !== valueText.length || parsed.value > 0xffffffffn) {
    out.error(equals + 1, length, 'xenstore-quota', `quota specification ${quoted(text)} uses illegal value ${quoted(valueText)}; give an unsigned 32-bit number`);
  }
  if (equals === 0) out.warning(0, 1, 'xenstore-quota', 'the quota name is empty');
});
