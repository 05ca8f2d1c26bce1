import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { BuildEvent, ControlMessage, EventBus } from './event-bus.js';

/**
 * Across processes: Redis pub/sub on one subscriber connection per process, fanned out
 * locally. Channels are per build so a process receives only what its listeners want.
 */
export class RedisEventBus implements EventBus {
  private readonly local = new EventEmitter().setMaxListeners(0);
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
  ) {
    sub.on('message', (channel: string, payload: string) => {
      try {
        this.local.emit(channel, JSON.parse(payload));
      } catch {
        // A malformed message is dropped; listeners re-read the database anyway.
      }
    });
  }

  static async create(redis: Redis, prefix: string): Promise<RedisEventBus> {
    const sub = redis.duplicate();
    sub.on('error', () => undefined);
    // The app's connection is lazy, and so is its duplicate: connect it explicitly.
    if (sub.status === 'wait') await sub.connect();
    else if (sub.status !== 'ready') await new Promise((resolve) => sub.once('ready', resolve));
    return new RedisEventBus(redis, sub, prefix);
  }

  private channel(kind: 'event' | 'control', buildId: string): string {
    return `${this.prefix}:${kind}:${buildId}`;
  }

  private async listen<T>(channel: string, listener: (value: T) => void) {
    this.local.on(channel, listener as (value: unknown) => void);
    const count = (this.counts.get(channel) ?? 0) + 1;
    this.counts.set(channel, count);
    if (count === 1) await this.sub.subscribe(channel);
    return async () => {
      this.local.off(channel, listener as (value: unknown) => void);
      const left = (this.counts.get(channel) ?? 1) - 1;
      if (left > 0) {
        this.counts.set(channel, left);
        return;
      }
      this.counts.delete(channel);
      await this.sub.unsubscribe(channel).catch(() => undefined);
    };
  }

  async publish(event: BuildEvent): Promise<void> {
    await this.pub.publish(this.channel('event', event.buildId), JSON.stringify(event));
  }

  subscribe(buildId: string, listener: (event: BuildEvent) => void) {
    return this.listen(this.channel('event', buildId), listener);
  }

  async publishControl(buildId: string, message: ControlMessage): Promise<void> {
    await this.pub.publish(this.channel('control', buildId), JSON.stringify(message));
  }

  subscribeControl(buildId: string, listener: (message: ControlMessage) => void) {
    return this.listen(this.channel('control', buildId), listener);
  }

  async close(): Promise<void> {
    this.local.removeAllListeners();
    this.sub.disconnect();
  }
}
