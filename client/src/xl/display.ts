// How a command reads for the user before it runs ("these commands will run"): the program and
// its arguments, quoted for a POSIX shell where needed, without the sudo or ssh the runner adds.

import { quoteShellWord } from './runner';
import { CONFIG_TEXT_PATH, type XlCommand } from './types';

/**
 * The command line as the user should see it, e.g. `lvcreate --yes ... -- vg0` or
 * `xl create -f /etc/xen/web.cfg`; config text that the runner passes in a temporary file is
 * shown as its label (the user's file). Pure.
 */
export function displayCommandLine(command: XlCommand<unknown>): string {
  const words = [command.program ?? 'xl', ...command.args].map((word) =>
    word === CONFIG_TEXT_PATH && command.configText !== undefined ? command.configText.label : word,
  );
  return words.map(quoteShellWord).join(' ');
}
