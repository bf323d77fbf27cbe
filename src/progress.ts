/**
 * What the command line shows a person on standard error: progress while it works (on a terminal
 * only), and whether colour is wanted (NO_COLOR, FORCE_COLOR, a terminal).
 */

import { n } from './format.js';

export interface Stream { write(s: string): unknown; isTTY?: boolean; columns?: number }

/**
 * Whether to colour output to `stream`: FORCE_COLOR (set, and not 0 or false) says yes, NO_COLOR
 * (set and not empty) says no, else a terminal does.
 */
export function wantColor(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

const mb = (chars: number) => (chars / 1e6).toFixed(1);

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.ceil(seconds - 60 * m)} s`;
}

/**
 * A progress line on a terminal: the phase, characters read out of the inputs' known size (bytes;
 * equal for ASCII), documents, rate and time left, redrawn at most ten times a second. Off a
 * terminal, or when `enabled` is false, it writes nothing.
 */
export class Progress {
  private readonly start = Date.now();
  private last = 0;
  private shown = false;
  private readonly on: boolean;
  private readonly color: boolean;

  constructor(private readonly stream: Stream, enabled: boolean, private readonly total: number) {
    this.on = enabled && Boolean(stream.isTTY);
    this.color = this.on && wantColor(stream);
  }

  /** Documents and characters read so far. */
  reading(docs: number, chars: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const seconds = (now - this.start) / 1000, rate = chars / 1e6 / Math.max(seconds, 1e-3);
    let line: string;
    if (this.total > 0) {
      const share = Math.min(1, chars / this.total), width = 20, filled = Math.round(share * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const left = share > 0 ? seconds * (1 - share) / share : Infinity;
      line = `reading and indexing [${bar}] ${mb(chars)} / ${mb(this.total)} MB (${Math.floor(100 * share)}%), ${n(docs)} documents, ${rate.toFixed(1)} MB/s, ${duration(left)} left`;
    } else line = `reading and indexing ${mb(chars)} MB, ${n(docs)} documents, ${rate.toFixed(1)} MB/s`;
    this.draw(line);
  }

  /** A phase after reading: building the report, writing it. */
  phase(what: string): void {
    if (this.on) this.draw(`${what}…`);
  }

  /** Clear the line (before the summary or an error). */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(line: string): void {
    // a terminal of unknown size (0 columns, as under `script`) takes COLUMNS, else 100
    const width = Math.max(20, (this.stream.columns || Number(process.env.COLUMNS) || 100) - 1);
    const text = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    this.stream.write(`\r\x1b[K${this.color ? `\x1b[2m${text}\x1b[0m` : text}`);
    this.shown = true;
  }
}
