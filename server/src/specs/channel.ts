// CHANNEL_SPEC (`channel = [ ... ]` entries): PV console-like channels, checked like xl_parse.c:
// items split at ",", each `key=value` trimmed of whitespace; unknown keys only warn.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, DuplicateTracker, language, quoted, splitPair, strtok } from './common';
import { didYouMean } from '../text/suggest';

export const CHANNEL_KEYS: readonly SpecKeyDoc[] = [
  { name: 'name', doc: 'Well-known name the guest uses to find the channel, such as `org.qemu.guest_agent.0`. Required.', example: 'name=org.qemu.guest_agent.0' },
  {
    name: 'connection',
    doc: 'How the host end of the channel is exposed. Required; write the value in lower case.',
    values: ['pty', 'socket'],
    valueDocs: { pty: 'A pseudo-terminal in the backend domain; find it with `xl channel-list`.', socket: 'A listening Unix domain socket at `path`, which host tools connect to.' },
    example: 'connection=socket',
  },
  { name: 'path', doc: 'Path of the Unix socket the backend listens on; required with connection=socket and ignored otherwise.', example: 'path=/var/run/xen/guest-agent.sock' },
  { name: 'backend', doc: 'Name or id of the domain that provides the host end of the channel.', default: 'the toolstack domain', example: 'backend=dom0' },
];
const KEY_NAMES = CHANNEL_KEYS.map((k) => k.name);

export const channelLanguage = language('channel', CHANNEL_KEYS, (text, out: Collector) => {
  const items = strtok(text, ',');
  if (items.length === 0) {
    out.error(0, text.length, 'channel-spec', 'empty channel spec (xl crashes on it); give at least name= and connection=');
    return;
  }
  const dup = new DuplicateTracker(out, 'channel');
  let connection: string | undefined;
  let path: { start: number; end: number } | undefined;
  let name = false;
  for (const tok of items) {
    const kv = splitPair(tok, true);
    // split_string_into_pair(): no "=" or nothing after it is fatal.
    if (!kv.hasEquals || kv.rawValueEmpty) {
      out.error(tok.start, tok.end, 'channel-spec', `failed to parse channel configuration: ${quoted(tok.text)}; write key=value with a non-empty value`);
      return;
    }
    if (!KEY_NAMES.includes(kv.key)) {
      out.warning(kv.keyStart, kv.keyEnd, 'spec-unknown-key', `unknown channel parameter ${quoted(kv.key)}${didYouMean(kv.key, KEY_NAMES)}; xl ignores it`);
      continue;
    }
    out.part(kv.key, kv.value, kv.keyStart, kv.valueEnd, kv.valueStart, true);
    dup.note(kv.key, kv.keyStart, kv.keyEnd);
    if (kv.key === 'name') name = kv.value !== '';
    if (kv.key === 'path') path = { start: kv.keyStart, end: kv.valueEnd };
    if (kv.key === 'connection') {
      if (kv.value !== 'pty' && kv.value !== 'socket') {
        const lower = kv.value.toLowerCase();
        const hint = lower === 'pty' || lower === 'socket' ? ` (write "${lower}" in lower case)` : '';
        out.error(kv.valueStart, kv.valueEnd, 'bad-enum', `unknown channel connection ${quoted(kv.value)}${hint}; accepted: "pty", "socket"`);
        return;
      }
      connection = kv.value;
    }
  }
  if (connection === undefined) {
    out.error(0, text.length, 'channel-spec', 'channel has unknown \'connection\'; add connection=pty or connection=socket');
    return;
  }
  if (connection === 'socket' && !path) {
    out.error(0, text.length, 'channel-spec', 'channel connection \'socket\' requires path=..; add the socket path');
    return;
  }
  if (connection === 'pty' && path) out.warning(path.start, path.end, 'spec-ignored', 'path is ignored with connection=pty');
  if (!name) out.error(0, text.length, 'channel-spec', 'channel has no name; add name=..., e.g. name=org.qemu.guest_agent.0');
});
