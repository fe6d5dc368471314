// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with a private
// profile and HOME so that nothing lands in the real home folder.

import { join } from 'node:path';
import { loadPlaywright } from './toolchain.mjs';
import { makeTempDir, onCleanup } from './processes.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in CI; Chromium refuses its sandbox there
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(chromium) {
  const { chromium: driver } = await loadPlaywright();
  const root = makeTempDir('xen-xl-e2e-chromium-');
  const context = await driver.launchPersistentContext(join(root, 'profile'), {
    executablePath: chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: join(root, 'home') },
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
  };
  const unregister = onCleanup(close);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      unregister();
      await close();
    },
  };
}
