// Finds the xl configs of the workspace folders and keeps the facts the cross-file rules need
// (guest names, MACs, VNC displays). Read-only and bounded: at most MAX_FILES files of at most
// MAX_FILE_BYTES each, at most MAX_DEPTH folders deep, so a huge folder cannot stall the server.

import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { extractFacts, type ConfigFacts, type WorkspaceFacts } from '../analysis/checks/workspace';
import { parseConfig, type XlDocument } from '../syntax';
import { isXlConfigPath, isXlConfPath, looksLikeGuestConfig } from './configFiles';

const MAX_FILES = 2000;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_DEPTH = 8;
const SKIP_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

export class WorkspaceIndex {
  private readonly entries = new Map<string, { label: string; facts: ConfigFacts }>();

  /** The facts of every known config, keyed by absolute path. */
  get facts(): WorkspaceFacts {
    return this.entries;
  }

  /** MACs (lower case) claimed by the configs of the workspace other than `except` (a path). */
  usedMacs(except?: string): Set<string> {
    const macs = new Set<string>();
    for (const [path, entry] of this.entries) if (path !== except) for (const mac of entry.facts.macs) macs.add(mac.value);
    return macs;
  }

  /** VNC displays claimed by the configs of the workspace other than `except` (a path). */
  usedVncDisplays(except?: string): Set<number> {
    const displays = new Set<number>();
    for (const [path, entry] of this.entries) if (path !== except) for (const display of entry.facts.vncDisplays) displays.add(display.value);
    return displays;
  }

  /** Scans folders (absolute paths) for configs. Never throws; unreadable entries are skipped. */
  async scan(folders: readonly string[]): Promise<number> {
    let budget = MAX_FILES;
    const walk = async (directory: string, depth: number): Promise<void> => {
      if (depth > MAX_DEPTH || budget <= 0) return;
      let children;
      try {
        children = await fs.readdir(directory, { withFileTypes: true });
      } catch {
        return;
      }
      for (const child of children) {
        if (budget <= 0) return;
        const path = join(directory, child.name);
        if (child.isDirectory() && !SKIP_DIRECTORIES.has(child.name)) await walk(path, depth + 1);
        else if (child.isFile() && isXlConfigPath(path) && !isXlConfPath(path)) {
          budget--;
          await this.readFile(path, false);
        } else if (child.isFile() && path.endsWith('.cfg') && !path.startsWith('/etc/xen/scripts/')) {
          // Any other .cfg counts when its content is a guest config (as in the client's Configs view).
          budget--;
          await this.readFile(path, true);
        }
      }
    };
    for (const folder of folders) await walk(folder, 0);
    return this.entries.size;
  }

  /** Records (or refreshes) the facts of one config. Returns true when the claimed values changed. */
  update(path: string, text: string): boolean {
    return this.updateDocument(path, parseConfig(text));
  }

  /** The same, from a document already parsed. */
  updateDocument(path: string, document: XlDocument): boolean {
    const facts = extractFacts(document);
    const previous = this.entries.get(path);
    this.entries.set(path, { label: path, facts });
    return previous === undefined || claims(previous.facts) !== claims(facts);
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  private async readFile(path: string, sniff: boolean): Promise<void> {
    try {
      const stat = await fs.stat(path);
      if (stat.size > MAX_FILE_BYTES) return;
      const text = await fs.readFile(path, 'utf8');
      if (sniff && !looksLikeGuestConfig(parseConfig(text))) return;
      this.update(path, text);
    } catch {
      // Unreadable (permissions, vanished): not part of the index.
    }
  }
}

/** The values a config claims, without their ranges, as a comparable string. */
function claims(facts: ConfigFacts): string {
  return JSON.stringify([facts.name?.value, facts.macs.map((mac) => mac.value), facts.vncDisplays.map((display) => display.value)]);
}

/** The absolute path of a `file:` URI, or undefined for other schemes. */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file://')) return undefined;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}
