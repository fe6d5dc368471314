// Open Host Dashboard: from a host node (Guests or Host view), the Guests view's title bar, or
// the palette (with a pick of the host when xen.hosts has several).

import type { CommandContext } from './context';
import { requireTrust } from './context';
import { resolveHost } from './targets';

/** What Open Host Dashboard did, for the extension-host tests. */
export type DashboardOutcome = { kind: 'opened'; hostId: string } | { kind: 'cancelled' } | { kind: 'untrusted' } | { kind: 'no-host' };

export async function openHostDashboard(ctx: CommandContext, node?: unknown): Promise<DashboardOutcome> {
  if (!requireTrust()) return { kind: 'untrusted' };
  if (ctx.dashboards === undefined) return { kind: 'no-host' };
  const host = await resolveHost(ctx, node, 'Open the dashboard of which host?');
  if (host === undefined) return { kind: ctx.service.hosts().length === 0 ? 'no-host' : 'cancelled' };
  ctx.dashboards.show(host);
  return { kind: 'opened', hostId: host.id };
}

