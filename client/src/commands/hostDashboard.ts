// Open Host Dashboard: from a host node (Guests or Host view), the Guests view's title bar, or
// the palette (with a pick of the host when xen.hosts has several).

import type { CommandContext } from './context';
import { choose, requireTrust } from './context';
import { isNode } from './targets';
import type { XenHost } from '../xenService';

/** What Open Host Dashboard did, for the extension-host tests. */
export type DashboardOutcome = { kind: 'opened'; hostId: string } | { kind: 'cancelled' } | { kind: 'untrusted' } | { kind: 'no-host' };

export async function openHostDashboard(ctx: CommandContext, node?: unknown): Promise<DashboardOutcome> {
  if (!requireTrust()) return { kind: 'untrusted' };
  if (ctx.dashboards === undefined) return { kind: 'no-host' };
  const host = await resolveHost(ctx, node);
  if (host === undefined) return { kind: ctx.service.hosts().length === 0 ? 'no-host' : 'cancelled' };
  ctx.dashboards.show(host);
  return { kind: 'opened', hostId: host.id };
}

/** The host of a host or guest node, the only host, or the user's pick. */
async function resolveHost(ctx: CommandContext, node: unknown): Promise<XenHost | undefined> {
  if (isNode(node) && (node.kind === 'host' || node.kind === 'guest')) return ctx.service.host(node.host.id) ?? node.host;
  const hosts = ctx.service.hosts();
  if (hosts.length <= 1) return hosts[0];
  const picked = await choose(
    hosts.map((host) => ({ label: host.label, description: host.isLocal ? 'this machine' : 'ssh', host })),
    { placeHolder: 'Open the dashboard of which host?' },
  );
  return picked?.host;
}
