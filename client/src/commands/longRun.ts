// What the resource, save and migrate commands share: one xl call under a progress notification
// that counts the time (xl prints nothing while it moves a guest's memory), and the report of a
// failure in plain words when xl's output says why.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { isXlError, type XlCommand } from '../xl';
import { abortOn, showError, type CommandContext } from './context';
import { elapsedText } from './savePlan';

export interface LongRunOptions {
  title: string;
  /** Only where stopping xl halfway is harmless; otherwise the notification has no Cancel. */
  cancellable: boolean;
  timeoutMs?: number;
  /** Said after the elapsed time, e.g. what the wait is for. */
  note?: string;
}

/** Runs COMMAND on HOST with a progress notification showing the time spent; rejects like XenService.run. */
export function runWithProgress<T>(ctx: CommandContext, host: XenHost, command: XlCommand<T>, options: LongRunOptions): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: options.title, cancellable: options.cancellable }, async (progress, token) => {
      const started = Date.now();
      const tick = (): void => progress.report({ message: `${elapsedText(Date.now() - started)}${options.note ? ` · ${options.note}` : ''}` });
      tick();
      const timer = setInterval(tick, 1000);
      try {
        return await ctx.service.run(host, command, { signal: options.cancellable ? abortOn(token).signal : undefined, timeoutMs: options.timeoutMs });
      } finally {
        clearInterval(timer);
      }
    }),
  );
}

/**
 * The words for a failure: EXPLAIN's reading of xl's stderr when it knows the message, else the
 * error's own message. Pure apart from reading the error.
 */
export function failureText(error: unknown, explain?: (stderr: string) => string | undefined): string {
  if (isXlError(error) && error.kind === 'failed') {
    const reason = explain?.(error.detail);
    if (reason !== undefined) return reason;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Shows a failure (with Show Log) without waiting for it to be dismissed, and returns its words
 * for the command's outcome.
 */
export function reportFailure(ctx: CommandContext, error: unknown, what: string, explain?: (stderr: string) => string | undefined): string {
  const reason = isXlError(error) && error.kind === 'failed' ? explain?.(error.detail) : undefined;
  if (reason === undefined) {
    void showError(ctx, error, what);
    return failureText(error);
  }
  void vscode.window.showErrorMessage(`Could not ${what}: ${reason}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') ctx.service.showLog();
  });
  return reason;
}
