// The console relay against reading the same VNC stream directly over TCP, in the same run, with
// the same RFB client code (test/support/rfbClient.ts) on both paths:
//
// - direct: a TCP socket to the server, read by the RFB client;
// - relay: the runner's openStream (the same kind of socket), the Relay, and a fake webview end
//   (test/support/fakeWebview.ts) whose byte stream the RFB client reads; the fake webview acks
//   what it received on the next turn of the event loop. VS Code's own postMessage is not in
//   this path: it is what the code-server measurement (a full-screen update reaching the canvas)
//   covers.
//
// Three measurements, the paths taking turns (which goes first alternates too) so that a change in
// the machine's load hits both alike; each figure is the median of the rounds:
// 1. live: a real QEMU VNC server whose guest repaints a 1024x768 32-bit screen without pause
//    (test/support/qemuVnc.ts); the client asks for the full screen, non-incremental, reads the
//    raw update, and asks again. QEMU sends at most one update per refresh tick (30 ms at best),
//    so this shows whether the relay keeps up with a real server, not the transport's limit.
// 2. replay: 8 full-screen updates recorded from that QEMU (its bytes exactly as it sent them)
//    are sent again and again by a server in another process, as fast as the connection takes
//    them: the transport and the client are the limit, so this is where a slower relay shows.
// 3. latency: an 8-byte message (the size of a key event) sent to an echo server and read back;
//    the relay's extra time per message is half the difference of the medians (the round trip
//    crosses it twice).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { Relay, type RelayStats } from '../client/src/console/relay';
import { openStream } from '../client/src/xl/runner';
import { FakeWebview } from '../test/support/fakeWebview';
import { qemuVersion, startQemuVnc, type QemuVnc } from '../test/support/qemuVnc';
import { ENCODING_DESKTOP_SIZE, ENCODING_RAW, RfbClient } from '../test/support/rfbClient';

type Path = 'direct' | 'relay';

export interface ThroughputFigures {
  /** Median over the rounds, in MB/s (10^6 bytes) of pixel data. */
  directMBps: number;
  relayMBps: number;
  /** relay ÷ direct. */
  ratio: number;
  directMsPerFrame: number;
  relayMsPerFrame: number;
  rounds: number;
  framesPerRound: number;
}

