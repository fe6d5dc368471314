// The messages between the Host Dashboard panel and its webview: plain data only. The extension
// formats every figure (the webview only lays them out, sorts and draws), so the browser code
// needs nothing from the extension's modules.

/** One guest's row: numbers for sorting, texts for showing, sparklines as SVG polyline points. */
export interface DashboardRow {
  name: string;
  state: string;
  /** Undefined before xentop's second sample (shown as "…"). */
  cpuPercent?: number;
  memKiB: number;
  vcpus: number;
  netTxKiBps?: number;
  netRxKiBps?: number;
  diskReadsPerS?: number;
  diskWritesPerS?: number;
  text: { cpu: string; mem: string; net: string; disk: string };
  /** `x,y x,y …` in a SPARK_WIDTH × SPARK_HEIGHT box; empty when there is nothing to draw. */
  cpuSpark: string;
  memSpark: string;
}

export interface DashboardUpdate {
  type: 'update';
  hostLabel: string;
  /** Words for the state of the figures: `live, every 2 s`, or why there are none. */
  status: string;
  unavailable: boolean;
  rows: DashboardRow[];
  /** The host's free memory over the window, as polyline points in a MEMORY_WIDTH × MEMORY_HEIGHT box. */
  memorySpark: string;
  /** `3.2 GiB free of 8 GiB`, or empty when not known yet. */
  memoryText: string;
  /** `last 10 minutes` */
  windowText: string;
}

export type ToWebview = DashboardUpdate;

export type FromWebview = { type: 'ready' } | { type: 'reveal'; name: string };

export const SPARK_WIDTH = 120;
export const SPARK_HEIGHT = 24;
export const MEMORY_WIDTH = 600;
export const MEMORY_HEIGHT = 80;
