import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { refuse, shown } from './import-error.js';

/** The limits one import is held to. */
export interface UnpackLimits {
  /** Bytes all files may add up to once unpacked. */
  maxUnpackedBytes: number;
  /** Entries (files and folders) an archive may hold. */
  maxFiles: number;
  /** Unpacked bytes per archive byte, beyond RATIO_FLOOR_BYTES. */
  maxRatio: number;
}

/** Below this many unpacked bytes no archive counts as a bomb (tiny archives compress well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_NAME_BYTES = 1024;
const MAX_SEGMENT_BYTES = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Archives inside the archive, by name; their content is checked by its first bytes too. */
const ARCHIVE_NAME = /\.(zip|tar|tgz|gz|tbz2?|bz2|txz|xz|zst|7z|rar|jar|war)$/i;

/**
 * The rules every entry of an imported archive passes before a byte of it is written. Names
 * are refused, never repaired: a name that needs repair was made to escape.
 */
export class EntryGuard {
  private entries = 0;
  private bytes = 0;

  constructor(
    private readonly target: string,
    private readonly limits: UnpackLimits,
    private readonly archiveBytes: number,
  ) {}

  /** Checks an entry's name and counts it; returns where it goes inside the target (none: the root). */
  admit(rawName: string, type: 'file' | 'directory', declaredSize: number): string | undefined {
    const rel = safeRelativePath(rawName);
    if (rel === '' && type === 'directory') return undefined; // the archive's own "./"
    if (rel === '') throw refuse('IMPORT_UNSAFE_ENTRY', `Entry ${shown(rawName)} has no name.`);
    if (++this.entries > this.limits.maxFiles) {
      throw refuse(
        'IMPORT_TOO_MANY_FILES',
        `The archive has more than ${this.limits.maxFiles} entries (stopped at ${shown(rawName)}).`,
      );
    }
    if (type === 'file' && ARCHIVE_NAME.test(rel)) {
      throw refuse(
        'IMPORT_NESTED_ARCHIVE',
        `Entry ${shown(rawName)} is an archive inside the archive.`,
      );
    }
    if (type === 'file') this.checkTotal(rawName, this.bytes + declaredSize);
    const dest = path.resolve(this.target, rel);
    if (!dest.startsWith(this.target + path.sep)) {
      throw refuse('IMPORT_UNSAFE_ENTRY', `Entry ${shown(rawName)} points outside the project.`);
    }
    return dest;
  }

  /** Creates the folder a file or folder entry goes in (never through a link: none exist). */
  makeParent(dest: string, isDirectory: boolean): void {
    mkdirSync(isDirectory ? dest : path.dirname(dest), { recursive: true, mode: 0o755 });
  }

  /** Counts bytes as they are written: the headers' sizes are not trusted alone. */
  addBytes(rawName: string, count: number): void {
    this.bytes += count;
    this.checkTotal(rawName, this.bytes);
  }

  /** Refuses the first chunk of a file that is itself a gzip or zip archive. */
  checkContent(rawName: string, firstChunk: Buffer): void {
    const gzip = firstChunk[0] === 0x1f && firstChunk[1] === 0x8b;
    const zip = firstChunk.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    if (gzip || zip) {
      throw refuse(
        'IMPORT_NESTED_ARCHIVE',
        `Entry ${shown(rawName)} is an archive inside the archive.`,
      );
    }
  }

  get totals(): { entries: number; bytes: number } {
    return { entries: this.entries, bytes: this.bytes };
  }

  private checkTotal(rawName: string, total: number): void {
    if (total > this.limits.maxUnpackedBytes) {
      throw refuse(
        'IMPORT_TOO_LARGE',
        `Entry ${shown(rawName)} takes the unpacked project over ${this.limits.maxUnpackedBytes} bytes.`,
      );
    }
    if (total > RATIO_FLOOR_BYTES && total > this.limits.maxRatio * this.archiveBytes) {
      throw refuse(
        'IMPORT_COMPRESSION_RATIO',
        `Entry ${shown(rawName)} expands the archive more than ${this.limits.maxRatio} times.`,
      );
    }
  }
}

/** Zip entries declare their compressed size: a single entry can be judged on its own. */
export function checkEntryRatio(
  rawName: string,
  declared: { compressed: number; uncompressed: number },
  maxRatio: number,
): void {
  if (
    declared.uncompressed > RATIO_FLOOR_BYTES &&
    declared.uncompressed > maxRatio * Math.max(1, declared.compressed)
  ) {
    throw refuse(
      'IMPORT_COMPRESSION_RATIO',
      `Entry ${shown(rawName)} expands more than ${maxRatio} times.`,
    );
  }
}

/**
 * The entry's path relative to the project, or a refusal. A leading "./" and a trailing "/"
 * are how archivers write names, not attempts to escape; everything else must be plain.
 */
export function safeRelativePath(rawName: string): string {
  const unsafe = (why: string) =>
    refuse('IMPORT_UNSAFE_ENTRY', `Entry ${shown(rawName)} is refused: ${why}.`);
  if (rawName.length === 0) throw unsafe('it has no name');
  if (CONTROL.test(rawName)) throw unsafe('its name has NUL or control characters');
  if (Buffer.byteLength(rawName) > MAX_NAME_BYTES) throw unsafe('its name is too long');
  if (rawName.includes('\\')) throw unsafe('its name has a backslash');
  if (rawName.startsWith('/') || /^[A-Za-z]:/.test(rawName)) throw unsafe('its path is absolute');
  const trimmed = rawName.replace(/^(\.\/)+/, '').replace(/\/$/, '');
  if (trimmed === '' || trimmed === '.') return '';
  const segments = trimmed.split('/');
  for (const segment of segments) {
    if (segment === '..') throw unsafe('its path has ".."');
    if (segment === '' || segment === '.') throw unsafe('its path has an empty or "." part');
    if (segment.toLowerCase() === '.git') throw unsafe('it is part of a .git folder');
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)
      throw unsafe('a part of its name is too long');
  }
  return segments.join('/');
}
