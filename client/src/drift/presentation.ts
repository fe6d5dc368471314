// How drift shows in the Guests view: a short mark after the description, the differences in the
// tooltip, and the contextValue suffix that offers Show Differences. Pure.

import type { DriftItem } from './compare';

/** Appended to a drifted guest's description. */
export const DRIFT_MARK = '≠ config';

/** Appended to the guest's contextValue (`guest:running:drift`); menus match `(:|$)` after the state. */
export const DRIFT_CONTEXT_SUFFIX = ':drift';

/** Tooltip lines: which file, then one line per difference. Empty without drift. */
export function driftTooltipLines(items: readonly DriftItem[] | undefined, configLabel?: string): string[] {
  if (items === undefined || items.length === 0) return [];
  const heading = configLabel === undefined ? 'Differs from its config file:' : `Differs from ${configLabel}:`;
  return ['', heading, ...items.map((item) => `• ${item.subject ? `${item.key} ${item.subject}` : item.key}: ${item.message}`)];
}
