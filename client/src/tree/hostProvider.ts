// The Host view: the `xl info` essentials of each host (Xen version, memory, CPUs, scheduler).
// Fed by the slow part of the refresh, at most once a minute unless the user asks.

import { StateTreeProvider } from './stateTreeProvider';
import { errorNode, healthNode, loadingNode, untrustedNode, type HostNode, type XenNode } from './items';
import { guestStateKey, hostInfoRows } from './model';
import type { HostState } from './xenState';

export class HostProvider extends StateTreeProvider {
  override getChildren(node?: XenNode): XenNode[] {
    if (node === undefined) {
      if (!this.trusted()) return [untrustedNode('host')];
      const hosts = this.state.hosts();
      if (!this.state.multiHost) return hosts.length === 0 ? [] : this.rows(hosts[0]);
      return hosts.map<HostNode>((host) => ({
        kind: 'host',
        view: 'host',
        host: host.host,
        description: host.info?.xenVersion ? `Xen ${host.info.xenVersion}` : '',
        failed: (host.infoError ?? host.listError) !== undefined,
        health: (host.infoError ?? host.listError) === undefined ? undefined : this.healthText(host.host.id),
      }));
    }
    if (node.kind === 'host') {
      const host = this.state.hostState(node.host.id);
      return host ? this.rows(host) : [];
    }
    if (node.kind === 'message') return node.children ?? [];
    return [];
  }


  private rows(host: HostState): XenNode[] {
    const prefix = `host/${host.host.id}`;
    const error = host.infoError ?? host.listError;
    const rows: XenNode[] = [];
    const health = error ? this.healthText(host.host.id) : undefined;
    const healthRows = health ? [healthNode(prefix, health)] : [];
    if (error && host.info === undefined) return [errorNode(`${prefix}/error`, error), ...healthRows];
    if (host.info === undefined) return [loadingNode(prefix, 'Reading xl info…')];
    if (host.domains !== undefined) {
      const guests = host.domains.filter((domain) => domain.id !== 0);
      const running = guests.filter((domain) => guestStateKey(domain) === 'running').length;
      rows.push({ kind: 'info', id: `${prefix}/guests`, row: { label: 'Guests', value: `${guests.length} (${running} running)` } });
    }
    rows.push(...hostInfoRows(host.info).map<XenNode>((row) => ({ kind: 'info', id: `${prefix}/${row.label}`, row })));
    // Old data stays visible, but a newer failure is shown under it.
    if (error) rows.push(errorNode(`${prefix}/error`, error), ...healthRows);
    return rows;
  }
}
