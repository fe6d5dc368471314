// Text that a VNC server sent (a refusal's reason), made fit for the status line: QEMU counts the
// C string's terminating NUL in the reason's length, so "Authentication failed" arrives with a NUL
// at its end; other servers may send other control characters. Pure and import-free: the webview
// bundle and the extension host both use it.

/** The server's text without control characters, its blanks collapsed, at most `max` characters. */
export function serverText(text: string, max = 200): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
