// Feature: Document links. Host paths written in a config (kernel, ramdisk, bootloader and other
// path keys, disk targets, `serial = "file:..."`); the server keeps those that are files on the host.

import { KEY_BY_NAME } from '../catalogue';
import type { AtomNode, XlDocument } from '../syntax';
import { partRange } from './locate';
import { PATH_KEYS, specTargets } from './model';

export interface LinkCandidate {
  readonly start: number;
  readonly end: number;
  /** An absolute path on the host. */
  readonly path: string;
  /** The key the path is written for (`kernel`, `disk`, `serial`, ...). */
  readonly key: string;
  /** A disk target handed to a hotplug script (`script=`): the script reads it, xl does not open it. */
  readonly scripted?: boolean;
}

export function linkCandidates(document: XlDocument): LinkCandidate[] {
  const links: LinkCandidate[] = [];
  const text = document.text;
  const add = (atom: AtomNode, start: number, end: number, path: string, key: string, scripted?: boolean) => {
    if (path.startsWith('/') && path.length > 1) links.push({ ...partRange(text, atom, start, end), path, key, ...(scripted === true ? { scripted } : {}) });
  };
  for (const assignment of document.assignments) {
    const value = assignment.value;
    if (value === undefined) continue;
    if (PATH_KEYS.has(assignment.keyText) && value.kind === 'atom' && value.quote !== undefined) {
      add(value, 0, value.value.length, value.value, assignment.keyText);
      continue;
    }
    const spec = KEY_BY_NAME.get(assignment.keyText);
    if (spec?.spec === 'disk') {
      const targets = specTargets(spec, value);
      if (targets === undefined) continue;
      for (const atom of targets.atoms) {
        const parts = targets.language.parse(atom.value).parts;
        const scripted = parts.some((part) => part.key === 'script');
        for (const part of parts) if (part.key === 'target') add(atom, part.valueStart, part.end, part.value, 'disk', scripted);
      }
    } else if (spec?.spec === 'serial') {
      for (const atom of specTargets(spec, value)?.atoms ?? []) {
        if (atom.value.startsWith('file:')) add(atom, 5, atom.value.length, atom.value.slice(5), 'serial');
      }
    }
  }
  return links;
}
