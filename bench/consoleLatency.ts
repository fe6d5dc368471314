// The console benchmark's measurement inside code-server's extension host (bench/console.mjs loads
// this as its `extensionTestsPath`): how long a full-screen update takes from the extension host
// posting its bytes to the webview until the webview's ack covers them.
//
// A real QEMU VNC server on this machine repaints its 1024x768 32-bit screen without pause
// (test/support/qemuVnc.ts); the stand-in xl and xenstore-read present it as a running HVM guest
// (test/support/localGuests.ts, the harness's xenstore-read). The console is opened as a user
// opens it, on the guest's node of the Guests view, and noVNC negotiates with QEMU as always
// (Tight). Then, for each update:
//
// - the relay records, per `data` message, when it was posted and when the cumulative ack passed
//   its end (Relay's clock, on in test mode; ConsolePanel.chunkTimings());
// - a tap on the panel's post (this file) hands the same bytes to an RFB tracker
//   (test/support/rfbUpdates.ts), which finds where each FramebufferUpdate begins and ends in the
//   stream and how much of the screen it covers;
// - an update's figure is the ack time of the chunk holding its last byte minus the post time of
//   the chunk holding its first byte. Only updates that cover the whole screen count.
//
// The webview acks a chunk after noVNC's handler returned for it. For QEMU's Tight rectangles
// without JPEG (QEMU sends JPEG only with `-vnc lossy=on`; the tracker counts any) noVNC has then
// decoded every rectangle and drawn the update to the canvas, so the figure is a round trip that
// bounds the time to the canvas from above: it includes the ack's way back.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConsoleViewState, HostToWebview } from '../client/src/console/protocol';
import type { RelayChunkTiming, RelayStats } from '../client/src/console/relay';
import type { GuestNode } from '../client/src/tree/items';
import { setUpLocalGuests } from '../test/support/localGuests';
import { qemuVersion, startQemuVnc, type QemuVnc } from '../test/support/qemuVnc';
import { RfbUpdateTracker, type UpdateSpan } from '../test/support/rfbUpdates';

const EXTENSION_ID = 'xen-xl-tools.xen-xl';
const GUEST = 'bench-screen';
const DOMID = 51;
const WIDTH = 1024;
const HEIGHT = 768;
/** Full-screen updates left out at the start (noVNC and the page settle). */
const WARM_UP_UPDATES = 10;

interface PanelLike {
  post(message: HostToWebview): void;
  chunkTimings(): RelayChunkTiming[];
  readonly relayStats: Readonly<RelayStats> | undefined;
  queryState(timeoutMs?: number): Promise<ConsoleViewState>;
  dispose(): void;
}
interface Api {
  views: { guestsProvider: { guestNode(hostId: string, name: string): GuestNode | undefined } };
  testing?: { consoles: { find(hostId: string, guest: string): PanelLike | undefined } };
}

