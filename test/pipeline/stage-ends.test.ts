import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../src/pipeline/stage-names.js';
import type { EventsRepository } from '../../src/repositories/events.repo.js';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/**
 * A stage's end is written while the next stage starts (run-stage.ts): a write that fails
 * must still stop the build, never be passed over as if it had been stored.
 */
describe('a stage end that cannot be stored', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      workers: true,
      engine: new ScriptedEngine({ 'index.html': '<h1>Hi</h1>' }),
    });
  }, 60_000);
  afterAll(() => t.close());

  it('fails the attempt, and the retried build ends with every stage end stored in order', async () => {
    const events: EventsRepository = t.container.pipeline.events;
    const insertMany = events.insertMany.bind(events);
    let refused = 0;
    // The first attempt's generate end never lands: its batch and the write of it alone.
    events.insertMany = async (buildId, batch, stages) => {
      const generateEnd = batch.some((e) => e.type === 'stage.finished' && e.stage === 'generate');
      if (generateEnd && refused < 2) {
        refused += 1;
        throw new Error('the database went away');
      }
      return insertMany(buildId, batch, stages);
    };
    try {
      const ended = await buildToEnd(t, { userId: 'ends', prompt: 'a page' });
      expect(refused).toBe(2);
      expect(ended.status).toBe('succeeded');
      const { rows } = await t.container.db.query<{ attempts: number }>(
        'SELECT attempts FROM builds WHERE id = $1',
        [ended.buildId],
      );
      expect(rows[0]?.attempts).toBe(2);
      const stageEvents = await t.container.db.query<{ type: string; stage: string }>(
        `SELECT type, stage FROM build_events WHERE build_id = $1 AND type LIKE 'stage.%'
         ORDER BY seq`,
        [ended.buildId],
      );
      const lastAttempt = stageEvents.rows.slice(
        stageEvents.rows.findLastIndex((e) => e.type === 'stage.started' && e.stage === 'plan'),
      );
      const expected: string[] = [...STAGES];
      const ends = lastAttempt.filter((e) => e.type === 'stage.finished').map((e) => e.stage);
      // Validate and build run side by side: either may end first.
      expect([...ends].sort()).toEqual([...expected].sort());
      const at = (type: string, stage: string) =>
        lastAttempt.findIndex((e) => e.type === type && e.stage === stage);
      // Each stage's end is stored before the next stage's start.
      const order: Array<[string, string]> = [
        ['plan', 'generate'],
        ['generate', 'install'],
        ['install', 'validate'],
        ['validate', 'package'],
        ['build', 'package'],
        ['package', 'deploy'],
        ['deploy', 'record'],
        ['record', 'recommend'],
      ];
      for (const [stage, next] of order) {
        expect(at('stage.finished', stage)).toBeLessThan(at('stage.started', next));
      }
    } finally {
      events.insertMany = insertMany;
    }
  });
});
