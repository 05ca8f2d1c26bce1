import { createHash } from 'node:crypto';

/** Both compressed copies of one file's bytes. */
export interface EncodedCopies {
  br: Buffer;
  gzip: Buffer;
}

/** Compressed copies one scope's builds share (CompressionCache.scope). */
export interface SiblingCache {
  /** The copies of `bytes`: made before in this scope, or made now by `make` and kept. */
  copies(bytes: Buffer, make: () => Promise<EncodedCopies>): Promise<EncodedCopies>;
}

/** Files smaller than this are compressed every time: it costs about a millisecond. */
export const CACHED_MIN_BYTES = 16 * 1024;

const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The brotli and gzip copies of files packaging compressed before, by the digest of their
 * bytes. A library chunk (an app's React, the same bytes in every version and every app of
 * its kind) took ~20 ms of compression on each build's path to its preview; from here it
 * takes a digest. Copies are shared only within a scope, one user's builds: how fast a file
 * compresses must not tell one tenant that another's site holds the same bytes. Holds at
 * most `maxBytes` of copies, the least recently used dropped first.
 */
export class CompressionCache {
  /** Copies made or being made, least recently used first. */
  private readonly entries = new Map<string, Promise<EncodedCopies>>();
  /** The bytes each finished entry holds. */
  private readonly sizes = new Map<string, number>();
  private held = 0;

  constructor(private readonly maxBytes = DEFAULT_MAX_BYTES) {}

  scope(name: string): SiblingCache {
    return { copies: (bytes, make) => this.copies(name, bytes, make) };
  }

  private copies(
    scope: string,
    bytes: Buffer,
    make: () => Promise<EncodedCopies>,
  ): Promise<EncodedCopies> {
    if (bytes.length < CACHED_MIN_BYTES) return make();
    const key = `${scope}\0${createHash('sha256').update(bytes).digest('hex')}`;
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    // Two builds at once share one compression; a failed one is not kept.
    const made = make();
    this.entries.set(key, made);
    made.then(
      (copies) => this.account(key, made, copies.br.length + copies.gzip.length),
      () => this.forget(key, made),
    );
    return made;
  }

  private account(key: string, made: Promise<EncodedCopies>, size: number): void {
    if (this.entries.get(key) !== made) return;
    if (size > this.maxBytes / 4) return this.forget(key, made);
    this.sizes.set(key, size);
    this.held += size;
    for (const old of this.entries.keys()) {
      if (this.held <= this.maxBytes) break;
      const oldSize = this.sizes.get(old);
      // Still being made: its size is not known yet, and it is the newest anyway.
      if (oldSize === undefined) continue;
      this.entries.delete(old);
      this.sizes.delete(old);
      this.held -= oldSize;
    }
  }

  private forget(key: string, made: Promise<EncodedCopies>): void {
    if (this.entries.get(key) !== made) return;
    this.entries.delete(key);
    const size = this.sizes.get(key);
    if (size !== undefined) this.held -= size;
    this.sizes.delete(key);
  }
}
