// The ids of the commands that registerCommands.ts registers. Pure, so the manifest test can
// check that package.json contributes exactly these (plus xen.treatAsXlConfig from extension.ts).

export const COMMAND_IDS = [
  'xen.refresh',
  'xen.showLog',
  'xen.manageTrust',
  'xen.config.start',
  'xen.config.startWithConsole',
  'xen.config.validate',
  'xen.config.open',
  'xen.guest.console',
  'xen.guest.graphicalConsole',
  'xen.guest.vnc',
  'xen.console.sendCtrlAltDel',
  'xen.console.sendKey',
  'xen.console.typeText',
  'xen.console.typeClipboard',
  'xen.console.screenshot',
  'xen.guest.shutdown',
  'xen.guest.reboot',
  'xen.guest.pause',
  'xen.guest.unpause',
  'xen.guest.destroy',
  'xen.guest.insertIso',
  'xen.guest.ejectIso',
  'xen.guest.finishInstall',
  'xen.guest.delete',
  'xen.config.autostartOn',
  'xen.config.autostartOff',
  'xen.guest.showConfig',
  'xen.guest.copyName',
  'xen.guest.copyId',
  'xen.newGuest',
  'xen.host.dashboard',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
