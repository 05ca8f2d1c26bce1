import { describe, expect, it } from 'vitest';
import type { Version } from '../../repositories/versions.repo.js';
import { projectPage } from './project.js';

const at = new Date('2026-03-14T10:00:00Z');

function version(number: number, assets: Version['assets']): Version {
  return {
    id: `01ARZ3NDEKTSV4RRFFQ69G5FA${number}`,
    projectId: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
    number,
    kind: number === 1 ? 'create' : 'update',
    status: 'ready',
    prompt: `prompt ${number}`,
    buildId: null,
    createdAt: at,
    previewUrl: null,
    artifact: null,
    assets,
    filesChanged: null,
    parentVersionId: null,
    isCurrent: number === 2,
    isPublished: false,
  };
}

const render = (versions: Version[]) =>
  projectPage({
    csrf: 'c',
    project: {
      id: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
      userId: 'maker',
      name: 'Party',
      framework: 'react',
      slug: null,
      currentVersionId: null,
      publishedVersionId: null,
      aiSessionId: null,
      createdAt: at,
      updatedAt: at,
    },
    versions,
    publication: {
      projectId: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
      publishedVersionId: null,
      publishedAt: null,
      productionUrl: null,
      domains: [],
    },
    recommendations: [],
  });

/** The timeline entry of one version number. */
const item = (page: string, n: number) =>
  new RegExp(`<li data-version="${n}">[\\s\\S]*?</li>`).exec(page)?.[0] ?? '';

describe('console project page', () => {
  it('shows what compression saved on each version that has compressed assets', () => {
    const page = render([
      version(2, {
        files: 1,
        originalBytes: 2048,
        brotliBytes: 512,
        gzipBytes: 600,
        savedBytes: 1536,
        durationMs: 3,
      }),
      version(1, null),
    ]);
    expect(item(page, 2)).toContain('1 text file: 2.0 KB → 512 B brotli (75% saved)');
    expect(item(page, 1)).toContain('prompt 1');
    expect(item(page, 1)).not.toContain('brotli');
  });

  it('shows nothing for an artifact where no file was worth compressing', () => {
    const none = { files: 0, originalBytes: 0, brotliBytes: 0, gzipBytes: 0, savedBytes: 0 };
    const page = render([version(1, { ...none, durationMs: 1 })]);
    expect(item(page, 1)).not.toContain('brotli');
    expect(item(page, 1)).not.toContain('assets-saved');
  });
});
