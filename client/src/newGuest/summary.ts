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
  // The config holds the password as a quoted string writes it (`\\` and `\"` escaped), so that
  // form is what is looked for; the raw form too, for text written some other way.
  const escaped = password.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const forms = [...new Set([escaped, password])].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const secret = new RegExp(`(passwd\\s*=\\s*["']?)(?:${forms})`, 'g');
  return lines.map((line) => line.replace(secret, `$1${HIDDEN}`));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
