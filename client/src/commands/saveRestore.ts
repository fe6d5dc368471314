// Save to File… and Restore from File…: `xl save` of a running guest into a new file of a folder
// on its host (checked for room first, never over an existing file), and `xl restore` of a file
// picked from such a folder. The folder chosen is remembered per host. Neither can be cancelled
// once xl runs: stopping it halfway could leave a guest suspended or half built.

import * as vscode from 'vscode';
import type { XenHost } from '../xenService';
import { isXlError, restoreFailureReason, saveFailureReason, saveFiles, xl, type SaveFileEntry, type SaveFolderListing } from '../xl';
import { askModal, askText, choose, requireTrust, type CommandContext } from './context';
import { resolveOneGuest } from './guestDetails';
import { reportFailure, runWithProgress } from './longRun';
import { folderChoices, folderProblem, restoreConfirmation, saveConfirmation, saveFileDescription, saveFileName, spaceShortage, TRANSFER_TIMEOUT_MS } from './savePlan';
import { resolveHost } from './targets';

export type SaveOutcome =
  | { status: 'saved'; host: string; name: string; file: string; keptRunning: boolean }
  | { status: 'failed'; host: string; name: string; file: string; message: string }
  | { status: 'stopped'; reason: string };

export type RestoreOutcome =
  | { status: 'restored'; host: string; file: string; /** The guest that appeared, when exactly one did. */ name?: string }
  | { status: 'failed'; host: string; file: string; message: string }
  | { status: 'stopped'; reason: string };

/** The buttons of the save question. */
export const SAVE_AND_STOP = 'Save and Stop';
export const SAVE_AND_KEEP_RUNNING = 'Save and Keep Running';
/** The pick entry that asks for a folder to be typed. */
export const OTHER_FOLDER = 'Other Folder…';
/** workspaceState key: host id → the save folder last used there (a path; nothing secret). */
const SAVE_FOLDERS_KEY = 'xen.saveFolder';

export async function saveGuest(ctx: CommandContext, node?: unknown): Promise<SaveOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const target = await resolveOneGuest(ctx, 'save', node);
  if (target === undefined) return { status: 'stopped', reason: 'no guest chosen' };
  const { host, domain } = target;
  const name = domain.name;

  const folder = await pickFolder(ctx, host, `Save ${JSON.stringify(name)} into which folder of ${host.label}?`);
  if (folder === undefined) return { status: 'stopped', reason: 'no folder chosen' };
  let listing = await lookAtFolder(ctx, host, folder);
  if (listing === undefined) return { status: 'stopped', reason: 'the folder could not be read' };
  if (!listing.exists) {
    const make = await askModal(
      `The folder ${folder} does not exist on ${host.label}. Make it?`,
      'It is made as root with mode 0700 (with any missing parent folders), since save files hold the memory of guests.',
      'Make Folder',
    );
    if (make !== 'Make Folder') return { status: 'stopped', reason: 'the folder does not exist' };
    try {
      await ctx.service.run(host, saveFiles.makeSaveFolder(folder));
    } catch (error) {
      return { status: 'stopped', reason: reportFailure(ctx, error, `make ${folder} on ${host.label}`) };
    }
    listing = await lookAtFolder(ctx, host, folder);
    if (listing === undefined) return { status: 'stopped', reason: 'the folder could not be read' };
  }
  const shortage = spaceShortage(listing, domain.memoryMiB, host.label);
  if (shortage !== undefined) {
    void vscode.window.showWarningMessage(shortage);
    return { status: 'stopped', reason: shortage };
  }
  const fileName = saveFileName(name, new Date(), new Set(listing.files.map((file) => file.name)));
  const file = folder === '/' ? `/${fileName}` : `${folder}/${fileName}`;
  const question = saveConfirmation({ name, hostLabel: host.label, file, memoryMiB: domain.memoryMiB, freeKiB: listing.space?.availableKiB });
  const choice = await askModal(question.message, question.detail, SAVE_AND_STOP, SAVE_AND_KEEP_RUNNING);
  if (choice !== SAVE_AND_STOP && choice !== SAVE_AND_KEEP_RUNNING) return { status: 'stopped', reason: 'not confirmed' };
  const keepRunning = choice === SAVE_AND_KEEP_RUNNING;

  try {
    // Claimed first: an existing file is refused rather than truncated, and the new one is private.
    await ctx.service.run(host, saveFiles.claimSaveFile(file));
  } catch (error) {
    return { status: 'failed', host: host.id, name, file, message: reportFailure(ctx, error, `create ${file} on ${host.label}`) };
  }
  await rememberFolder(ctx, host, folder);
  try {
    await runWithProgress(ctx, host, xl.save(domain.id, file, { keepRunning }), {
      title: `Saving ${JSON.stringify(name)} to ${file}…`,
      cancellable: false,
      timeoutMs: TRANSFER_TIMEOUT_MS,
      note: 'cannot be cancelled safely',
    });
  } catch (error) {
    void ctx.refresh.request('action');
    const message = reportFailure(ctx, error, `save ${JSON.stringify(name)}`, saveFailureReason);
    // Only when xl itself said it failed is the file known to be unfinished. After an ssh failure
    // xl may still be writing it on the dom0 (and then stop the guest): the file may be the only
    // copy of the guest, so it stays, and the message says its state is unknown.
    const cleanup = isXlError(error) && error.kind === 'failed' ? await removePartialFile(ctx, host, file) : ` Whether ${file} is complete is not known (xl may still be writing it on ${host.label}): check it and the guest before deleting anything.`;
    return { status: 'failed', host: host.id, name, file, message: `${message}${cleanup}` };
  }
  void ctx.refresh.request('action');
  vscode.window.setStatusBarMessage(`$(pass) Saved ${name} to ${file}${keepRunning ? '' : '; the guest stopped'}`, 10_000);
  return { status: 'saved', host: host.id, name, file, keptRunning: keepRunning };
}

