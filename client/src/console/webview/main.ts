// The graphical console's webview script: noVNC's RFB drawing the guest's screen, fed by a
// PostMessageChannel (channel.ts) whose bytes the extension host relays to the VNC server, plus the
// toolbar and the status line. protocol.ts lists the messages.
//
// Nothing is stored: no webview state is saved, and a VNC password goes from the host's `password`
// message straight into noVNC's sendCredentials, never into the page or a log.

import RFB from '@novnc/novnc';
import { KEY_CHORD_LABELS, type ConsoleViewState, type HostToWebview, type KeyChord, type ScaleMode, type WebviewToHost } from '../protocol';
import { PostMessageChannel } from './channel';
import { chordStrokes, describeCharacter, isKeyChord, MAX_TYPED_CHARACTERS, planTyping, type KeyStroke } from './keys';
import { serverText } from '../serverText';
import { countDistinctColours, SAMPLE_COLUMNS, SAMPLE_ROWS } from './pixels';
import { buildToolbar } from './toolbar';

/** Pause after each typed key event. QEMU paces key events itself (10 ms apart by default) and drops them when its queue of about fifty fills up, so typing must not run ahead of it. */
const TYPE_EVENT_INTERVAL_MS = 12;

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the console page has no #${id}`);
  return found;
}

const screenElement = element('screen');
const statusText = element('status-text');
const statusNote = element('status-note');
const statusLine = element('status');

interface Session {
  id: number;
  guest: string;
  host: string;
  rfb: RFB;
  channel: PostMessageChannel;
  canvas: HTMLCanvasElement | null;
  sizeObserver: MutationObserver | undefined;
  state: 'connecting' | 'connected' | 'disconnected';
  width: number;
  height: number;
  name: string;
  /** noVNC asked for a password and none was given yet. */
  awaitingPassword: boolean;
  /** A password was given in this session (so a security failure means a wrong one). */
  passwordSent: boolean;
  /** A status that the disconnect that follows must not overwrite (wrong password and the like). */
  finalStatus: string | undefined;
}

let current: Session | undefined;
let sessionsStarted = false;
let scale: ScaleMode = 'fit';
let viewOnly = false;
let keyEventsSent = 0;
/** Bumped to stop a typing in progress (new session, disconnect, view-only). */
let typingGeneration = 0;
let typingQueue: Promise<void> = Promise.resolve();

const toolbar = buildToolbar(element('toolbar'), {
  sendChord: (chord) => sendChord(chord),
  typeText: () => post({ type: 'request', what: 'typeText' }),
  typeClipboard: () => post({ type: 'request', what: 'typeClipboard' }),
  toggleScale: () => setScale(scale === 'fit' ? 'actual' : 'fit'),
  toggleViewOnly: () => setViewOnly(!viewOnly),
  screenshot: () => post({ type: 'request', what: 'screenshot' }),
  reconnect: () => post({ type: 'request', what: 'reconnect' }),
});
updateToolbar();

function updateToolbar(): void {
  toolbar.update({ connected: current?.state === 'connected', viewOnly, scale });
}

function setStatus(text: string, busy = false): void {
  statusText.textContent = text;
  statusLine.classList.toggle('busy', busy);
}

function setNote(text: string | undefined): void {
  statusNote.textContent = text ?? '';
  statusNote.hidden = text === undefined;
}

function connectedText(session: Session): string {
  return `Connected (${session.width}x${session.height})`;
}

function focusScreen(): void {
  if (current?.state === 'connected') current.rfb.focus({ preventScroll: true });
}

// ---- sessions ----

