// The console's toolbar: Ctrl+Alt+Del, the Send Key menu, Type Text… / Type Clipboard, Fit to
// Window, View Only, Screenshot and Reconnect. Built with DOM calls (no markup strings, no inline handlers),
// so the page's CSP needs nothing beyond its one script and style sheet.

import { KEY_CHORD_LABELS, KEY_CHORD_MENU, type KeyChord, type ScaleMode } from '../protocol';

export interface ToolbarActions {
  sendChord(chord: KeyChord): void;
  typeText(): void;
  typeClipboard(): void;
  toggleScale(): void;
  toggleViewOnly(): void;
  screenshot(): void;
  /** Connect again (after a refused password, a guest that stopped, a dropped connection). */
  reconnect(): void;
}

export interface Toolbar {
  /** Enables what needs a connection (and, for keys, input allowed). */
  update(state: { connected: boolean; viewOnly: boolean; scale: ScaleMode }): void;
}

function button(label: string, title: string, onClick: () => void, id: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.id = id;
  element.textContent = label;
  element.title = title;
  element.setAttribute('aria-label', title);
  element.addEventListener('click', onClick);
  return element;
}

function separator(): HTMLElement {
  const element = document.createElement('span');
  element.className = 'separator';
  element.setAttribute('role', 'separator');
  element.setAttribute('aria-orientation', 'vertical');
  return element;
}

export function buildToolbar(root: HTMLElement, actions: ToolbarActions): Toolbar {
  root.setAttribute('role', 'toolbar');
  root.setAttribute('aria-label', 'Console');

  const ctrlAltDel = button('Ctrl+Alt+Del', 'Send Ctrl+Alt+Del to the guest', () => actions.sendChord('ctrl-alt-del'), 'ctrl-alt-del');

  // Send Key: a menu button with one item per chord.
  const menuWrapper = document.createElement('span');
  menuWrapper.className = 'menu-wrapper';
  const menuButton = button('Send Key ▾', 'Send a key combination to the guest', () => (menu.hidden ? openMenu() : closeMenu(true)), 'send-key');
  menuButton.setAttribute('aria-haspopup', 'menu');
  menuButton.setAttribute('aria-expanded', 'false');
  menuButton.setAttribute('aria-controls', 'send-key-menu');
  const menu = document.createElement('div');
  menu.id = 'send-key-menu';
  menu.className = 'menu';
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', 'Send key');
  menu.hidden = true;
  const items = KEY_CHORD_MENU.map((chord) => {
    const item = document.createElement('button');
    item.type = 'button';
    item.className = 'menu-item';
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    item.dataset.chord = chord;
    item.textContent = KEY_CHORD_LABELS[chord];
    item.addEventListener('click', () => {
      closeMenu(false);
      actions.sendChord(chord);
    });
    menu.append(item);
    return item;
  });
  menuWrapper.append(menuButton, menu);

  function openMenu(): void {
    menu.hidden = false;
    menuButton.setAttribute('aria-expanded', 'true');
    items[0]?.focus();
  }
  function closeMenu(refocus: boolean): void {
    if (menu.hidden) return;
    menu.hidden = true;
    menuButton.setAttribute('aria-expanded', 'false');
    if (refocus) menuButton.focus();
  }
  menu.addEventListener('keydown', (event) => {
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number): void => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(items.length - 1);
      case 'Escape':
        event.preventDefault();
        return closeMenu(true);
      case 'Tab':
        return closeMenu(false);
    }
  });
  document.addEventListener('mousedown', (event) => {
    if (!menuWrapper.contains(event.target as Node)) closeMenu(false);
  });

  const typeText = button('Type Text…', 'Type a text into the guest as key presses (US keyboard layout)', () => actions.typeText(), 'type-text');
  const typeClipboard = button('Type Clipboard', 'Type the clipboard into the guest as key presses (US keyboard layout)', () => actions.typeClipboard(), 'type-clipboard');
  const scale = button('Fit to Window', 'Scale the screen to fit the panel (off: 1:1 with scroll bars)', () => actions.toggleScale(), 'scale');
  const viewOnly = button('View Only', 'View only: send no keyboard or mouse input to the guest', () => actions.toggleViewOnly(), 'view-only');
  const screenshot = button('Screenshot', 'Save a screenshot of the guest screen as a PNG file', () => actions.screenshot(), 'screenshot');
  const reconnect = button('Reconnect', 'Connect to the guest screen again', () => actions.reconnect(), 'reconnect');

  root.append(ctrlAltDel, menuWrapper, typeText, typeClipboard, separator(), scale, viewOnly, separator(), screenshot, reconnect);

  return {
    update({ connected, viewOnly: readOnly, scale: mode }) {
      const keys = connected && !readOnly;
      for (const element of [ctrlAltDel, menuButton, typeText, typeClipboard]) element.disabled = !keys;
      if (!keys) closeMenu(false);
      screenshot.disabled = !connected;
      // While connected there is nothing to reconnect; a connection in progress can be restarted.
      reconnect.disabled = connected;
      scale.setAttribute('aria-pressed', String(mode === 'fit'));
      viewOnly.setAttribute('aria-pressed', String(readOnly));
    },
  };
}