export interface RelayFigures {
  qemu: string;
  width: number;
  height: number;
  bytesPerFrame: number;
  live: ThroughputFigures;
  replay: ThroughputFigures;
  latency: { directP50Ms: number; relayP50Ms: number; addedPerMessageMs: number; roundTripsPerPath: number };
  /** The relay's counters in the last replay round. */
  relayStats: RelayStats;
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Connection {
  channel: Duplex;
  relay?: Relay;
  close(): Promise<void>;
}

let sessions = 0;

/** Which path goes first alternates from round to round, so neither always runs on a warmer (or busier) machine. */
const order = (index: number): Path[] => (index % 2 === 0 ? ['direct', 'relay'] : ['relay', 'direct']);

async function connect(path: Path, port: number, serverSpeaksFirst = true): Promise<Connection> {
  if (path === 'direct') {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    await new Promise<void>((resolveConnect, reject) => {
      socket.once('connect', resolveConnect);
      socket.once('error', reject);
    });
    return {
      channel: socket,
      close: async () => {
        socket.destroy();
      },
    };
  }
  const session = ++sessions;
  const webview = new FakeWebview(session);
  const relay = new Relay({ session, post: webview.post });
  webview.attach(relay);
  await relay.connect(openStream({ target: { kind: 'local' } }, { address: '127.0.0.1', port }, { serverSpeaksFirst }));
  if (relay.status !== 'open') throw new Error(`the relay did not open: ${relay.closeInfo?.reason}`);
  return {
    channel: webview.channel,
    relay,
    close: async () => {
      await relay.dispose();
    },
  };
}

/** Handshake, 32-bit pixels, raw; then full updates until the screen is `width`x`height` with pixels. */
async function rfbSession(channel: Duplex, width: number, height: number): Promise<RfbClient> {
  const client = new RfbClient(channel, 30_000);
  const result = await client.handshake();
  if (!result.ok) throw new Error(`RFB handshake failed: ${result.reason}`);
  client.setPixelFormat32();
  client.setEncodings([ENCODING_RAW, ENCODING_DESKTOP_SIZE]);
  for (let attempt = 0; attempt < 500; attempt++) {
    client.requestUpdate(false);
    const update = await client.readUpdate();
    if (update.width === width && update.height === height && update.pixelBytes === width * height * 4) return client;
  }
  throw new Error(`the screen never became ${width}x${height}: ${client.steps.join(' | ')}`);
}

/** Reads `frames` full updates (asking for each), after two untimed ones; returns ms and pixel bytes. */
async function timeFrames(client: RfbClient, frames: number): Promise<{ ms: number; bytes: number }> {
  for (let warmUp = 0; warmUp < 2; warmUp++) {
    client.requestUpdate(false);
    await client.readUpdate();
  }
  let bytes = 0;
  const start = performance.now();
  for (let frame = 0; frame < frames; frame++) {
    client.requestUpdate(false);
    bytes += (await client.readUpdate()).pixelBytes;
  }
  return { ms: performance.now() - start, bytes };
}

async function throughput(
  port: number,
  rounds: number,
  frames: number,
  size: { width: number; height: number },
  onRelayRound?: (stats: RelayStats) => void,
): Promise<ThroughputFigures> {
  const rates: Record<Path, number[]> = { direct: [], relay: [] };
  const msPerFrame: Record<Path, number[]> = { direct: [], relay: [] };
  for (let index = 0; index < rounds; index++) {
    for (const path of order(index)) {
      const connection = await connect(path, port);
      try {
        const client = await rfbSession(connection.channel, size.width, size.height);
        const { ms, bytes } = await timeFrames(client, frames);
        rates[path].push(bytes / 1e6 / (ms / 1000));
        msPerFrame[path].push(ms / frames);
        if (connection.relay !== undefined) onRelayRound?.({ ...connection.relay.stats });
      } finally {
        await connection.close();
      }
    }
  }
  const direct = median(rates.direct);
  const relay = median(rates.relay);
  return {
    directMBps: round(direct, 1),
    relayMBps: round(relay, 1),
    ratio: round(relay / direct, 3),
    directMsPerFrame: round(median(msPerFrame.direct), 2),
    relayMsPerFrame: round(median(msPerFrame.relay), 2),
    rounds,
    framesPerRound: frames,
  };
}

/** Records the server-to-client bytes of `frames` full updates, exactly as the server sent them. */
async function record(qemu: QemuVnc, frames: number, size: { width: number; height: number }): Promise<Buffer> {
  const socket = net.connect({ host: '127.0.0.1', port: qemu.port });
  try {
    const client = await rfbSession(socket, size.width, size.height);
    const chunks: Buffer[] = [];
    // Nothing is in flight between updates (each one is asked for), so the tap starts and ends
    // on message boundaries.
    const tap = (chunk: Buffer): void => void chunks.push(Buffer.from(chunk));
    socket.on('data', tap);
    for (let frame = 0; frame < frames; frame++) {
      client.requestUpdate(false);
      const update = await client.readUpdate();
      if (update.pixelBytes !== size.width * size.height * 4 || update.otherMessages !== 0) throw new Error('a recorded update was not one full screen');
    }
    socket.off('data', tap);
    return Buffer.concat(chunks);
  } finally {
    socket.destroy();
  }
}

async function latency(port: number, rounds: number, perRound: number): Promise<{ direct: number; relay: number }> {
  const samples: Record<Path, number[]> = { direct: [], relay: [] };
  const message = Buffer.from([4, 1, 0, 0, 0, 0, 0xff, 0xe3]);
  for (let index = 0; index < rounds; index++) {
    for (const path of order(index)) {
      const connection = await connect(path, port, false);
      try {
        const { channel } = connection;
        let pending = 0;
        let wake: (() => void) | undefined;
        channel.on('data', (chunk: Buffer) => {
          pending += chunk.length;
          if (pending >= message.length) {
            pending -= message.length;
            wake?.();
          }
        });
        const roundTrip = (): Promise<number> =>
          new Promise((resolveTrip) => {
            const start = performance.now();
            wake = () => resolveTrip(performance.now() - start);
            channel.write(message);
          });
        for (let warmUp = 0; warmUp < 200; warmUp++) await roundTrip();
        for (let trip = 0; trip < perRound; trip++) samples[path].push(await roundTrip());
      } finally {
        await connection.close();
      }
    }
  }
  return { direct: median(samples.direct), relay: median(samples.relay) };
}

/** The replay and echo servers in their own process (bench/relayServer.mjs). */
async function startServers(root: string, recordingFile: string, size: { width: number; height: number }): Promise<{ replay: number; echo: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [resolve(root, 'bench/relayServer.mjs'), recordingFile, String(size.width), String(size.height)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async (): Promise<void> => {
    child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  try {
    const line = await new Promise<string>((resolveLine, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolveLine(text.split('\n')[0]);
      });
      void exited.then(() => reject(new Error('bench/relayServer.mjs exited before it listened')));
    });
    const ports = JSON.parse(line) as { replay: number; echo: number };
    return { ...ports, stop };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

export async function measureRelay(root: string, quick: boolean): Promise<RelayFigures | { notMeasured: string }> {
  const version = qemuVersion();
  if (version === undefined) return { notMeasured: 'not measured: qemu-system-x86_64 is not installed (Debian: apt-get install qemu-system-x86)' };
  const size = { width: 1024, height: 768 };
  const rounds = quick ? 3 : 7;
  const dir = mkdtempSync(join(tmpdir(), 'xen-xl-relay-bench-'));
  try {
    const qemu = await startQemuVnc({ screen: '1024x768-moving' });
    let live: ThroughputFigures;
    let recording: Buffer;
    try {
      live = await throughput(qemu.port, rounds, quick ? 15 : 30, size);
      recording = await record(qemu, 8, size);
    } finally {
      await qemu.stop();
    }
    const recordingFile = join(dir, 'updates.bin');
    writeFileSync(recordingFile, recording);
    const servers = await startServers(root, recordingFile, size);
    try {
      let relayStats: RelayStats | undefined;
      const replay = await throughput(servers.replay, rounds, quick ? 60 : 300, size, (stats) => (relayStats = stats));
      const echo = await latency(servers.echo, rounds, quick ? 500 : 1000);
      return {
        qemu: version,
        ...size,
        bytesPerFrame: size.width * size.height * 4,
        live,
        replay,
        latency: {
          directP50Ms: round(echo.direct),
          relayP50Ms: round(echo.relay),
          addedPerMessageMs: round((echo.relay - echo.direct) / 2),
          roundTripsPerPath: rounds * (quick ? 500 : 1000),
        },
        relayStats: relayStats!,
      };
    } finally {
      await servers.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