function startSession(message: Extract<HostToWebview, { type: 'session' }>): void {
  const first = !sessionsStarted;
  sessionsStarted = true;
  endSession();
  // The host's choice applies to the first session; after a reconnect the user's toggle stays,
  // unless the host now asks for view-only.
  viewOnly = first ? message.viewOnly : viewOnly || message.viewOnly;
  const channel = new PostMessageChannel(message.session, post);
  let rfb: RFB;
  try {
    rfb = new RFB(screenElement, channel, { shared: true });
  } catch (error) {
    // noVNC could not set up its display (no 2D canvas, for one): end the host's connection too.
    channel.close();
    setStatus(`The viewer could not start: ${error instanceof Error ? error.message : String(error)}`);
    updateToolbar();
    return;
  }
  const session: Session = {
    id: message.session,
    guest: message.guest,
    host: message.host,
    rfb,
    channel,
    canvas: screenElement.querySelector('canvas'),
    sizeObserver: undefined,
    state: 'connecting',
    width: 0,
    height: 0,
    name: '',
    awaitingPassword: false,
    passwordSent: false,
    finalStatus: undefined,
  };
  current = session;
  rfb.resizeSession = false;
  rfb.clipViewport = false;
  rfb.scaleViewport = scale === 'fit';
  rfb.viewOnly = viewOnly;
  rfb.background = 'var(--vscode-editor-background, #1e1e1e)';
  const live = (): boolean => current === session;

  // The framebuffer's size changes with the guest's video mode; noVNC resizes its canvas then.
  if (session.canvas) {
    const canvas = session.canvas;
    session.sizeObserver = new MutationObserver(() => {
      if (!live() || session.state !== 'connected') return;
      if (canvas.width === session.width && canvas.height === session.height) return;
      session.width = canvas.width;
      session.height = canvas.height;
      setStatus(connectedText(session));
    });
    session.sizeObserver.observe(canvas, { attributes: true, attributeFilter: ['width', 'height'] });
  }

  rfb.addEventListener('desktopname', (event) => {
    if (live()) session.name = event.detail.name;
  });
  rfb.addEventListener('connect', () => {
    if (!live()) return;
    session.state = 'connected';
    session.width = session.canvas?.width ?? 0;
    session.height = session.canvas?.height ?? 0;
    post({ type: 'connected', session: session.id, width: session.width, height: session.height, name: session.name });
    setStatus(connectedText(session));
    updateToolbar();
    focusScreen();
  });
  rfb.addEventListener('disconnect', (event) => {
    if (!live()) return;
    session.state = 'disconnected';
    session.sizeObserver?.disconnect();
    typingGeneration++;
    post({ type: 'disconnected', session: session.id, clean: event.detail.clean });
    updateToolbar();
    const reason = session.channel.closeReason;
    setStatus(session.finalStatus ?? (reason ? `Disconnected: ${reason}` : event.detail.clean ? 'Disconnected' : 'Disconnected: the VNC session failed'));
  });
  rfb.addEventListener('credentialsrequired', (event) => {
    if (!live()) return;
    const types = event.detail.types;
    if (types.some((type) => type !== 'password')) {
      session.finalStatus = `The VNC server asks for ${types.join(', ')}; this console can only give a password`;
      setStatus(session.finalStatus);
      rfb.disconnect();
      return;
    }
    session.awaitingPassword = true;
    post({ type: 'credentials', session: session.id });
    setStatus('The VNC server asks for a password', true);
  });
  rfb.addEventListener('securityfailure', (event) => {
    if (!live()) return;
    const reason = serverText(event.detail.reason ?? '');
    post({ type: 'securityFailure', session: session.id, reason });
    session.finalStatus = session.passwordSent
      ? `Wrong password${reason ? ` (the server says: ${reason})` : ''}`
      : `The VNC server refused the connection${reason ? `: ${reason}` : ''}`;
    setStatus(session.finalStatus);
  });
  // No clipboard listener: Xen's QEMU VNC server has no clipboard (Type Text stands in for it).

  setStatus(`Connecting to ${message.guest} on ${message.host}…`, true);
  setNote(
    message.keymap !== undefined
      ? `The guest's config sets keymap = "${message.keymap}": with QEMU's extended key events the guest's own layout applies, and some keys may come out wrong.`
      : undefined,
  );
  updateToolbar();
}

function endSession(): void {
  const session = current;
  if (!session) return;
  current = undefined;
  typingGeneration++;
  session.sizeObserver?.disconnect();
  // Disconnecting closes the channel, which tells the host; a disconnected RFB needs nothing.
  if (session.state !== 'disconnected') session.rfb.disconnect();
  updateToolbar();
}

function forSession(id: number): Session | undefined {
  return current !== undefined && current.id === id ? current : undefined;
}

// ---- keys ----

/** Why keys cannot be sent now, or undefined when they can. */
function keysBlocked(): string | undefined {
  if (current?.state !== 'connected') return 'Not connected: no keys were sent';
  if (viewOnly) return 'View only: no keys were sent (turn View Only off to type)';
  return undefined;
}

function sendStroke(session: Session, stroke: KeyStroke): void {
  session.rfb.sendKey(stroke.keysym, stroke.code, stroke.down);
  keyEventsSent++;
}

function sendChord(chord: KeyChord): void {
  const blocked = keysBlocked();
  if (blocked !== undefined || current === undefined) {
    setStatus(blocked ?? 'Not connected: no keys were sent');
    return;
  }
  for (const stroke of chordStrokes(chord)) sendStroke(current, stroke);
  setStatus(`${connectedText(current)} · sent ${KEY_CHORD_LABELS[chord]}`);
  focusScreen();
}

function typeText(text: string): void {
  const characters = [...text].length;
  if (characters > MAX_TYPED_CHARACTERS) {
    setStatus(`Nothing typed: the text has ${characters} characters, Type Text takes at most ${MAX_TYPED_CHARACTERS}`);
    return;
  }
  const plan = planTyping(text);
  if (plan.untypable.length > 0) {
    const shown = plan.untypable.slice(0, 5).map(describeCharacter).join(', ');
    const more = plan.untypable.length > 5 ? ` and ${plan.untypable.length - 5} more` : '';
    setStatus(`Nothing typed: no key on a US keyboard types ${shown}${more}`);
    return;
  }
  const blocked = keysBlocked();
  if (blocked !== undefined || current === undefined) {
    setStatus(blocked ?? 'Not connected: no keys were sent');
    return;
  }
  const session = current;
  const generation = typingGeneration;
  typingQueue = typingQueue.then(() => typeCharacters(session, plan.characters, generation));
}

