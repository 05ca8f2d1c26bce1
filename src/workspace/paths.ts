/**
 * The lexical half of the workspace's guard: what a path string must be before the filesystem
 * is touched (relative, no traversal, no encoded separators, no protected segments).
 */

export type WorkspaceErrorReason =
  | 'absolute'
  | 'traversal'
  | 'nul'
  | 'encoded'
  | 'symlink'
  | 'protected'
  | 'too_large'
  | 'too_many'
  | 'invalid';

export class WorkspaceError extends Error {
  readonly reason: WorkspaceErrorReason;
  /** The path as the caller gave it (never the resolved host path). */
  readonly path: string;

  constructor(reason: WorkspaceErrorReason, relPath: string, message: string) {
    super(message);
    this.name = 'WorkspaceError';
    this.reason = reason;
    this.path = relPath;
  }
}

/** Segments no access may touch: VCS internals (hooks run code) and installed dependencies. */
export const PROTECTED_SEGMENTS = new Set(['.git', 'node_modules']);

const MAX_PATH_BYTES = 4096;
const MAX_SEGMENT_BYTES = 255;
// Characters that, once percent-decoded, could smuggle a separator or traversal past a later
// decoding step (a URL router, a static file server serving the build output).
const ENCODED_DANGEROUS = new Set(['.', '/', '\\', '\0']);
// Drive letters (`C:\x`, `C:x`), UNC shares (`\\server`) and POSIX roots.
const ABSOLUTE = /^(?:[/\\]|[a-zA-Z]:)/;
// Control characters other than NUL: legal on POSIX but only ever seen in hostile names, and
// they corrupt logs and terminals that later print the path.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001f\u007f]/;

/**
 * Validates a relative path lexically and returns its normalised segments. Throws on anything
 * that is not a plain relative path below the root. `.` and empty segments (from `./a` or `a//b`)
 * are dropped because AI engines commonly emit them and they cannot change the location.
 */
export function validateSegments(relPath: unknown, allowRoot: boolean): string[] {
  const shown = typeof relPath === 'string' ? relPath : String(relPath);
  const fail = (reason: WorkspaceErrorReason, why: string): never => {
    throw new WorkspaceError(reason, shown, `Refused path ${JSON.stringify(shown)}: ${why}.`);
  };
  if (typeof relPath !== 'string') return fail('invalid', 'not a string');
  if (relPath.includes('\0')) fail('nul', 'contains a NUL byte');
  if (Buffer.byteLength(relPath) > MAX_PATH_BYTES) fail('invalid', 'longer than 4096 bytes');
  for (const match of relPath.matchAll(/%([0-9a-fA-F]{2})/g)) {
    const decoded = String.fromCharCode(parseInt(match[1] ?? '', 16));
    if (ENCODED_DANGEROUS.has(decoded)) fail('encoded', 'contains a percent-encoded separator');
  }
  if (ABSOLUTE.test(relPath)) fail('absolute', 'absolute paths are not allowed');
  const raw = relPath.split(/[/\\]/);
  if (raw.includes('..')) fail('traversal', 'contains a ".." segment');
  if (relPath.includes('\\')) fail('invalid', 'use "/" as the separator');
  if (CONTROL.test(relPath)) fail('invalid', 'contains a control character');
  const segments = raw.filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 && !allowRoot) fail('invalid', 'names no file');
  for (const segment of segments) {
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) fail('invalid', 'a segment is too long');
    // Case-insensitive because macOS and Windows filesystems treat `.GIT` as `.git`.
    if (PROTECTED_SEGMENTS.has(segment.toLowerCase()))
      fail('protected', `"${segment}" is off limits`);
  }
  return segments;
}
