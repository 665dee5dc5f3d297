/**
 * Progress of a run: a redrawn bar per stage on a terminal, plain lines (every 10% and at the end)
 * anywhere else, so logs stay readable. Written to a stream (stderr in the CLI). Stage names and notes
 * pass through `terminalLine`/`terminalText`: the only escape sequences written are the bar's own.
 */
import { terminalLine, terminalText } from "@cjeval/provider-utils";

/** Progress of one stage. */
export interface StageProgress {
  /** One unit finished (`ok` false when it failed). */
  advance(ok: boolean): void;
  /** The stage is over. */
  finish(): void;
}

/** Receives a run's progress. */
export interface ProgressSink {
  /** A stage starts with `total` units, `done` of which were already stored. */
  stage(name: string, total: number, done: number): StageProgress;
  /** A one-line message (stage skipped, waiting for labels, …). */
  note(message: string): void;
}

/** Discards progress (library use, tests). */
export const SILENT_PROGRESS: ProgressSink = {
  stage: () => ({ advance: () => {}, finish: () => {} }),
  note: () => {},
};

/** Where progress goes: any writable text stream; `isTTY` selects the bar. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const BAR_WIDTH = 28;
const REDRAW_MS = 100;

/** Progress on `stream`: a bar when it is a terminal, plain lines otherwise. */
export function streamProgress(stream: ProgressStream): ProgressSink {
  return {
    stage: (name, total, done) =>
      stream.isTTY === true ? new BarProgress(stream, terminalLine(name), total, done) : new LineProgress(stream, terminalLine(name), total, done),
    note: (message) => void stream.write(`${terminalText(message)}\n`),
  };
}

abstract class CountingProgress implements StageProgress {
  protected ok = 0;
  protected failed = 0;
  protected readonly started = performance.now();

  constructor(
    protected readonly stream: ProgressStream,
    protected readonly name: string,
    protected readonly total: number,
    protected readonly before: number,
  ) {}

  advance(ok: boolean): void {
    if (ok) this.ok++;
    else this.failed++;
    this.changed();
  }

  abstract finish(): void;
  protected abstract changed(): void;

  protected get done(): number {
    return this.before + this.ok + this.failed;
  }

  protected summary(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const rate = seconds > 0 ? ` (${((this.ok + this.failed) / seconds).toFixed(1)}/s)` : "";
    const failed = this.failed > 0 ? `, ${this.failed} failed` : "";
    const stored = this.before > 0 ? `, ${this.before} already stored` : "";
    return `${this.name}: ${this.done}/${this.total}${failed}${stored}${rate}`;
  }
}

class LineProgress extends CountingProgress {
  private nextShare = 0.1;

  constructor(stream: ProgressStream, name: string, total: number, before: number) {
    super(stream, name, total, before);
    stream.write(`${name}: ${total - before} of ${total} units to run\n`);
  }

  protected changed(): void {
    if (this.total > 0 && this.done / this.total >= this.nextShare && this.done < this.total) {
      this.stream.write(`${this.summary()}\n`);
      while (this.done / this.total >= this.nextShare) this.nextShare += 0.1;
    }
  }

  finish(): void {
    this.stream.write(`${this.summary()} done\n`);
  }
}

class BarProgress extends CountingProgress {
  private lastDraw = 0;

  constructor(stream: ProgressStream, name: string, total: number, before: number) {
    super(stream, name, total, before);
    this.draw();
  }

  protected changed(): void {
    const now = performance.now();
    if (now - this.lastDraw >= REDRAW_MS) this.draw();
  }

  finish(): void {
    this.draw();
    this.stream.write("\n");
  }

  private draw(): void {
    this.lastDraw = performance.now();
    const share = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${(100 * share).toFixed(0).padStart(3)}%`;
    const line = `${bar} ${this.summary()}`;
    this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1)}\x1b[K`);
  }
}
