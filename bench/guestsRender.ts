// One render of the Guests view at scale: 8 hosts of 200 guests each, every guest with live
// figures from two xentop frames. Times what VS Code asks of the provider for a full redraw
// (getChildren of the root and of every host, getTreeItem of every node) with the real
// XenState, GuestsProvider, tree items and figures history; xl answers from memory (a fake
// service), so only our code is measured.

import { performance } from 'node:perf_hooks';
import { FiguresHistory } from '../client/src/figures/history';
import { GuestsProvider } from '../client/src/tree/guestsProvider';
import type { XenNode } from '../client/src/tree/items';
import { XenState } from '../client/src/tree/xenState';
import type { XenHost, XenService } from '../client/src/xenService';
import { parseList, type XentopFrame, type XentopRow } from '../client/src/xl';

export interface GuestsRenderFigures {
  hosts: number;
  guestsPerHost: number;
  nodes: number;
  runs: number;
  medianMs: number;
  p90Ms: number;
}

function listText(guests: number): string {
  const rows = ['Name                                        ID   Mem VCPUs\tState\tTime(s)', 'Domain-0                                     0  4096     2     r-----     100.0'];
  for (let index = 1; index < guests; index++) rows.push(`${`guest-${index}`.padEnd(40)} ${String(index).padStart(5)}  1024     1     -b----      12.${index % 10}`);
  return rows.join('\n') + '\n';
}

function frame(at: number, guests: number, tick: number): XentopFrame {
  const rows: XentopRow[] = [];
  for (let index = 0; index < guests; index++) {
    rows.push({
      name: index === 0 ? 'Domain-0' : `guest-${index}`,
      state: 'blocked',
      cpuSeconds: 100 + tick * index,
      ...(tick === 0 ? {} : { cpuPercent: (index * 7) % 100 }),
      memKiB: 1048576,
      maxMemKiB: 1049600,
      vcpus: 1,
      nets: 1,
      netTxKiB: 1000 + tick * index,
      netRxKiB: 5000 + tick * 3 * index,
      vbds: 1,
      vbdRd: 10 * tick,
      vbdWr: 4 * tick,
      vbdRsect: 0,
      vbdWsect: 0,
    });
  }
  return { at, guests: rows };
}

export async function measureGuestsRender(hostCount = 8, guestsPerHost = 200, runs = 31): Promise<GuestsRenderFigures> {
  const hosts: XenHost[] = Array.from({ length: hostCount }, (_, index) => ({
    id: `ssh:dom${index}`,
    label: `dom${index}`,
    isLocal: false,
    target: { kind: 'ssh', destination: `dom${index}`, controlDir: '/tmp' },
  }));
  const domains = parseList(listText(guestsPerHost));
  const service = {
    hosts: () => hosts,
    run: async () => domains,
  } as unknown as XenService;
  const state = new XenState(service);
  await state.refresh({ list: true, info: false });
  const history = new FiguresHistory();
  for (const host of hosts) {
    history.addFrame(host.id, frame(0, guestsPerHost, 0));
    history.addFrame(host.id, frame(2000, guestsPerHost, 1));
  }
  const provider = new GuestsProvider(state, () => true);
  provider.setFigures((hostId, name) => {
    const figures = history.figures(hostId, name);
    return figures === undefined ? undefined : { figures };
  });
  const render = (): number => {
    let nodes = 0;
    // Hosts and their guest lists are synchronous; only a guest's own devices come as a Promise.
    const list = (children: XenNode[] | Promise<XenNode[]>): XenNode[] => {
      if (!Array.isArray(children)) throw new Error('a host or the root listed its children asynchronously');
      return children;
    };
    const visit = (children: XenNode[]): void => {
      for (const node of children) {
        provider.getTreeItem(node);
        nodes++;
        if (node.kind === 'host') visit(list(provider.getChildren(node)));
      }
    };
    visit(list(provider.getChildren()));
    return nodes;
  };
  // Warm up (the JIT), then time.
  let nodes = 0;
  for (let run = 0; run < 5; run++) nodes = render();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    render();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  provider.dispose();
  state.dispose();
  const at = (fraction: number): number => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * fraction))] * 100) / 100;
  return { hosts: hostCount, guestsPerHost, nodes, runs, medianMs: at(0.5), p90Ms: at(0.9) };
}