export interface ConsoleLatencyResult {
  qemu: string | undefined;
  /** The guest's painter (test/support/qemuVnc.ts): 'paced' waits for the timer tick between pictures, 'moving' never rests. */
  screen: 'paced' | 'moving';
  vscode: string;
  width: number;
  height: number;
  /** Full-screen updates measured (after the warm-up), and updates that covered less of the screen. */
  updates: number;
  partialUpdates: number;
  /** Post of an update's first byte → ack covering its last byte, ms. */
  p50Ms: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
  /** The first chunk of each update alone: post → its ack, ms (the transport's share). */
  firstChunkP50Ms: number;
  /** Bytes per full-screen update (median) and `data` messages per update (median). */
  bytesPerUpdate: number;
  chunksPerUpdate: number;
  /** Time between the starts of consecutive measured updates (median), ms. */
  updateIntervalMs: number;
  /** Rectangles per encoding over the measured updates; Tight rectangles sent as JPEG or PNG. */
  encodings: Record<string, number>;
  tightImages: number;
  relay: Readonly<RelayStats>;
  seconds: number;
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
};
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, condition: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function run(): Promise<void> {
  const out = process.env.XEN_XL_BENCH_OUT;
  const store = process.env.XEN_XL_E2E_XENSTORE;
  const repository = process.env.XEN_XL_BENCH_REPOSITORY;
  assert.ok(out && store && repository, 'XEN_XL_BENCH_OUT, XEN_XL_E2E_XENSTORE and XEN_XL_BENCH_REPOSITORY are set by bench/console.mjs');
  const wanted = Number(process.env.XEN_XL_BENCH_UPDATES ?? 100);
  const screen = process.env.XEN_XL_BENCH_SCREEN === 'moving' ? 'moving' : 'paced';
  const started = Date.now();
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = (await extension.activate()) as Api;
  assert.ok(api.testing, 'the extension runs in test mode (its relay then times each chunk)');
  const folder = mkdtempSync(join(tmpdir(), 'xen-xl-bench-console-'));
  let qemu: QemuVnc | undefined;
  let panel: PanelLike | undefined;
  const xen = vscode.workspace.getConfiguration('xen');
  try {
    qemu = await startQemuVnc({ screen: `1024x768-${screen}` });
    const guests = setUpLocalGuests({ folder, store, repository, guests: [{ name: GUEST, domid: DOMID, port: qemu.port }] });
    await xen.update('xlPath', guests.xlPath, vscode.ConfigurationTarget.Workspace);
    await xen.update('sudo', process.getuid?.() === 0 ? 'auto' : 'never', vscode.ConfigurationTarget.Workspace);
    await xen.update('refreshInterval', 0, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.view.extension.xen');
    const node = await waitFor(
      `${GUEST} in the Guests view`,
      async () => {
        await vscode.commands.executeCommand('xen.refresh');
        return api.views.guestsProvider.guestNode('local', GUEST);
      },
      30_000,
    );
    await vscode.commands.executeCommand('xen.guest.graphicalConsole', node);
    const opened = api.testing.consoles.find('local', GUEST);
    assert.ok(opened, 'the console panel opened');
    panel = opened;

    // The tap: the bytes of each session's data messages, from its `open` on, go to a tracker
    // before the message is posted. The relay reads its clock before calling post.
    let tracker: RfbUpdateTracker | undefined;
    let session: number | undefined;
    const post = opened.post.bind(opened);
    opened.post = (message: HostToWebview): void => {
      if (message.type === 'open') {
        session = message.session;
        tracker = new RfbUpdateTracker();
      } else if (message.type === 'data' && message.session === session) {
        tracker?.push(message.data);
      } else if (message.type === 'session' && tracker !== undefined) {
        throw new Error('the console started another session during the measurement');
      }
      post(message);
    };

    await waitFor(
      `the ${WIDTH}x${HEIGHT} screen`,
      async () => {
        let state: ConsoleViewState;
        try {
          state = await opened.queryState();
        } catch (error) {
          // The page may still be loading (a busy machine): ask again until the deadline.
          console.log(`the console did not answer yet: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        }
        return state.rfb === 'connected' && state.width === WIDTH && state.height === HEIGHT && state.distinctColours > 1;
      },
      60_000,
    );
    assert.ok(tracker, 'the tap saw the session open (it came before any data)');
    const full = (span: UpdateSpan): boolean => span.area >= WIDTH * HEIGHT;

    // Collect chunk timings while updates come; the relay keeps only the latest 4096.
    const timings = new Map<number, RelayChunkTiming>();
    const collect = (): void => {
      for (const timing of opened.chunkTimings()) timings.set(timing.end, timing);
    };
    const measuredFull = (): UpdateSpan[] => tracker!.updates.filter(full).slice(WARM_UP_UPDATES);
    await waitFor(
      `${wanted} full-screen updates after ${WARM_UP_UPDATES} to warm up`,
      () => {
        collect();
        if (tracker!.error !== undefined) throw new Error(`the RFB tracker lost the stream: ${tracker!.error}`);
        return measuredFull().length >= wanted + 1;
      },
      180_000,
    );
    await sleep(500);
    collect();
    assert.equal(tracker.error, undefined);

    // Each chunk by its end offset, in order, to find the chunk that holds a given byte.
    const ordered = [...timings.values()].sort((a, b) => a.end - b.end);
    const holding = (offset: number): RelayChunkTiming | undefined => {
      let low = 0;
      let high = ordered.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (ordered[middle].end > offset) high = middle;
        else low = middle + 1;
      }
      const chunk = ordered[low];
      return chunk !== undefined && chunk.end > offset && chunk.end - chunk.bytes <= offset ? chunk : undefined;
    };
    const spans = measuredFull().slice(0, wanted);
    const latencies: number[] = [];
    const firstChunk: number[] = [];
    const sizes: number[] = [];
    const chunks: number[] = [];
    const encodings: Record<string, number> = {};
    let tightImages = 0;
    let missing = 0;
    for (const span of spans) {
      const first = holding(span.start);
      const last = holding(span.end - 1);
      if (first === undefined || last === undefined) {
        missing++;
        continue;
      }
      latencies.push(last.ackedAt - first.postedAt);
      firstChunk.push(first.ackedAt - first.postedAt);
      sizes.push(span.end - span.start);
      chunks.push(ordered.indexOf(last) - ordered.indexOf(first) + 1);
      for (const [encoding, count] of Object.entries(span.encodings)) encodings[encoding] = (encodings[encoding] ?? 0) + count;
      tightImages += span.tightImages;
    }
    assert.ok(latencies.length >= wanted * 0.9, `${latencies.length} of ${spans.length} updates had timings for their chunks (${missing} without; untimed chunks ${opened.relayStats?.untimedChunks})`);
    const intervals = spans.slice(1).map((span, index) => {
      const previous = holding(spans[index].start);
      const current = holding(span.start);
      return previous && current ? current.postedAt - previous.postedAt : undefined;
    }).filter((value): value is number => value !== undefined);
    const partialUpdates = tracker.updates.filter((span) => !full(span)).length;
    const result: ConsoleLatencyResult = {
      qemu: qemuVersion(),
      screen,
      vscode: vscode.version,
      width: WIDTH,
      height: HEIGHT,
      updates: latencies.length,
      partialUpdates,
      p50Ms: round(percentile(latencies, 0.5)),
      p90Ms: round(percentile(latencies, 0.9)),
      minMs: round(Math.min(...latencies)),
      maxMs: round(Math.max(...latencies)),
      firstChunkP50Ms: round(percentile(firstChunk, 0.5)),
      bytesPerUpdate: percentile(sizes, 0.5),
      chunksPerUpdate: percentile(chunks, 0.5),
      updateIntervalMs: round(percentile(intervals, 0.5)),
      encodings,
      tightImages,
      relay: { ...opened.relayStats! },
      seconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
    console.log(`console latency: ${JSON.stringify(result)}`);
  } finally {
    panel?.dispose();
    for (const key of ['xlPath', 'sudo', 'refreshInterval']) await xen.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await qemu?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
