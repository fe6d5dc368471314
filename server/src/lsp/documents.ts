// Parsed documents and their problems, computed once per document version (and settings
// generation) and reused by every request until the next change.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceFacts } from '../analysis/checks/workspace';
import { computeDiagnostics } from '../analysis/diagnostics';
import type { XenTarget } from '../catalogue/xenVersions';
import type { Problem } from '../analysis/types';
import { isXlConfPath } from '../../../common/configPaths';
import { pathOfUri } from '../host/workspaceIndex';
import { parseConfig, type XlDocument } from '../syntax';
import type { ServerSettings } from './settings';

export interface Analysed {
  readonly version: number;
  readonly generation: number;
  readonly document: XlDocument;
  readonly problems: Problem[];
  /** Why only syntax was checked, when it was (a notice for the user). */
  readonly limited?: string;
}

export class AnalysisCache {
  private readonly entries = new Map<string, Analysed>();
  /** Bumped when settings or other files change, which invalidates every entry. */
  private generation = 0;

  constructor(
    private settings: () => ServerSettings,
    private readonly workspace: () => WorkspaceFacts | undefined,
    /** The Xen version to check for (see `resolveTarget`); undefined: the latest, no version checks. */
    private readonly target: () => XenTarget | undefined = () => undefined,
  ) {}

  get(textDocument: TextDocument): Analysed {
    const cached = this.entries.get(textDocument.uri);
    if (cached !== undefined && cached.version === textDocument.version && cached.generation === this.generation) return cached;
    const settings = this.settings();
    const text = textDocument.getText();
    const document = parseConfig(text);
    const path = pathOfUri(textDocument.uri);
    let limited: string | undefined;
    let level: 'full' | 'syntax' = 'full';
    if (text.length > settings.maxFileSize) {
      level = 'syntax';
      limited = `this file is larger than xen.diagnostics.maxFileSize (${settings.maxFileSize} bytes): only its syntax is checked`;
    }
    // xl.conf has the config syntax but its own keys: its own catalogue, no guest or workspace rules.
    const file = path !== undefined && isXlConfPath(path) ? 'xl.conf' : 'guest';
    const problems = computeDiagnostics(document, {
      severities: settings.rules,
      level,
      file,
      workspace: settings.workspaceChecks && file === 'guest' ? this.workspace() : undefined,
      self: path,
      // A document's first analysis parses its spec strings once; from its first change on they
      // are remembered, so each keystroke re-parses only the strings that changed.
      rememberSpecs: cached !== undefined,
      target: this.target(),
    });
    const analysed: Analysed = { version: textDocument.version, generation: this.generation, document, problems, limited };
    this.entries.set(textDocument.uri, analysed);
    return analysed;
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  /** Marks every analysis stale (settings or other files changed), except `keep`'s, if given. */
  invalidate(keep?: string): void {
    this.generation++;
    const kept = keep === undefined ? undefined : this.entries.get(keep);
    if (kept !== undefined && keep !== undefined) this.entries.set(keep, { ...kept, generation: this.generation });
  }
}
