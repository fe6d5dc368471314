// `xenstore_quota` list elements: `NAME=VALUE` xenstore quota overrides, checked like xl_parse.c's
// parse_xsquota_item() (unsigned 32-bit value, any C base).
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, cStrtoul, language, q } from './common';

export const XENSTORE_QUOTA_KEYS: readonly SpecKeyDoc[] = [
  { name: 'name', doc: 'Name of the xenstore quota to override for this guest; `xl xenstore-quota-get -g` lists the names the running xenstored supports.', example: 'nodes' },
  { name: 'value', doc: 'New limit for that quota, an unsigned 32-bit number (decimal, 0x hex or 0 octal).', example: '2000' },
];

export const xenstoreQuotaLanguage = language('xenstore_quota', XENSTORE_QUOTA_KEYS, (text, out: Collector) => {
  const n = text.length;
  const eq = text.indexOf('=');
  if (eq < 0) {
    out.error(0, n, 'xenstore-quota', `quota specification ${q(text)} lacks "="; write NAME=VALUE`);
    return;
  }
  out.part('name', text.slice(0, eq), 0, eq, 0, false);
  const v = text.slice(eq + 1);
  const r = cStrtoul(v, 0, 0);
  out.part('value', v, eq + 1, n, eq + 1, false);
  if (v === '' || !r.ok || r.end !== v.length || r.value > 0xffffffffn) {
    out.error(eq + 1, n, 'xenstore-quota', `quota specification ${q(text)} uses illegal value ${q(v)}; give an unsigned 32-bit number`);
  }
  if (eq === 0) out.warning(0, 1, 'xenstore-quota', 'the quota name is empty');
});
