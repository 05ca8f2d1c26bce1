import { describe, expect, it } from 'vitest';
import { classifyFailure, type ClassifyInput } from './classify.js';

function classify(partial: Partial<ClassifyInput>) {
  return classifyFailure({
    step: 'install',
    exitCode: 1,
    timedOut: false,
    stdout: '',
    stderr: '',
    ...partial,
  });
}

// Captured from npm 11 and pnpm 10 run as `nobody` with their cache under a 0700 folder.
const NPM_EACCES = `npm error code EACCES
npm error syscall mkdir
npm error path /root/sheen-data/cache/npm/_cacache/tmp
npm error errno EACCES
npm error
npm error Your cache folder contains root-owned files, due to a bug in previous versions of npm which has since been addressed.
npm error
npm error To permanently fix this problem, please run:
npm error   sudo chown -R 65534:65534 "/root/sheen-data/cache/npm"
npm error Log files were not written due to an error writing to the directory: /root/sheen-data/cache/npm/_logs
`;

const PNPM_EACCES = ` EACCES  EACCES: permission denied, open '/root/sheen-data/cache/pnpm-store/v10/server/server.json'

pnpm: EACCES: permission denied, open '/root/sheen-data/cache/pnpm-store/v10/server/server.json'
    at async open (node:internal/fs/promises:637:25)
`;

const BWRAP_DENIED = `bwrap: Can't find source path /root/sheen-data/workspaces/01j0000000000000000000000: Permission denied`;

describe('permission errors', () => {
  it.each([
    ['npm', NPM_EACCES],
    ['pnpm', PNPM_EACCES],
  ])('in an install by %s are the operator’s, not the project’s', (_name, stderr) => {
    const failure = classify({ stderr });
    expect(failure.code).toBe('SANDBOX_PERMISSION_DENIED');
    expect(failure.category).toBe('sandbox');
    expect(failure.hint).not.toContain('package.json');
    expect(failure.hint).toContain('chmod o+x');
    expect(failure.message).not.toContain('/root');
  });

  it('of the sandbox opening a folder are the operator’s in any step', () => {
    expect(classify({ step: 'build', stderr: BWRAP_DENIED }).code).toBe(
      'SANDBOX_PERMISSION_DENIED',
    );
  });

  it('of a project’s own build script stay build failures', () => {
    const stderr = `Error: EACCES: permission denied, open '/usr/lib/app.txt'\n    at build.js:3:1`;
    expect(classify({ step: 'build', stderr }).code).toBe('BUILD_FAILED');
  });

  it('leave a registry 404 that mentions permission as a missing package', () => {
    const stderr = ` ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/nope-xyz: Not Found - 404\n\nnope-xyz is not in the npm registry, or you have no permission to fetch it.\n`;
    expect(classify({ stderr }).code).toBe('DEPENDENCY_NOT_FOUND');
  });
});
