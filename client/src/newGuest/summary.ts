// The lines of a new config shown in the New Guest summary: its settings without comments or blank
// lines, with the VNC password hidden (the summary is on screen, and screens are shared). Pure.

/** What stands in the summary for the password. */
export const HIDDEN = '(hidden)';

export function keyLines(text: string, password: string | undefined): string[] {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (password === undefined || password === '') return lines;
  const secret = new RegExp(`(passwd\\s*=\\s*["']?)${escapeRegExp(password)}`, 'g');
  return lines.map((line) => line.replace(secret, `$1${HIDDEN}`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
