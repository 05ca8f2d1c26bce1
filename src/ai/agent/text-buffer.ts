/**
 * Coalesces streamed text deltas into readable chunks before they become events. Each engine
 * event is a stored build-event row, and a model streams a few characters per delta, so one
 * event per delta would write thousands of rows for a single reply. Chunks end at a line break
 * once they are long enough, or at a hard size cap.
 */
export class TextBuffer {
  private buffer = '';

  constructor(
    private readonly sink: (text: string) => void,
    private readonly minChars = 80,
    private readonly maxChars = 600,
  ) {}

  push(delta: string): void {
    this.buffer += delta;
    if (this.buffer.length >= this.maxChars) {
      this.flush();
      return;
    }
    if (this.buffer.length < this.minChars) return;
    const cut = this.buffer.lastIndexOf('\n');
    if (cut + 1 < this.minChars) return;
    const chunk = this.buffer.slice(0, cut + 1);
    this.buffer = this.buffer.slice(cut + 1);
    this.send(chunk);
  }

  /** Sends whatever is buffered (at the end of a text block or a response). */
  flush(): void {
    const chunk = this.buffer;
    this.buffer = '';
    this.send(chunk);
  }

  private send(chunk: string): void {
    if (chunk.trim() !== '') this.sink(chunk);
  }
}
