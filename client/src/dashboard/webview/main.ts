// The Host Dashboard's page: lays out what the extension posts (a table of guests with
// sparklines, the host's free memory), sorts the table by the clicked column, and asks the
// extension to reveal a guest whose name was clicked. Builds DOM nodes only (no HTML strings).

import { MEMORY_HEIGHT, MEMORY_WIDTH, SPARK_HEIGHT, SPARK_WIDTH, type DashboardRow, type DashboardUpdate, type FromWebview, type ToWebview } from '../protocol';

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';

type SortKey = 'name' | 'state' | 'cpuPercent' | 'memKiB' | 'vcpus' | 'net' | 'disk';
interface Column {
  key: SortKey;
  label: string;
  numeric: boolean;
}
const COLUMNS: Column[] = [
  { key: 'name', label: 'Name', numeric: false },
  { key: 'state', label: 'State', numeric: false },
  { key: 'cpuPercent', label: 'CPU', numeric: true },
  { key: 'memKiB', label: 'Memory', numeric: true },
  { key: 'vcpus', label: 'vCPUs', numeric: true },
  { key: 'net', label: 'Network tx / rx', numeric: true },
  { key: 'disk', label: 'Disk reads / writes', numeric: true },
];

let sortKey: SortKey = 'cpuPercent';
let descending = true;
let last: DashboardUpdate | undefined;

function post(message: FromWebview): void {
  vscode.postMessage(message);
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

function sparkline(points: string, width: number, height: number, className: string, label: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', `spark ${className}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  svg.appendChild(line);
  // A line of one point draws nothing: the first sample of a series shows as a dot.
  const pairs = points.trim() === '' ? [] : points.trim().split(/\s+/);
  if (pairs.length === 1) {
    const [x, y] = pairs[0].split(',');
    const dot = document.createElementNS(SVG, 'circle');
    dot.setAttribute('cx', x);
    dot.setAttribute('cy', y);
    dot.setAttribute('r', '1.5');
    svg.appendChild(dot);
  }
  return svg;
}

/**
 * A table cell with a sparkline and its figure, the figure last: right-aligned under its
 * right-aligned column header.
 */
function figureCell(text: string, spark: SVGSVGElement): HTMLTableCellElement {
  const cell = element('td', undefined, 'numeric');
  const box = element('div', undefined, 'with-spark');
  box.appendChild(spark);
  box.appendChild(element('span', text, 'figure'));
  cell.appendChild(box);
  return cell;
}

function sortValue(row: DashboardRow, key: SortKey): number | string {
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'state':
      return row.state;
    case 'net':
      return (row.netTxKiBps ?? -1) + (row.netRxKiBps ?? 0);
    case 'disk':
      return (row.diskReadsPerS ?? -1) + (row.diskWritesPerS ?? 0);
    case 'cpuPercent':
      return row.cpuPercent ?? -1;
    default:
      return row[key];
  }
}

function sorted(rows: DashboardRow[]): DashboardRow[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, sortKey);
    const y = sortValue(b, sortKey);
    const order = x < y ? -1 : x > y ? 1 : a.name.localeCompare(b.name);
    return descending ? -order : order;
  });
}

function renderTable(update: DashboardUpdate): void {
  const section = document.getElementById('guests');
  if (section === null) return;
  const table = element('table');
  const head = element('tr');
  for (const column of COLUMNS) {
    const th = element('th');
    th.setAttribute('aria-sort', column.key === sortKey ? (descending ? 'descending' : 'ascending') : 'none');
    const button = element('button', column.label + (column.key === sortKey ? (descending ? ' ▼' : ' ▲') : ''), 'sort');
    button.addEventListener('click', () => {
      if (sortKey === column.key) descending = !descending;
      else {
        sortKey = column.key;
        descending = column.numeric;
      }
      if (last !== undefined) renderTable(last);
    });
    th.appendChild(button);
    if (column.numeric) th.className = 'numeric';
    head.appendChild(th);
  }
  const thead = element('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  const body = element('tbody');
  for (const row of sorted(update.rows)) {
    const tr = element('tr');
    const nameCell = element('td');
    const name = element('button', row.name, 'guest');
    name.title = `Reveal ${row.name} in the Guests view`;
    name.addEventListener('click', () => post({ type: 'reveal', name: row.name }));
    nameCell.appendChild(name);
    tr.appendChild(nameCell);
    tr.appendChild(element('td', row.state));
    tr.appendChild(figureCell(row.text.cpu, sparkline(row.cpuSpark, SPARK_WIDTH, SPARK_HEIGHT, 'cpu', `CPU of ${row.name} over the ${update.windowText}`)));
    tr.appendChild(figureCell(row.text.mem, sparkline(row.memSpark, SPARK_WIDTH, SPARK_HEIGHT, 'mem', `Memory of ${row.name} over the ${update.windowText}`)));
    tr.appendChild(element('td', String(row.vcpus), 'numeric'));
    tr.appendChild(element('td', row.text.net, 'numeric'));
    tr.appendChild(element('td', row.text.disk, 'numeric'));
    body.appendChild(tr);
  }
  table.appendChild(body);
  section.replaceChildren(table);
  if (update.rows.length === 0) section.appendChild(element('p', update.unavailable ? 'No figures.' : 'Waiting for the first sample…', 'empty'));
}

function renderMemory(update: DashboardUpdate): void {
  const section = document.getElementById('memory');
  if (section === null) return;
  const heading = element('h2', `Free memory${update.memoryText === '' ? '' : `: ${update.memoryText}`}`);
  const chart = sparkline(update.memorySpark, MEMORY_WIDTH, MEMORY_HEIGHT, 'memory', `Free memory of the host over the ${update.windowText}`);
  // The line stretches with the panel; time runs along its whole width.
  chart.setAttribute('preserveAspectRatio', 'none');
  chart.removeAttribute('width');
  chart.removeAttribute('height');
  section.replaceChildren(heading, chart, element('div', update.windowText, 'window'));
}

function render(update: DashboardUpdate): void {
  last = update;
  const status = document.getElementById('status');
  if (status !== null) {
    status.textContent = update.status;
    status.className = update.unavailable ? 'unavailable' : '';
  }
  renderMemory(update);
  renderTable(update);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message !== null && typeof message === 'object' && message.type === 'update') render(message);
});
post({ type: 'ready' });
