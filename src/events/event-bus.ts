/**
 * Live fan-out of build events and control messages (cancel) between processes. Events are
 * persisted before they are published; the bus only wakes listeners, so a lost message costs
 * latency, never data (streams also re-read the database).
 */
export interface BuildEvent {
  /** Sequence number within the build: 1, 2, 3… (the SSE event id). */
  id: number;
  buildId: string;
  type: string;
  stage: string | null;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  data: Record<string, unknown> | null;
  at: string;
}

export type ControlMessage = { type: 'cancel' };

export interface EventBus {
  publish(event: BuildEvent): Promise<void>;
  subscribe(buildId: string, listener: (event: BuildEvent) => void): Promise<() => Promise<void>>;
  publishControl(buildId: string, message: ControlMessage): Promise<void>;
  subscribeControl(
    buildId: string,
    listener: (message: ControlMessage) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const TERMINAL_EVENT = 'build.finished';
