import { expect } from 'vitest';
import type { AiEngine } from '../../src/ai/engine.js';
import { ScriptedEngine } from './scripted-engine.js';
import { buildToEnd, signedInject, type EndedBuild, type TestApp } from './harness.js';

/**
 * A site with a real build step (`node build.js` copies the page to dist/): every build runs
 * one sandboxed process, so a counter of sandbox runs shows whether something built.
 */
export function siteFiles(title: string): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: 'site',
      private: true,
      scripts: { build: 'node build.js' },
    }),
    'build.js':
      "const fs = require('node:fs');\nfs.mkdirSync('dist', { recursive: true });\nfs.copyFileSync('index.html', 'dist/index.html');\n",
    'index.html': `<!doctype html><title>${title}</title><h1>${title}</h1>`,
  };
}

/** Counts what a rollback or publish must never do: call an engine or run a sandboxed process. */
export class Counters {
  engineCalls = 0;
  sandboxRuns = 0;

  countingEngine(engine: ScriptedEngine): AiEngine {
    for (const method of ['plan', 'generate', 'fix', 'complete'] as const) {
      const original = engine[method].bind(engine) as (...args: unknown[]) => Promise<unknown>;
      (engine as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        this.engineCalls += 1;
        return original(...args);
      };
    }
    return engine;
  }

  watchSandbox(t: TestApp): void {
    const sandbox = t.container.sandbox;
    const run = sandbox.run.bind(sandbox);
    sandbox.run = (spec) => {
      this.sandboxRuns += 1;
      return run(spec);
    };
  }

  snapshot() {
    return { engineCalls: this.engineCalls, sandboxRuns: this.sandboxRuns };
  }
}

export const OWNER = 'owner-1';

/** Builds a version of a project (creates the project when `projectId` is absent). */
export async function buildVersion(
  t: TestApp,
  engine: ScriptedEngine,
  title: string,
  projectId?: string,
): Promise<EndedBuild> {
  engine.files = siteFiles(title);
  const body = { userId: OWNER, prompt: `A page titled ${title}` };
  const build = projectId
    ? await buildToEnd(t, body, `/v1/projects/${projectId}/update`)
    : await buildToEnd(t, { ...body, name: 'Sunrise Bakery' });
  expect(build.error).toBeNull();
  expect(build.status).toBe('succeeded');
  return build;
}

export async function call(
  t: TestApp,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  body?: Record<string, unknown>,
  headers?: Record<string, string>,
) {
  const res = await signedInject(t.app, {
    method,
    url,
    ...(body ? { body } : {}),
    ...(headers ? { headers } : {}),
  });
  // Read loosely, as a client would.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.statusCode, body: res.json<Record<string, any>>() };
}

/** GETs a page as a browser would reach a host-named site (no signature). */
export async function fetchSite(t: TestApp, host: string, url = '/') {
  const res = await t.app.inject({ method: 'GET', url, headers: { host } });
  return { status: res.statusCode, body: res.body };
}

export function hostOf(url: string): string {
  return new URL(url).host;
}
