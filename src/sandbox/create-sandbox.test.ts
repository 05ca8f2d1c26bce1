import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createSandbox, SandboxUnavailableError } from './create-sandbox.js';

const limits = { memoryMb: 512, maxProcesses: 64, maxOutputBytes: 1024, maxFileBytes: 1024 };

describe('choosing a sandbox', () => {
  it('refuses to start without bubblewrap when it is required', async () => {
    const scratchDir = await mkdtemp(path.join(tmpdir(), 'sheen-choice-'));
    await expect(
      createSandbox({
        mode: 'auto',
        limits,
        scratchDir,
        toolPaths: [],
        systemPath: '/nonexistent',
        requireBwrap: true,
      }),
    ).rejects.toBeInstanceOf(SandboxUnavailableError);
    const fallback = await createSandbox({
      mode: 'auto',
      limits,
      scratchDir,
      toolPaths: [],
      systemPath: '/nonexistent',
      requireBwrap: false,
    });
    expect(fallback.kind).toBe('process');
  });

  it('requires bubblewrap in production unless explicitly allowed', () => {
    const secrets = { HMAC_SECRETS: 'a'.repeat(40), ADMIN_HMAC_SECRETS: 'b'.repeat(40) };
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).sandbox.requireBwrap).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', SANDBOX_ALLOW_PROCESS: 'true', ...secrets }).sandbox
        .requireBwrap,
    ).toBe(false);
    expect(loadConfig({}).sandbox.requireBwrap).toBe(false);
    expect(loadConfig({ SANDBOX: 'bwrap' }).sandbox.requireBwrap).toBe(true);
  });
});
