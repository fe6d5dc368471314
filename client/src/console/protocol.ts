// The messages between a graphical console's webview and the extension host, and the Send Key
// menu both sides show. No imports: the extension host (client/src/console/*) and the webview
// bundle (client/src/console/webview/*) both compile against this one file.
//
// The RFB byte stream crosses postMessage as Uint8Array (VS Code transfers typed arrays as
// binary, no base64 or JSON arrays). Each direction has credit-based flow control: the receiver
// acknowledges the bytes it has consumed, and the sender stops reading its source while the
// unacknowledged bytes exceed its high-water mark (see relay.ts and webview/channel.ts).

/** Extension host → webview. */
export type HostToWebview =
  /** Open a new RFB session over a fresh channel (the first one, or after a reconnect). `session` tags its later messages. */
  | { type: 'session'; session: number; guest: string; host: string; viewOnly: boolean; keymap?: string }
  /** The transport to the VNC server is connected: the channel becomes `open`. */
  | { type: 'open'; session: number }
  /** Bytes from the VNC server, in order. */
  | { type: 'data'; session: number; data: Uint8Array }
  /** The webview's bytes up to this count (cumulative) were written to the server. */
  | { type: 'ack'; session: number; bytes: number }
  /** The transport ended; `reason` is for the status line (never contains a password). */
  | { type: 'closed'; session: number; reason?: string }
  /** A password for the VNC authentication the webview asked for with `credentials`. */
  | { type: 'password'; session: number; password: string }
  /** A status text from the host side (e.g. "guest rebooted, reconnecting"). */
  | { type: 'status'; text: string; busy?: boolean }
  /** Type this text into the guest as key presses. */
  | { type: 'typeText'; text: string }
  /** Press a key chord (see KeyChord). */
  | { type: 'sendKeys'; chord: KeyChord }
  /** Switch scaling, or view-only. */
  | { type: 'setScale'; mode: ScaleMode }
  | { type: 'setViewOnly'; viewOnly: boolean }
  /** Make a PNG of the screen and send it back as `screenshot`. */
  | { type: 'captureScreenshot'; requestId: number }
  /** Tests and the status bar ask what the console shows now; answered with `state`. */
  | { type: 'queryState'; requestId: number };

/** Webview → extension host. */
export type WebviewToHost =
  /** The webview's script is running and can take `session`. */
  | { type: 'ready' }
  /** Bytes for the VNC server, in order. */
  | { type: 'send'; session: number; data: Uint8Array }
  /** The host's bytes up to this count (cumulative) were handed to noVNC. */
  | { type: 'ack'; session: number; bytes: number }
  /** noVNC closed its channel (the user, or the RFB session ended). */
  | { type: 'close'; session: number }
  /** The server asks for a VNC password. */
  | { type: 'credentials'; session: number }
  /** Authentication failed (wrong password, or too many attempts); `reason` as the server said. */
  | { type: 'securityFailure'; session: number; reason: string }
  /** RFB state changes, for the status bar, tests and the host's logic. */
  | { type: 'connected'; session: number; width: number; height: number; name: string }
  | { type: 'disconnected'; session: number; clean: boolean }
  /** Toolbar buttons that need the extension host (input boxes, clipboard, save dialog). */
  | { type: 'request'; what: 'typeText' | 'typeClipboard' | 'screenshot' | 'reconnect' }
  /** Answer to captureScreenshot. */
  | { type: 'screenshot'; requestId: number; png: Uint8Array; width: number; height: number }
  /** Answer to captureScreenshot when there is no screen to capture (not connected) or the PNG could not be made. */
  | { type: 'screenshotError'; requestId: number; reason: string }
  /** Answer to queryState. */
  | { type: 'state'; requestId: number; state: ConsoleViewState };

export type ScaleMode = 'fit' | 'actual';

/** Key chords the toolbar's "Send Key" menu offers (VS Code keeps several of them for itself). */
export type KeyChord =
  | 'ctrl-alt-del'
  | 'ctrl-alt-backspace'
  | 'print-screen'
  | 'alt-tab'
  | 'alt-f4'
  | 'escape'
  | 'tab'
  | 'ctrl-c'
  | 'ctrl-d'
  | 'ctrl-w'
  | 'ctrl-p'
  | 'ctrl-n'
  | 'ctrl-t'
  | 'super'
  | `ctrl-alt-f${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12}`;

const F_CHORDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => `ctrl-alt-f${n}` as KeyChord);

/** The Send Key menu's order: the toolbar's menu and the Send Key command show the same list. */
export const KEY_CHORD_MENU: readonly KeyChord[] = [
  ...F_CHORDS,
  'ctrl-alt-del',
  'ctrl-alt-backspace',
  'print-screen',
  'alt-tab',
  'alt-f4',
  'escape',
  'tab',
  'ctrl-c',
  'ctrl-d',
  'ctrl-w',
  'ctrl-p',
  'ctrl-n',
  'ctrl-t',
  'super',
];

/** What the menus call each chord (the Record type makes a missing one a compile error). */
export const KEY_CHORD_LABELS: Readonly<Record<KeyChord, string>> = {
  ...(Object.fromEntries(F_CHORDS.map((chord, i) => [chord, `Ctrl+Alt+F${i + 1}`])) as Record<Extract<KeyChord, `ctrl-alt-f${number}`>, string>),
  'ctrl-alt-del': 'Ctrl+Alt+Del',
  'ctrl-alt-backspace': 'Ctrl+Alt+Backspace',
  'print-screen': 'Print Screen',
  'alt-tab': 'Alt+Tab',
  'alt-f4': 'Alt+F4',
  escape: 'Esc',
  tab: 'Tab',
  'ctrl-c': 'Ctrl+C',
  'ctrl-d': 'Ctrl+D',
  'ctrl-w': 'Ctrl+W',
  'ctrl-p': 'Ctrl+P',
  'ctrl-n': 'Ctrl+N',
  'ctrl-t': 'Ctrl+T',
  super: 'Super (Windows key)',
};

export interface ConsoleViewState {
  /** What the status line says. */
  status: string;
  rfb: 'none' | 'connecting' | 'connected' | 'disconnected';
  width: number;
  height: number;
  scale: ScaleMode;
  viewOnly: boolean;
  /** How many distinct colours a sample of the canvas holds (1 = a uniform screen). */
  distinctColours: number;
  /** Key events sent so far (down and up), for tests of the toolbar. */
  keyEventsSent: number;
}