async function typeCharacters(session: Session, characters: KeyStroke[][], generation: number): Promise<void> {
  for (let i = 0; i < characters.length; i++) {
    if (generation !== typingGeneration || current !== session || session.state !== 'connected' || viewOnly) {
      if (current === session) setStatus(`Typing stopped after ${i} of ${characters.length} characters`);
      return;
    }
    for (const stroke of characters[i]) {
      sendStroke(session, stroke);
      await new Promise((resolve) => setTimeout(resolve, TYPE_EVENT_INTERVAL_MS));
    }
    if (i % 20 === 19) setStatus(`Typing… ${i + 1} of ${characters.length} characters`, true);
  }
  setStatus(`${connectedText(session)} · typed ${characters.length} characters`);
  focusScreen();
}

// ---- view ----

function setScale(mode: ScaleMode): void {
  scale = mode;
  if (current) {
    current.rfb.clipViewport = false;
    current.rfb.scaleViewport = mode === 'fit';
  }
  updateToolbar();
  focusScreen();
}

function setViewOnly(value: boolean): void {
  viewOnly = value;
  if (current) current.rfb.viewOnly = value;
  if (value) typingGeneration++;
  updateToolbar();
  focusScreen();
}

function captureScreenshot(requestId: number): void {
  const session = current;
  if (session?.state !== 'connected' || session.width === 0 || session.height === 0) {
    post({ type: 'screenshotError', requestId, reason: 'not connected: there is no screen to capture' });
    return;
  }
  const { width, height } = session;
  session.rfb.toBlob((blob) => {
    if (!blob) {
      post({ type: 'screenshotError', requestId, reason: 'the browser could not encode the screen as PNG' });
      return;
    }
    blob.arrayBuffer().then(
      (buffer) => post({ type: 'screenshot', requestId, png: new Uint8Array(buffer), width, height }),
      (error: unknown) => post({ type: 'screenshotError', requestId, reason: `the PNG could not be read: ${error instanceof Error ? error.message : String(error)}` }),
    );
  }, 'image/png');
}

/**
 * Distinct colours at a grid of points of the screen. The points are copied, unsmoothed (so each
 * is one exact screen pixel), into a small canvas of our own that is read back, rather than reading
 * all of noVNC's canvas: repeated full read-backs would make Chromium move that canvas off the GPU.
 */
function sampleColours(canvas: HTMLCanvasElement): number {
  const sample = document.createElement('canvas');
  sample.width = SAMPLE_COLUMNS;
  sample.height = SAMPLE_ROWS;
  const context = sample.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas context for sampling the screen');
  context.imageSmoothingEnabled = false;
  context.drawImage(canvas, 0, 0, SAMPLE_COLUMNS, SAMPLE_ROWS);
  return countDistinctColours(context.getImageData(0, 0, SAMPLE_COLUMNS, SAMPLE_ROWS).data, SAMPLE_COLUMNS, SAMPLE_ROWS);
}

function viewState(): ConsoleViewState {
  const session = current;
  let distinctColours = 0;
  if (session?.state === 'connected' && session.canvas && session.canvas.width > 0 && session.canvas.height > 0) {
    distinctColours = sampleColours(session.canvas);
  }
  return {
    status: [statusText.textContent, statusNote.hidden ? '' : statusNote.textContent].filter(Boolean).join(' · '),
    rfb: session?.state ?? 'none',
    width: session?.width ?? 0,
    height: session?.height ?? 0,
    scale,
    viewOnly,
    distinctColours,
    keyEventsSent,
  };
}

// ---- messages from the extension host ----

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'session':
      return startSession(message);
    case 'open':
      return forSession(message.session)?.channel.handleOpen();
    case 'data':
      return forSession(message.session)?.channel.handleData(message.data);
    case 'ack':
      return forSession(message.session)?.channel.handleAck(message.bytes);
    case 'closed':
      return forSession(message.session)?.channel.handleClosed(message.reason);
    case 'password': {
      const session = forSession(message.session);
      if (!session?.awaitingPassword) return;
      session.awaitingPassword = false;
      session.passwordSent = true;
      setStatus('Checking the password…', true);
      session.rfb.sendCredentials({ password: message.password });
      return;
    }
    case 'status':
      return setStatus(message.text, message.busy === true);
    case 'typeText':
      return typeText(message.text);
    case 'sendKeys':
      if (isKeyChord(message.chord)) sendChord(message.chord);
      else setStatus(`Unknown key chord ${JSON.stringify(message.chord)}: no keys were sent`);
      return;
    case 'setScale':
      if (message.mode === 'fit' || message.mode === 'actual') setScale(message.mode);
      return;
    case 'setViewOnly':
      return setViewOnly(message.viewOnly === true);
    case 'captureScreenshot':
      return captureScreenshot(message.requestId);
    case 'queryState':
      return post({ type: 'state', requestId: message.requestId, state: viewState() });
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
  handle(message as HostToWebview);
});

// Typing in the panel goes to the guest: focus the screen when the panel gets focus or is clicked.
window.addEventListener('focus', focusScreen);
screenElement.addEventListener('mousedown', focusScreen);

setStatus('Waiting for the extension host…', true);
setNote(undefined);
post({ type: 'ready' });