export async function restoreGuest(ctx: CommandContext, node?: unknown): Promise<RestoreOutcome> {
  if (!requireTrust()) return { status: 'stopped', reason: 'untrusted workspace' };
  const host = await resolveHost(ctx, node, 'Restore a guest on which host?');
  if (host === undefined) return { status: 'stopped', reason: 'no host chosen' };
  const folder = await pickFolder(ctx, host, `Restore from which folder of ${host.label}?`);
  if (folder === undefined) return { status: 'stopped', reason: 'no folder chosen' };
  const listing = await lookAtFolder(ctx, host, folder);
  if (listing === undefined) return { status: 'stopped', reason: 'the folder could not be read' };
  if (!listing.exists || listing.files.length === 0) {
    const reason = listing.exists ? `No .save files in ${folder} on ${host.label}.` : `The folder ${folder} does not exist on ${host.label}.`;
    void vscode.window.showInformationMessage(reason);
    return { status: 'stopped', reason };
  }
  const picked = await choose(
    listing.files.map((file) => ({ label: file.name, description: saveFileDescription(file), detail: file.path, file })),
    { placeHolder: `The save file to restore on ${host.label}${listing.truncated ? ` (the newest ${listing.files.length} of more)` : ''}`, matchOnDescription: true },
  );
  if (picked === undefined) return { status: 'stopped', reason: 'no file chosen' };
  const file: SaveFileEntry = picked.file;
  const question = restoreConfirmation(file, host.label);
  if ((await askModal(question.message, question.detail, 'Restore')) !== 'Restore') return { status: 'stopped', reason: 'not confirmed' };
  await rememberFolder(ctx, host, folder);

  // The guest that appears is the new domain id; without an earlier list it cannot be told.
  const known = ctx.state.hostState(host.id)?.domains;
  const before = known === undefined ? undefined : new Set(known.map((domain) => domain.id));
  try {
    await runWithProgress(ctx, host, xl.restore(file.path), {
      title: `Restoring from ${file.path} on ${host.label}…`,
      cancellable: false,
      timeoutMs: TRANSFER_TIMEOUT_MS,
    });
  } catch (error) {
    void ctx.refresh.request('action');
    return { status: 'failed', host: host.id, file: file.path, message: reportFailure(ctx, error, `restore from ${file.path}`, restoreFailureReason) };
  }
  await ctx.refresh.request('action');
  const appeared = before === undefined ? [] : (ctx.state.hostState(host.id)?.domains ?? []).filter((domain) => !before.has(domain.id) && domain.id !== 0);
  const name = appeared.length === 1 ? appeared[0].name : undefined;
  vscode.window.setStatusBarMessage(`$(pass) Restored ${name ?? 'a guest'} from ${file.name}`, 10_000);
  return { status: 'restored', host: host.id, file: file.path, ...(name !== undefined ? { name } : {}) };
}


/** The remembered folder, Xen's own, or one typed by the user (absolute). */
async function pickFolder(ctx: CommandContext, host: XenHost, placeHolder: string): Promise<string | undefined> {
  const remembered = ctx.memento?.get<Record<string, string>>(SAVE_FOLDERS_KEY)?.[host.id];
  const folders = folderChoices(remembered, saveFiles.DEFAULT_SAVE_FOLDER);
  const picked = await choose(
    [
      ...folders.map((folder) => ({
        label: folder,
        description: folder === remembered ? 'last used on this host' : folder === saveFiles.DEFAULT_SAVE_FOLDER ? "Xen's own folder for save files" : '',
      })),
      { label: OTHER_FOLDER, description: `a folder of ${host.label}` },
    ],
    { placeHolder },
  );
  if (picked === undefined) return undefined;
  if (picked.label !== OTHER_FOLDER) return picked.label;
  const typed = await askText({
    title: `A folder of ${host.label}`,
    prompt: 'An absolute path on that host. Save files hold guest memory: keep them where only root can read.',
    value: remembered ?? saveFiles.DEFAULT_SAVE_FOLDER,
    validateInput: (text) => folderProblem(text.trim()),
  });
  if (typed === undefined) return undefined;
  const problem = folderProblem(typed.trim());
  if (problem !== undefined) {
    void vscode.window.showWarningMessage(problem);
    return undefined;
  }
  return typed.trim().replace(/\/+$/, '') || '/';
}

async function rememberFolder(ctx: CommandContext, host: XenHost, folder: string): Promise<void> {
  const known = ctx.memento?.get<Record<string, string>>(SAVE_FOLDERS_KEY) ?? {};
  await ctx.memento?.update(SAVE_FOLDERS_KEY, { ...known, [host.id]: folder });
}

/** The folder's listing and free space under a progress notification; undefined (after saying why) on failure. */
async function lookAtFolder(ctx: CommandContext, host: XenHost, folder: string): Promise<SaveFolderListing | undefined> {
  try {
    return await runWithProgress(ctx, host, saveFiles.saveFolder(folder), { title: `Looking at ${folder} on ${host.label}…`, cancellable: true });
  } catch (error) {
    reportFailure(ctx, error, `look at ${folder} on ${host.label}`);
    return undefined;
  }
}

/** Removes the file a failed save left; returns the sentence that says what became of it. */
async function removePartialFile(ctx: CommandContext, host: XenHost, file: string): Promise<string> {
  try {
    await ctx.service.run(host, saveFiles.removeSaveFile(file));
    return ` The unfinished ${file} was deleted.`;
  } catch (error) {
    return ` The unfinished ${file} could not be deleted (${error instanceof Error ? error.message : String(error)}): delete it, it cannot be restored.`;
  }
}
