// The Guests view: every domain of every host from the last `xl list`, Domain-0 included. With one
// local host the guests are the roots; otherwise each host is a root with its guests below.

import { StateTreeProvider } from './stateTreeProvider';
import { errorNode, healthNode, loadingNode, untrustedNode, type GuestNode, type HostNode, type XenNode } from './items';
import type { HostState } from './xenState';
import type { GuestFigures } from '../figures/format';

/** The live figures of a guest for its node, or why the host has none (LiveFigures.guestFigures). */
export type GuestFiguresSource = (hostId: string, name: string) => { figures?: GuestFigures; unavailable?: string } | undefined;

export class GuestsProvider extends StateTreeProvider {
  /** The nodes handed out last time, so getParent and reveal see the same objects. */
  private hostNodes = new Map<string, HostNode>();
  private figuresOf: GuestFiguresSource = () => undefined;

  /** Where guest nodes take their live figures from. */
  setFigures(source: GuestFiguresSource): void {
    this.figuresOf = source;
  }

  override getChildren(node?: XenNode): XenNode[] {
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
    return [];
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
    const description = host.listError ? 'error' : count === undefined ? '' : `${count} domain${count === 1 ? '' : 's'}`;
    const health = host.listError ? this.healthText(host.host.id) : undefined;
    return { kind: 'host', view: 'guests', host: host.host, description, failed: host.listError !== undefined, health };
  }

  private hostChildren(host: HostState): XenNode[] {
    const prefix = `guests/${host.host.id}`;
    if (host.listError) {
      const health = this.healthText(host.host.id);
      return health ? [errorNode(`${prefix}/error`, host.listError), healthNode(prefix, health)] : [errorNode(`${prefix}/error`, host.listError)];
    }
    if (host.domains === undefined) return [loadingNode(prefix, 'Reading xl list…')];
    return this.guestNodes(host);
  }

  private guestNodes(host: HostState): GuestNode[] {
    const multiHost = this.state.multiHost;
    const seen = new Set<string>();
    const now = Date.now();
    return (host.domains ?? []).map((domain) => {
      // Names are unique per host, except briefly for dying domains (often shown as "(null)").
      let id = `guest/${host.host.id}/${domain.name}`;
      if (seen.has(id)) id = `${id}#${domain.id}`;
      seen.add(id);
      const live = domain.state === 'dying' ? undefined : this.figuresOf(host.host.id, domain.name);
      return {
        kind: 'guest',
        host: host.host,
        domain,
        id,
        multiHost,
        uptimeSeconds: this.state.uptimeOf(host.host.id, domain, now),
        ...(live?.figures === undefined ? {} : { figures: live.figures }),
        ...(live?.unavailable === undefined ? {} : { figuresUnavailable: live.unavailable }),
      };
    });
  }
}
