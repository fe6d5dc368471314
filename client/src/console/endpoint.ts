// Where to connect for a guest's screen, decided from what the host says: the address and port
// the device model recorded in xenstore (what `xl vncviewer` uses), or, when xenstore cannot be
// read, what the guest's running configuration asks for. Pure: no `vscode`, no I/O.

import type { VncEndpoint } from '../xl';

/** The VNC part of a running guest's configuration (`xl list -l`), read by vncSettings. */
export interface VncSettings {
  listen: string;
  display: number;
  /** xl moves to the next free display when this is on, so the configured one is only a guess. */
  findUnused: boolean;
  /** The configured VNC password. Kept in memory for one connection; never logged or stored. */
  password?: string;
  /** The `keymap` handed to QEMU (`-k`), when the config sets one. */
  keymap?: string;
}

/** What the console connects to, as seen from the host (a loopback address means the dom0 itself). */
export interface ConsoleEndpoint {
  address: string;
  port: number;
  /** `xenstore`: the real port; `config`: derived from the configuration (may be wrong with findunused). */
  source: 'xenstore' | 'config';
  /** For the status line when the address is a guess. */
  note?: string;
}

/**
 * Reads the VNC settings from one entry of `xl list -l` (libxl's JSON): `b_info."type.hvm".vnc`
 * for HVM guests (VNC is on unless disabled), `vfbs[].vnc` for PV/PVH framebuffers (off unless
 * enabled). libxl prints booleans as "True"/"False"/"<default>". Undefined: no VNC console.
 */
export function vncSettings(config: Record<string, unknown>): VncSettings | undefined {
  const bInfo = asObject(config.b_info);
  const hvm = asObject(bInfo?.['type.hvm']);
  const candidates: { vnc: Record<string, unknown>; on: boolean; keymap: unknown }[] = [];
  if (hvm !== undefined) candidates.push({ vnc: asObject(hvm.vnc) ?? {}, on: true, keymap: hvm.keymap ?? bInfo?.keymap });
  for (const vfb of Array.isArray(config.vfbs) ? config.vfbs : []) {
    const vnc = asObject(asObject(vfb)?.vnc);
    if (vnc !== undefined) candidates.push({ vnc, on: false, keymap: asObject(vfb)?.keymap });
  }
  for (const { vnc, on, keymap } of candidates) {
    if (!flag(vnc.enable, on)) continue;
    const display = typeof vnc.display === 'number' && Number.isInteger(vnc.display) && vnc.display >= 0 ? vnc.display : 0;
    const listen = typeof vnc.listen === 'string' && vnc.listen !== '' ? vnc.listen : '127.0.0.1';
    return {
      listen,
      display,
      findUnused: flag(vnc.findunused, true),
      password: typeof vnc.passwd === 'string' && vnc.passwd !== '' ? vnc.passwd : undefined,
      keymap: typeof keymap === 'string' && keymap !== '' ? keymap : undefined,
    };
  }
  return undefined;
}

/**
 * The address to connect to for a listen address: every-address listeners (`0.0.0.0`, `::`, or
 * empty) are reached on loopback; a `:DISPLAY` suffix (xl.cfg's `ADDRESS:DISPLAY`) and IPv6
 * brackets are dropped.
 */
export function connectAddress(listen: string): string {
  let address = listen.trim();
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    address = address.slice(1, close > 0 ? close : undefined);
  } else if (address.split(':').length === 2) {
    address = address.slice(0, address.indexOf(':'));
  }
  if (address === '' || address === '0.0.0.0') return '127.0.0.1';
  if (address === '::' || address === '0:0:0:0:0:0:0:0') return '::1';
  return address;
}

/**
 * Picks the endpoint: xenstore's record when there is one (it is what the device model really
 * opened), else the configuration's display, with a note that says why it is a guess.
 */
export function chooseEndpoint(fromXenstore: VncEndpoint | undefined, settings: VncSettings | undefined, xenstoreProblem?: string): ConsoleEndpoint | undefined {
  if (fromXenstore !== undefined) return { address: connectAddress(fromXenstore.listen), port: fromXenstore.port, source: 'xenstore' };
  if (settings === undefined) return undefined;
  const why = xenstoreProblem ? ` (xenstore could not be read: ${xenstoreProblem})` : '';
  return {
    address: connectAddress(settings.listen),
    port: 5900 + settings.display,
    source: 'config',
    note: settings.findUnused
      ? `Port ${5900 + settings.display} comes from the configuration${why}; with vncunused on, xl may have picked a later display.`
      : `Port ${5900 + settings.display} comes from the configuration${why}.`,
  };
}

/** `host:port` as people write it (IPv6 in brackets). */
export function formatAddress(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === 'True' || value === true) return true;
  if (value === 'False' || value === false) return false;
  return fallback;
}
