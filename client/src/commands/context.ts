// What every command needs (the service, the state, the refresh owner, the views) and the shared
// ways to talk to the user: the trust gate and error messages with a "Show Log" button.

import * as vscode from 'vscode';
import type { ConfigIndex } from '../tree/configIndex';
import type { GuestConfigProvider } from './showConfig';
import type { RefreshManager } from '../tree/refreshManager';
import type { XenViews } from '../tree/views';
import type { XenState } from '../tree/xenState';
import { UntrustedWorkspaceError, type XenService } from '../xenService';
import { isXlError } from '../xl';

export interface CommandContext {
  service: XenService;
  state: XenState;
  refresh: RefreshManager;
  views: XenViews;
  configs: ConfigIndex;
  /** Problems found by `xl -N create` on the host ("xl (host)"). */
  hostDiagnostics: vscode.DiagnosticCollection;
  /** Serves Show Running Configuration (and keeps which documents show their passwords). */
  configProvider?: GuestConfigProvider;
  /** Per-workspace memory (the host last chosen for each config). Nothing secret goes here. */
  memento?: vscode.Memento;
  /** VS Code's secret storage: the VNC passwords a user asked the console to remember. */
  secrets?: vscode.SecretStorage;
  /** The open graphical consoles, one per host and guest. */
  consoles?: import('../console/consoleManager').ConsoleManager;
  /** Config drift of running guests; commands that change a guest call `recheck` after. */
  drift?: import('../drift/driftMonitor').DriftMonitor;
  /** The documents of Show Differences. */
  driftDocuments?: import('../drift/showDifferences').DriftDocuments;
  /** The read-only log documents (xen-log:) and their follow mode. */
  logs?: import('../logs/logDocuments').LogDocuments;
  /** The live figures (xentop streams); Refresh tries hosts whose figures failed again. */
  figures?: import('../figures/liveFigures').LiveFigures;
  /** The Host Dashboard panels, one per host. */
  dashboards?: import('../dashboard/dashboardManager').DashboardManager;
}

/**
 * Answers for modal questions, for the extension-host tests only: registerXen hands this object
 * to the tests through the extension's API when VS Code runs the extension in test mode, and
 * only then can `enabled` be set. The commands' modal questions go through askModal, the
 * host pick of a config through choose (several at once through chooseMany), and the offer to
 * reveal passwords through offer.
 */
export const testDialogs: { enabled: boolean; answers: (string | undefined)[]; asked: string[] } = { enabled: false, answers: [], asked: [] };

/** An information message with buttons; resolves to the button chosen, undefined when dismissed. */
export async function offer(message: string, ...buttons: string[]): Promise<string | undefined> {
  if (testDialogs.enabled) {
    testDialogs.asked.push(message);
    return testDialogs.answers.shift();
  }
  return vscode.window.showInformationMessage(message, ...buttons);
}

/** A quick pick of one item; undefined when dismissed. */
export async function choose<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
  if (testDialogs.enabled) {
    testDialogs.asked.push(`${options.placeHolder ?? ''} ${items.map((item) => [item.label, item.description].filter(Boolean).join(' — ')).join(' | ')}`);
    const answer = testDialogs.answers.shift();
    return items.find((item) => item.label === answer);
  }
  return vscode.window.showQuickPick(items, options);
}

/**
 * A quick pick of several items, none picked at first; undefined when dismissed. In tests the
 * next answer names the items to pick, one label or detail per line ('' picks none).
 */
export async function chooseMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions & { title: string }): Promise<T[] | undefined> {
  if (testDialogs.enabled) {
    testDialogs.asked.push(`${options.title} ${items.map((item) => [item.label, item.detail].filter(Boolean).join(' — ')).join(' | ')}`);
    const answer = testDialogs.answers.shift();
    if (answer === undefined) return undefined;
    const wanted = new Set(answer.split('\n').filter((line) => line !== ''));
    return items.filter((item) => wanted.has(item.label) || (item.detail !== undefined && wanted.has(item.detail)));
  }
  return vscode.window.showQuickPick(items.map((item) => ({ ...item, picked: false })), { ...options, canPickMany: true });
}

/** An input box; undefined when dismissed. In tests the next answer is taken instead. */
export async function askText(options: vscode.InputBoxOptions): Promise<string | undefined> {
  if (testDialogs.enabled) {
    testDialogs.asked.push(options.title ?? options.prompt ?? 'input');
    return testDialogs.answers.shift();
  }
  return vscode.window.showInputBox(options);
}

/** A modal warning with buttons; resolves to the button chosen, undefined for Cancel. */
export async function askModal(message: string, detail: string | undefined, ...buttons: string[]): Promise<string | undefined> {
  if (testDialogs.enabled) {
    // With the detail: tests check what a question names (the exact commands, the paths).
    testDialogs.asked.push(detail === undefined ? message : `${message}\n${detail}`);
    return testDialogs.answers.shift();
  }
  return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
}

/** False (after saying why) in an untrusted workspace, where nothing may run xl or ssh. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('This workspace is not trusted, so the Xen extension does not run xl or ssh here.', 'Manage Workspace Trust')
    .then((choice) => {
      if (choice !== undefined) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/**
 * Shows a failed xl call with its plain-language message and a way to the log, and returns at
 * once (the button is handled when pressed). Silent on cancel.
 */
export async function showError(ctx: CommandContext, error: unknown, what: string): Promise<void> {
  if (isXlError(error) && error.kind === 'cancelled') return;
  if (error instanceof UntrustedWorkspaceError) {
    requireTrust();
    return;
  }
  const message = isXlError(error) || error instanceof Error ? error.message : String(error);
  // Not awaited: a toast that is never dismissed would otherwise hold the command open forever.
  void vscode.window.showErrorMessage(`Could not ${what}: ${message}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') ctx.service.showLog();
  });
}

/** A controller whose signal follows a progress token's cancellation. */
export function abortOn(token: vscode.CancellationToken): AbortController {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller;
}
