/** Terminal progress: one line per stage with its time, a spinner while a stage runs. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class StageProgress {
  private current: { name: string; started: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly interactive = Boolean((out as NodeJS.WriteStream).isTTY),
  ) {}

  start(name: string): void {
    this.stopSpinner();
    this.current = { name, started: Date.now() };
    if (!this.interactive) return;
    this.timer = setInterval(() => this.render(), 80);
    this.render();
  }

  finish(name: string, ok: boolean, durationMs?: number): void {
    this.stopSpinner();
    const elapsed = durationMs ?? (this.current ? Date.now() - this.current.started : 0);
    this.clearLine();
    this.out.write(`${ok ? '✔' : '✖'} ${name.padEnd(9)} ${formatMs(elapsed).padStart(8)}\n`);
    this.current = undefined;
  }

  note(text: string): void {
    this.clearLine();
    this.out.write(`  ${text}\n`);
    if (this.interactive && this.current) this.render();
  }

  stop(): void {
    this.stopSpinner();
    this.clearLine();
  }

  private render(): void {
    if (!this.current) return;
    const frame = FRAMES[this.frame++ % FRAMES.length] ?? '-';
    this.clearLine();
    this.out.write(
      `${frame} ${this.current.name.padEnd(9)} ${formatMs(Date.now() - this.current.started).padStart(8)}`,
    );
  }

  private clearLine(): void {
    if (this.interactive) this.out.write('\r\x1b[2K');
  }

  private stopSpinner(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
