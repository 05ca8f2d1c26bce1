import { describe, expect, it } from 'vitest';
import type { BuildDetails } from '../../repositories/build-details.repo.js';
import { buildPage } from './build.js';

function details(
  plan: BuildDetails['plan'],
  extra: Partial<Pick<BuildDetails, 'usage' | 'assets'>> = {},
): BuildDetails {
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
    ...extra,
  };
}

const render = (plan: BuildDetails['plan'], extra?: Partial<BuildDetails>) =>
  buildPage({ csrf: 'c', details: details(plan, extra), projectName: 'Party', preview: undefined });

const task = (name: string, models: string[], calls: number, costUsd: number) => ({
  task: name,
  models,
  calls,
  inputTokens: 1000 * calls,
  outputTokens: 200 * calls,
  cacheReadTokens: 30,
  cacheWriteTokens: 0,
  costUsd,
  durationMs: 900,
});

const usage = (byTask: ReturnType<typeof task>[]) => ({
  calls: byTask.reduce((n, t) => n + t.calls, 0),
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: byTask.reduce((n, t) => n + t.costUsd, 0),
  durationMs: 0,
  engines: ['anthropic'],
  byTask,
});

/** The rows of the per-task table as the text of their cells. */
function rows(page: string): string[][] {
  const table = /<table[^>]*id="usage-by-task"[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
  return [...table.matchAll(/<tr data-task[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').trim()),
  );
}

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

  it('shows the bytes compression saved and a per-task usage table', () => {
    const page = render(null, {
      assets: {
        files: 3,
        originalBytes: 568 * 1024,
        brotliBytes: 108 * 1024,
        gzipBytes: 130 * 1024,
        savedBytes: 460 * 1024,
        durationMs: 40,
      },
      usage: usage([
        task('plan', ['claude-opus'], 1, 0.0421),
        task('generate', ['claude-opus'], 2, 1.5),
        task('fix', ['claude-haiku', 'claude-sonnet'], 3, 0.0012),
      ]),
    });
    expect(page).toContain('3 text files: 568.0 KB → 108.0 KB brotli (81% saved)');
    expect(rows(page)).toEqual([
      ['plan', 'claude-opus', '1', '1,230', '$0.0421'],
      ['generate', 'claude-opus', '2', '2,430', '$1.50'],
      ['fix', 'claude-haiku, claude-sonnet', '3', '3,630', '$0.0012'],
    ]);
    expect(page).toContain('6 engine calls · $1.54');
  });

  it('shows no savings without compressed assets and says when there were no engine calls', () => {
    const page = render(null);
    expect(page).not.toContain('id="assets-saved"');
    expect(page).not.toContain('id="usage-by-task"');
    expect(page).toContain('No engine calls.');
  });

  it('escapes task and model names', () => {
    const page = render(null, {
      usage: usage([task('<i>fix</i>', ['"><script>x()</script>'], 1, 0)]),
    });
    expect(page).not.toContain('<script>x()');
    expect(page).not.toContain('<i>fix</i>');
    expect(rows(page)[0]?.slice(0, 2)).toEqual([
      '&lt;i&gt;fix&lt;/i&gt;',
      '&quot;&gt;&lt;script&gt;x()&lt;/script&gt;',
    ]);
  });
});
