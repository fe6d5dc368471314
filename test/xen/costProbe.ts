// dom0's CPU time spent on the extension's polling and sampling, measured on the rig (for
// BENCHMARKS.md). Run by test/xen/measureCost.mjs, which boots the rig (or uses the one named by
// the XEN_TEST_* environment) and bundles this file.
//
// Four phases of the same length with the same guests running, one after the other:
//   idle:      nothing of ours runs (what dom0 spends anyway: xenstored, xenconsoled, the kernel);
//   poll:      the Guests view's refresh alone (what the extension did before live figures): one
//              `xl list` every 5 s through the runner;
//   stream:    what the Guests view and a Host Dashboard do: one `xentop -b -f -d 2` for the whole
//              phase through the runner's stream, plus one `xl list` every 5 s through the runner;
//   per-tick:  the alternative: a fresh `xentop -b -i 2 -d 1` every 2 s (two iterations, because
//              the first has no CPU %), plus the same `xl list` every 5 s.
// dom0's busy time comes from /proc/stat (all of dom0's CPUs: total less idle and iowait), read
// before and after each phase; xentop's own share from /proc/PID/stat (utime + stime) of the
// long-running one, and of single runs for the per-tick kind. Figures are % of one CPU.

import { runXl, startStream, xentopStream, xl, type XlCommand } from '../../client/src/xl';
import { dom0Ok, options } from './helpers';

/** /proc/stat and /proc/PID/stat count in USER_HZ ticks: 100 per second on Linux x86. */
const TICKS_PER_SECOND = 100;

interface CpuSample {
  busy: number;
  total: number;
  at: number;
}

async function dom0Cpu(): Promise<CpuSample> {
  const line = (await dom0Ok('head -n 1 /proc/stat')).trim();
  const fields = line.split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  return { busy: total - idle, total, at: Date.now() };
}

/** % of one CPU that dom0 was busy between two samples (by wall-clock time). */
function busyPercent(before: CpuSample, after: CpuSample): number {
  return ((after.busy - before.busy) / TICKS_PER_SECOND / ((after.at - before.at) / 1000)) * 100;
}

/** utime + stime of a dom0 process, in seconds. */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = (await dom0Ok(`cat /proc/${pid}/stat`)).trim();
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / TICKS_PER_SECOND;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `xl list` every 5 s through the runner until `until`; returns how many ran. */
async function pollList(until: number): Promise<number> {
  let count = 0;
  while (Date.now() < until) {
    const next = Date.now() + 5000;
    await runXl(xl.list(), options());
    count++;
    await sleep(Math.max(0, Math.min(next, until) - Date.now()));
  }
  return count;
}

/** The one-shot xentop of the per-tick alternative, through the runner like any command. */
function xentopOnce(): XlCommand<string> {
  return { program: 'xentop', args: ['-b', '-f', '-i', '2', '-d', '1'], parse: (stdout) => stdout, description: 'read figures once (xentop -i 2)' };
}

export interface CostReport {
  seconds: number;
  guests: string[];
  idle: number;
  poll: { dom0: number; xlLists: number };
  stream: { dom0: number; xentop: number; xlLists: number; frames: number };
  perTick: { dom0: number; xentopPerRun: number; xentopShare: number; runs: number; xlLists: number };
}

