// What one guest config claims on its host, read with a small bounded scan of its text: the guest
// name, the MAC addresses of its network cards, its VNC displays and the targets of its disks.
// New Guest keeps clear of all of them. Pure (no `vscode`, no I/O); the client shares no parser
// with the language server, so this reads only the few plain forms that matter here.

import { CONFIG_MAX_BYTES } from '../../../common/limits';
import { scanConfigName } from '../configFiles';
import { scanHostReferences } from '../xl';

/** What a config (or a running guest) uses that a new guest must not use again. */
export interface GuestClaims {
  name?: string;
  /** Lower case, `00:16:3e:12:34:56`. */
  macs: string[];
  vncDisplays: number[];
  /** Disk targets as written (paths on the host, after any `phy:` style prefix). */
  diskTargets: string[];
}

/** A MAC written in a vif spec: `mac=00:16:3e:aa:bb:cc` (xl also accepts `-` between the bytes). */
const MAC = /(?:^|[\s,'"])mac\s*=\s*([0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5})(?![0-9A-Fa-f:-])/g;
/** `vncdisplay = 3` at the top level, or `vncdisplay=3` inside a vfb spec. */
const VNC_DISPLAY = /(?:^|[\s,'"])vncdisplay\s*=\s*(\d{1,5})(?!\d)/g;
/** `vnclisten = "127.0.0.1:3"`: the display may ride on the listen address (IPv4 or a name only). */
const VNC_LISTEN_DISPLAY = /(?:^|[\s,'"])vnclisten\s*=\s*["']?[A-Za-z0-9.-]+:(\d{1,5})["'\s,]/g;

export function scanGuestClaims(text: string): GuestClaims {
  const head = text.length > CONFIG_MAX_BYTES ? text.slice(0, CONFIG_MAX_BYTES) : text;
  const code = withoutComments(head);
  const macs = new Set<string>();
  for (const match of code.matchAll(MAC)) macs.add(normalizeMac(match[1]));
  const displays = new Set<number>();
  for (const pattern of [VNC_DISPLAY, VNC_LISTEN_DISPLAY]) {
    for (const match of code.matchAll(pattern)) displays.add(Number(match[1]));
  }
  const diskTargets = [...new Set(scanHostReferences(head).filter((reference) => reference.key === 'disk').map((reference) => reference.value))];
  const claims: GuestClaims = { macs: [...macs], vncDisplays: [...displays].sort((a, b) => a - b), diskTargets };
  const name = scanConfigName(head)?.name;
  if (name !== undefined) claims.name = name;
  return claims;
}

/** `00-16-3E-AA-BB-CC` → `00:16:3e:aa:bb:cc`. */
export function normalizeMac(mac: string): string {
  return mac.toLowerCase().replace(/-/g, ':');
}

/** The text with every `#` comment blanked out (a `#` inside a quoted string stays). Lines keep their length. */
function withoutComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  let comment = false;
  let escaped = false;
  for (const char of text) {
    if (char === '\n') {
      comment = false;
      quote = undefined;
      escaped = false;
      out += char;
      continue;
    }
    if (comment) {
      out += ' ';
      continue;
    }
    if (quote !== undefined) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === quote) quote = undefined;
      out += char;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '#') {
      comment = true;
      out += ' ';
      continue;
    }
    out += char;
  }
  return out;
}
