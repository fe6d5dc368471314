// The Guests view: every domain of every host from the last `xl list`, Domain-0 included. With one
// local host the guests are the roots; otherwise each host is a root with its guests below.

import type { DriftItem } from '../drift/compare';
import { StateTreeProvider } from './stateTreeProvider';
import { guestDetailView } from './details';
import { hasDetails, type GuestDetailsCache } from './detailsCache';
import { errorNode, healthNode, loadingNode, untrustedNode, type DetailGroupNode, type DetailNode, type GuestNode, type HostNode, type XenNode } from './items';
import { guestListProblem, type HostHealthFacts } from './model';
import type { HostState, XenState } from './xenState';
import type { GuestFigures } from '../figures/format';

/** The live figures of a guest for its node, or why the host has none (LiveFigures.guestFigures). */
export type GuestFiguresSource = (hostId: string, name: string) => { figures?: GuestFigures; unavailable?: string } | undefined;

export class GuestsProvider extends StateTreeProvider {
  /** The nodes handed out last time, so getParent and reveal see the same objects. */
  private hostNodes = new Map<string, HostNode>();
  /** A guest's differences from its workspace config (set by the drift monitor). */
  driftOf?: (hostId: string, name: string) => readonly DriftItem[] | undefined;
  private figuresOf: GuestFiguresSource = () => undefined;

  /** Where guest nodes take their live figures from. */
  setFigures(source: GuestFiguresSource): void {
    this.figuresOf = source;
  }

  constructor(
    state: XenState,
    trusted: () => boolean,
    health?: (hostId: string) => HostHealthFacts,
    /** Reads a guest's devices when it is expanded; without it guests do not expand. */
    private readonly details?: GuestDetailsCache,
  ) {
    super(state, trusted, health);
  }

  /** Synchronous for everything but a guest's devices, which are read (once) when it is expanded. */
  override getChildren(node?: XenNode): XenNode[] | Promise<XenNode[]> {
    if (node?.kind === 'guest') return this.guestChildren(node);
    return this.syncChildren(node);
  }

  /** Forgets every guest's devices, so expanded guests read them again (the Refresh button). */
  forgetDetails(): void {
    this.details?.clear();
  }

  private syncChildren(node?: XenNode): XenNode[] {
    if (node === undefined) {
      if (!this.trusted()) return [untrustedNode('guests')];
      const hosts = this.state.hosts();
      if (!this.state.multiHost) return hosts.length === 0 ? [] : this.hostChildren(hosts[0]);
      this.hostNodes = new Map(hosts.map((host) => [host.host.id, this.hostNode(host)]));
      return [...this.hostNodes.values()];
    }
    if (node.kind === 'host') {
      const host = this.state.hostState(node.host.id);
      return host ? this.hostChildren(host) : [];
    }
    if (node.kind === 'message') return node.children ?? [];
    if (node.kind === 'detailGroup') return node.children;
    return [];
  }

  private async guestChildren(node: GuestNode): Promise<XenNode[]> {
    if (this.details === undefined || !node.expandable) return [];
    const readings = await this.details.get(node.host, node.domain);
    const view = guestDetailView(readings, node.domain.id);
    const base = { host: node.host, guestName: node.domain.name, domid: node.domain.id };
    const children: XenNode[] = view.sections.map((section): DetailGroupNode => {
      const groupId = `${node.id}/${section.kind}`;
      const rows = section.rows.map((row): DetailNode => ({ kind: 'detail', id: `${groupId}/${row.key}`, row, ...base }));
      return {
        kind: 'detailGroup',
        id: groupId,
        label: section.label,
        description: section.error ? 'could not be read' : undefined,
        detail: section.kind,
        ...base,
        children: section.error ? [errorNode(`${groupId}/error`, section.error)] : rows,
      };
    });
    if (view.configError) children.push(errorNode(`${node.id}/config-error`, view.configError, 'Disk targets and bridges'));
    return children;
  }

  getParent(node: XenNode): XenNode | undefined {
    if (node.kind !== 'guest' || !this.state.multiHost) return undefined;
    const host = this.state.hostState(node.host.id);
    if (host === undefined) return undefined;
    const known = this.hostNodes.get(node.host.id);
    return known ?? this.hostNode(host);
  }

  /** The node of a guest by name, for `treeView.reveal` after a start. */
  guestNode(hostId: string, name: string): GuestNode | undefined {
    const host = this.state.hostState(hostId);
    if (host === undefined) return undefined;
    return this.guestNodes(host).find((node) => node.domain.name === name && node.domain.state !== 'dying');
  }


  // --- internals ---

  private hostNode(host: HostState): HostNode {
    const count = host.domains?.length;
    const problem = guestListProblem(host);
    const description = problem ? 'error' : count === undefined ? '' : `${count} domain${count === 1 ? '' : 's'}`;
    const health = problem ? this.healthText(host.host.id) : undefined;
    return { kind: 'host', view: 'guests', host: host.host, description, failed: problem !== undefined, health };
  }

  private hostChildren(host: HostState): XenNode[] {
    const prefix = `guests/${host.host.id}`;
    const problem = guestListProblem(host);
    if (problem) {
      const health = this.healthText(host.host.id);
      return health ? [errorNode(`${prefix}/error`, problem), healthNode(prefix, health)] : [errorNode(`${prefix}/error`, problem)];
    }
    if (host.domains === undefined) return [loadingNode(prefix, 'Reading xl list…')];
    return this.guestNodes(host);
  }

  private guestNodes(host: HostState): GuestNode[] {
    const multiHost = this.state.multiHost;
    const seen = new Set<string>();
    const now = Date.now();
    this.details?.retain(host.host.id, host.domains);
    return (host.domains ?? []).map((domain) => {
      // Names are unique per host, except briefly for dying domains (often shown as "(null)").
      let id = `guest/${host.host.id}/${domain.name}`;
      if (seen.has(id)) id = `${id}#${domain.id}`;
      seen.add(id);
      const drift = domain.state === 'dying' ? undefined : this.driftOf?.(host.host.id, domain.name);
      const expandable = this.details !== undefined && hasDetails(domain);
      const live = domain.state === 'dying' ? undefined : this.figuresOf(host.host.id, domain.name);
      return {
        kind: 'guest',
        host: host.host,
        domain,
        id,
        multiHost,
        uptimeSeconds: this.state.uptimeOf(host.host.id, domain, now),
        ...(drift ? { drift } : {}),
        ...(expandable ? { expandable } : {}),
        ...(live?.figures === undefined ? {} : { figures: live.figures }),
        ...(live?.unavailable === undefined ? {} : { figuresUnavailable: live.unavailable }),
      };
    });
  }
}
