// Types of guestConfig.mjs for the TypeScript suites.
export function rigGuestConfig(guest: {
  name: string;
  kernel: string;
  guestDir: string;
  type?: 'pv' | 'pvh';
  tag?: string;
  memory?: number;
  ignoreShutdown?: boolean;
  extraLines?: string[];
  comment?: string;
}): string;
