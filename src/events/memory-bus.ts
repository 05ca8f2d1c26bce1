import { EventEmitter } from 'node:events';
import type { BuildEvent, ControlMessage, EventBus } from './event-bus.js';

/** One process: an EventEmitter. */
export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(event: BuildEvent): Promise<void> {
    this.emitter.emit(`event:${event.buildId}`, event);
  }

  async subscribe(buildId: string, listener: (event: BuildEvent) => void) {
    this.emitter.on(`event:${buildId}`, listener);
    return async () => void this.emitter.off(`event:${buildId}`, listener);
  }

  async publishControl(buildId: string, message: ControlMessage): Promise<void> {
    this.emitter.emit(`control:${buildId}`, message);
  }

  async subscribeControl(buildId: string, listener: (message: ControlMessage) => void) {
    this.emitter.on(`control:${buildId}`, listener);
    return async () => void this.emitter.off(`control:${buildId}`, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