export async function measureCost(seconds: number): Promise<CostReport> {
  const phaseMs = seconds * 1000;
  const guests = (await runXl(xl.list(), options())).filter((d) => d.id !== 0).map((d) => d.name);

  // idle
  let before = await dom0Cpu();
  await sleep(phaseMs);
  let after = await dom0Cpu();
  const idle = busyPercent(before, after);

  // poll: xl list every 5 s, nothing else
  before = await dom0Cpu();
  const pollLists = await pollList(Date.now() + phaseMs);
  after = await dom0Cpu();
  const poll = { dom0: busyPercent(before, after), xlLists: pollLists };

  // stream: one xentop -d 2 and xl list every 5 s
  let frames = 0;
  before = await dom0Cpu();
  const stream = startStream(xentopStream(2), options(), {
    onData: (chunk) => {
      frames += (chunk.match(/^\s*NAME\s+STATE/gm) ?? []).length;
    },
  });
  const streamLists = await pollList(Date.now() + phaseMs);
  after = await dom0Cpu();
  // xentop itself, not the runner's remote launcher (an `sh -c` whose text also names it).
  const pid = Number((await dom0Ok('ps -o pid,args | awk \'$2 ~ /xentop$/ && $3 == "-b" && $5 == "-d" && $6 == "2" {print $1}\'')).trim().split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error('the stream\'s xentop was not found in dom0');
  const uptime = Number((await dom0Ok('cut -d" " -f1 /proc/uptime')).trim());
  const startTicks = Number((await dom0Ok(`cat /proc/${pid}/stat`)).trim().split(') ')[1].split(' ')[19]);
  const xentopSeconds = await processCpuSeconds(pid);
  stream.stop();
  await stream.ended;
  const streamXentop = (xentopSeconds / (uptime - startTicks / TICKS_PER_SECOND)) * 100;
  const streamDom0 = busyPercent(before, after);

  // per-tick: xentop -i 2 -d 1 every 2 s, and xl list every 5 s
  before = await dom0Cpu();
  const until = Date.now() + phaseMs;
  let runs = 0;
  const ticks = (async () => {
    while (Date.now() < until) {
      const next = Date.now() + 2000;
      await runXl(xentopOnce(), options());
      runs++;
      await sleep(Math.max(0, Math.min(next, until) - Date.now()));
    }
  })();
  const [tickLists] = await Promise.all([pollList(until), ticks]);
  after = await dom0Cpu();
  const perTickDom0 = busyPercent(before, after);
  // One run's own CPU time: a shell's children's time (cutime + cstime) after it waited for xentop.
  const single = await dom0Ok('for i in 1 2 3 4 5; do sh -c \'xentop -b -f -i 2 -d 1 >/dev/null; set -- $(cut -d")" -f2 /proc/$$/stat); echo $(( ${14} + ${15} ))\'; done');
  const perRun = single.trim().split('\n').map(Number);
  const xentopPerRun = perRun.reduce((a, b) => a + b, 0) / perRun.length / TICKS_PER_SECOND;

  return {
    seconds,
    guests,
    idle,
    poll,
    stream: { dom0: streamDom0, xentop: streamXentop, xlLists: streamLists, frames },
    perTick: { dom0: perTickDom0, xentopPerRun, xentopShare: ((xentopPerRun * runs) / seconds) * 100, runs, xlLists: tickLists },
  };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.XEN_COST_SECONDS ?? 60);
  const report = await measureCost(seconds);
  const pct = (n: number) => `${n.toFixed(2)} %`;
  console.log(JSON.stringify(report, null, 2));
  console.log(`guests running: ${report.guests.join(', ')}; ${seconds} s per phase; % of one CPU`);
  console.log(`idle dom0:                                    ${pct(report.idle)}`);
  console.log(`xl list every 5 s (the refresh alone):       ${pct(report.poll.dom0)} (${report.poll.xlLists} xl list)`);
  console.log(`xentop -d 2 stream + xl list every 5 s:       ${pct(report.stream.dom0)} (xentop itself ${pct(report.stream.xentop)}; ${report.stream.frames} frames, ${report.stream.xlLists} xl list)`);
  console.log(`xentop -i 2 -d 1 every 2 s + xl list / 5 s:   ${pct(report.perTick.dom0)} (xentop itself ${pct(report.perTick.xentopShare)}: ${report.perTick.xentopPerRun.toFixed(3)} s per run, ${report.perTick.runs} runs, ${report.perTick.xlLists} xl list)`);
  console.log(`ours above idle: refresh alone ${pct(report.poll.dom0 - report.idle)}, stream ${pct(report.stream.dom0 - report.idle)}, per tick ${pct(report.perTick.dom0 - report.idle)}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
