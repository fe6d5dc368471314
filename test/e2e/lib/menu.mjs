// Picking an item of VS Code's context menu in the browser, as a person does: with the mouse when
// the item is on screen, with the arrow keys when the menu had to be cut off.
//
// A long menu (a running guest's has 18 items and 8 separators) does not fit below a row near the
// bottom of a 900-pixel window. VS Code then clips it inside its own scrolling element, which
// ignores the browser's scrollIntoView: Playwright sees the item "visible" but the menu's click
// catcher under the cut-off part takes the click, and a click during such a scroll can land on a
// neighbouring item (a guest paused or shut down instead of ejecting its CD). So an item that is
// not wholly inside the menu's visible part is reached with the arrow keys, which scroll the menu
// as they move, and only while the keyboard focus is inside the menu, so that no key can reach a
// guest's screen or an editor.

/** Waits (bounded) until no finite animation runs, so a menu is fully drawn before a click or screenshot. */
export async function settle(page) {
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity), null, { timeout: 3000, polling: 50 })
    .catch(() => {}); // bounded wait only: a still-running animation after 3 s is no reason to fail
}

/**
 * The menu that opened lacks the item (MenuItemMissing.items says what it has). pickMenuItem has
 * closed it with Escape, so the next click of a test is not caught by a menu left open.
 */
export class MenuItemMissing extends Error {
  constructor(label, items) {
    super(`no menu item matches ${label}; the menu has: ${items.length > 0 ? items.join(' | ') : '(no items, or no menu opened)'}`);
    this.items = items;
  }
}

/** The labels of the open context menu's items. */
function menuLabels(page) {
  return page.locator('.monaco-menu .action-item .action-label').evaluateAll((labels) => labels.map((label) => (label.textContent ?? '').trim()).filter(Boolean));
}

/**
 * Picks the item labelled `label` (a RegExp matched against the whole label) of the context menu
 * that is open, and waits for the menu to close. When the item does not show within `timeoutMs`,
 * it closes the menu with Escape and throws MenuItemMissing with the labels the menu had.
 */
export async function pickMenuItem(page, label, { timeoutMs = 10_000 } = {}) {
  const entry = page.getByRole('menuitem', { name: label });
  try {
    await entry.waitFor({ timeout: timeoutMs });
  } catch (error) {
    if (error?.name !== 'TimeoutError') throw error;
    const items = await menuLabels(page);
    await page.keyboard.press('Escape');
    await page.locator('.monaco-menu').waitFor({ state: 'detached', timeout: 5_000 });
    throw new MenuItemMissing(label, items);
  }
  await settle(page);
  if (await wholeOnScreen(entry)) {
    await entry.hover();
    await entry.click();
  } else {
    await pickWithKeys(page, label);
  }
  // What the item does is each caller's check; a menu still fading out is no failure of it.
  await page.locator('.monaco-menu').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
}

/** True when the item's box lies inside the menu's visible part and the window, and nothing covers its middle. */
function wholeOnScreen(entry) {
  return entry.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const clip = (element.closest('.monaco-scrollable-element') ?? element.closest('.monaco-menu') ?? document.body).getBoundingClientRect();
    const inside = box.top >= clip.top && box.bottom <= clip.bottom && box.top >= 0 && box.bottom <= window.innerHeight;
    if (!inside) return false;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit !== null && element.contains(hit);
  });
}

/** Moves the menu's focus with ArrowDown until it is on the item, then presses Enter. */
async function pickWithKeys(page, label) {
  const seen = [];
  for (let moves = 0; moves < 80; moves++) {
    const focused = await page.evaluate(() => {
      const active = document.activeElement;
      if (!active || !active.closest('.monaco-menu')) return { inMenu: false, label: '' };
      const item = active.closest('.action-item') ?? active;
      const text = item.querySelector('.action-label')?.textContent ?? '';
      return { inMenu: true, label: item.classList.contains('action-item') ? text.trim() : '' };
    });
    if (!focused.inMenu) throw new Error(`the context menu does not have the keyboard focus, so no key is sent (looking for ${label})`);
    if (focused.label !== '' && label.test(focused.label)) {
      await page.keyboard.press('Enter');
      return;
    }
    if (focused.label !== '' && seen.length > 0 && seen[0] === focused.label) break; // went round once
    if (focused.label !== '') seen.push(focused.label);
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no menu item matches ${label}; the menu has: ${seen.join(' | ')}`);
}
