// 9PFS_SPEC (`p9 = [ ... ]` entries): host directories shared over 9pfs, checked like xl_parse.c:
// items split at ",", each `key=value` trimmed of whitespace; every problem is fatal.
import type { SpecKeyDoc, VersionFacts } from '../catalogue/types';
import { type Collector, checkLooseNumber, checkUlong, hasCaseless, language, quoted, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

/**
 * The keys the xen_9pfsd backend brought; Xen 4.18's xl refuses them ("Unknown string ... in 9pfs
 * spec"). The same change left the check of a share's required fields to libxl.
 */
export const P9D: VersionFacts = { since: '4.19', source: '4287a71f9b tools/xl: support new 9pfs backend xen_9pfsd' };

export const P9_KEYS: readonly SpecKeyDoc[] = [
  { name: 'tag', doc: 'Mount tag the guest uses to find the share, e.g. `mount -t 9p -o trans=xen share0 /mnt`.', default: 'Xen (xen_9pfsd)', example: 'tag=share0' },
  { name: 'path', doc: 'Directory in the backend domain that is exported to the guest.', default: '<log dir>/guests/<name> (xen_9pfsd)', example: 'path=/srv/share' },
  {
    name: 'security_model',
    doc: 'How file ownership and permissions are mapped; only `none` is supported, meaning files are accessed with the backend\'s own credentials.',
    values: ['none'],
    example: 'security_model=none',
  },
  { name: 'backend', doc: 'Name or id of the domain that serves the share.', default: 'dom0', example: 'backend=dom0' },
  {
    name: 'type',
    version: P9D,
    doc: 'Which backend implementation serves the share.',
    values: ['qemu', 'xen_9pfsd'],
    default: 'qemu',
    valueDocs: { qemu: 'QEMU\'s 9pfs backend (needs a device model for the guest).', xen_9pfsd: 'The standalone xen-9pfsd daemon, used for example by Xenstore stub domains.' },
    example: 'type=xen_9pfsd',
  },
  { name: 'max-files', version: P9D, doc: 'xen_9pfsd only: largest number of files the share may hold; 0 means no limit.', default: '0', example: 'max-files=1000' },
  { name: 'max-open-files', version: P9D, doc: 'xen_9pfsd only: how many files the guest may have open at the same time.', default: '5', example: 'max-open-files=10' },
  { name: 'max-space', version: P9D, doc: 'xen_9pfsd only: disk space the share may use, in MiB; 0 means no limit.', default: '0', example: 'max-space=64' },
  { name: 'auto-delete', version: P9D, doc: 'xen_9pfsd only: set to 1 to delete the oldest files when a limit is reached instead of failing writes.', values: ['0', '1'], default: '0', example: 'auto-delete=1' },
];
const KEY_NAMES = P9_KEYS.map((k) => k.name);

export const p9Language = language('p9', P9_KEYS, (text, out: Collector) => {
  const items = strtok(text, ',');
  if (items.length === 0) {
    out.error(0, text.length, 'p9-spec', 'empty 9pfs spec (xl crashes on it); give at least tag=, path= and security_model=');
    return;
  }
  let type = 'qemu';
  const seen = new Set<string>();
  for (const tok of items) {
    const kv = splitPair(tok, true);
    if (!kv.hasEquals || kv.rawValueEmpty) {
      out.error(tok.start, tok.end, 'p9-spec', `failed to parse 9pfs configuration: ${quoted(tok.text)}; write key=value with a non-empty value`);
      return;
    }
    if (!KEY_NAMES.includes(kv.key)) {
      out.error(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown 9pfs parameter ${quoted(kv.key)}${didYouMean(kv.key, KEY_NAMES)}; accepted: ${KEY_NAMES.join(', ')}`);
      return;
    }
    out.part(kv.key, kv.value, kv.keyStart, kv.valueEnd, kv.valueStart, true);
    seen.add(kv.key);
    switch (kv.key) {
      case 'type':
        if (!hasCaseless(['qemu', 'xen_9pfsd'], kv.value)) {
          out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `failed to parse 9pfs type ${quoted(kv.value)}; accepted: "qemu", "xen_9pfsd"`);
          return;
        }
        type = kv.value.toLowerCase();
        break;
      case 'max-files':
      case 'max-open-files':
      case 'max-space':
        if (checkUlong(out, kv.value, kv.valueStart, kv.key) === undefined) return;
        break;
      case 'auto-delete':
        checkLooseNumber(out, kv.value, kv.valueStart, kv.key);
        break;
      case 'security_model':
        if (kv.value !== 'none') out.warning(kv.valueStart, kv.valueEnd, 'bad-enum', `security_model ${quoted(kv.value)} is not supported; the only supported value is "none"`);
        break;
    }
  }
  if (type === 'qemu') {
    const missing = ['tag', 'path', 'security_model'].filter((k) => !seen.has(k));
    if (missing.length) out.warning(0, text.length, 'spec-required', `a qemu 9pfs share needs ${missing.join(', ')}; add ${missing.map((m) => m + '=').join(', ')}`);
  }
});
