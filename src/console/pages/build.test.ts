import { describe, expect, it } from 'vitest';
import type { BuildDetails } from '../../repositories/build-details.repo.js';
import { buildPage } from './build.js';

function details(plan: BuildDetails['plan']): BuildDetails {
  const at = new Date('2026-03-14T10:00:00Z');
  return {
    build: {
      id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      projectId: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
      versionId: '01ARZ3NDEKTSV4RRFFQ69G5FAX',
      userId: 'u',
      kind: 'create',
      status: 'succeeded',
      stage: null,
      stages: [],
      prompt: 'a party page',
      framework: 'react',
      engine: 'offline',
      archMode: 'monolith',
      idempotencyKey: null,
      attempts: 1,
      error: null,
      previewUrl: null,
      createdAt: at,
      startedAt: at,
      finishedAt: at,
      durationMs: 1000,
      cancelRequested: false,
    },
    usage: {
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
      durationMs: 0,
      engines: [],
      byTask: [],
    },
    recommendations: [],
    assets: null,
    plan,
  };
}

const render = (plan: BuildDetails['plan']) =>
  buildPage({ csrf: 'c', details: details(plan), projectName: 'Party', preview: undefined });

describe('console build page', () => {
  it('lists the asks the engine could not build, with their reasons, escaped', () => {
    const html = render({
      summary: 'An event page.',
      assessed: true,
      asks: [],
      unmet: [
        { kind: 'feature', text: 'countdown', reason: 'No countdown offline.' },
        { kind: 'entity', text: '<b>cake</b>', reason: 'Nowhere to put it.' },
      ],
    });
    expect(html).toContain('Not built: this needs an AI engine');
    expect(html).toContain('<strong>countdown</strong> (feature): No countdown offline.');
    expect(html).toContain('&lt;b&gt;cake&lt;/b&gt;');
    expect(html).not.toContain('<b>cake</b>');
  });

  it('shows no such list when every ask was honoured or there is no plan', () => {
    for (const plan of [null, { summary: 's', assessed: true, asks: [], unmet: [] }])
      expect(render(plan)).not.toContain('Not built');
  });
});
