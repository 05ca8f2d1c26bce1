import { ApiError, UnreachableError, type WorkerClient } from './client.js';

export interface BuildEventData {
  id?: number;
  type?: string;
  stage?: string | null;
  level?: string;
  message?: string;
  data?: Record<string, unknown> | null;
  at?: string;
}

export interface FollowOptions {
  /** Start after this event id (0: from the first event). */
  after?: number;
  /** Reconnections in a row without a new event before giving up. */
  retries?: number;
  /** First pause before reconnecting; doubles up to 5 s. */
  retryDelayMs?: number;
  /** Whether the build has ended (asked when a stream closes without its closing event). */
  isOver?: () => Promise<boolean>;
  /** Told before each reconnection, with the id it resumes after. */
  onReconnect?: (after: number, attempt: number) => void;
}

export const TERMINAL_EVENT = 'build.finished';

/**
 * A build's events until `build.finished`, across dropped connections: each reconnection
 * sends Last-Event-ID so the worker replays only what came after, and ids already seen are
 * skipped. Refusals (404, a bad signature) end at once; only a lost connection is retried.
 */
export async function* followBuildEvents(
  client: WorkerClient,
  path: string,
  options: FollowOptions = {},
): AsyncGenerator<{ id: number; data: BuildEventData }> {
  let last = options.after ?? 0;
  let failures = 0;
  const retries = options.retries ?? 8;
  for (;;) {
    let lost: unknown;
    try {
      for await (const event of client.events(path, last)) {
        if (event.id && event.id <= last) continue;
        if (event.id) last = event.id;
        failures = 0;
        yield event;
        if (event.data.type === TERMINAL_EVENT) return;
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      lost = err;
    }
    // A stream can also end cleanly without the closing event: an old build has none.
    if (lost === undefined && options.isOver && (await options.isOver())) return;
    failures += 1;
    if (failures > retries) {
      if (lost instanceof UnreachableError) throw lost;
      throw new UnreachableError(client.baseUrl, 'the event stream kept closing');
    }
    options.onReconnect?.(last, failures);
    const delay = Math.min((options.retryDelayMs ?? 500) * 2 ** (failures - 1), 5000);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
