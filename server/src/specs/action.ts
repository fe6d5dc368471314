// Event actions (`on_poweroff`, `on_reboot`, `on_watchdog`, `on_crash`, `on_soft_reset`): one
// exact, case-sensitive name from xl_parse.c's action_on_shutdown_names table.
import type { SpecKeyDoc } from '../catalogue/types';
import { type Collector, language, quoted } from './common';
import { didYouMean } from '../text/suggest';

const ACTIONS: Readonly<Record<string, string>> = {
  destroy: 'Tear the domain down and release its resources.',
  restart: 'Destroy the domain and start a fresh one from the same configuration.',
  'rename-restart': 'Keep the old domain under a new name for inspection and start a fresh one from the same configuration.',
  preserve: 'Leave the domain in place, stopped, so it can be examined; remove it later with `xl destroy`.',
  'coredump-destroy': 'Write a core dump of the guest memory to the dump directory, then destroy it.',
  'coredump-restart': 'Write a core dump of the guest memory, then restart it.',
  'soft-reset': 'Reset the guest\'s Xen interfaces but keep the domain and its memory, used by kexec/kdump in Xen-aware HVM guests.',
};
const NAMES = Object.keys(ACTIONS);

export const ACTION_KEYS: readonly SpecKeyDoc[] = [
  {
    name: 'action',
    doc: 'What xl does with the domain when the event happens (power off, reboot, watchdog expiry, crash or soft reset).',
    values: NAMES,
    valueDocs: ACTIONS,
    example: 'on_crash = "coredump-restart"',
  },
];

/** Words people use for an action that are not spelled like it (`rename_restart` needs none: `_` and `-` are forgiven). */
const ACTION_ALIASES: Readonly<Record<string, string>> = { reboot: 'restart', shutdown: 'destroy' };

export const actionLanguage = language('action', ACTION_KEYS, (text, out: Collector) => {
  if (NAMES.includes(text)) {
    out.part('action', text, 0, text.length, 0, false);
    return;
  }
  out.error(0, text.length, 'bad-enum', `unknown action ${quoted(text)}${didYouMean(text, NAMES, ACTION_ALIASES)}; accepted: ${NAMES.join(', ')}`);
});
