/** Content-addressed storage of build outputs and source snapshots. */
export type StorageKind = 'fs' | 's3';

export interface StoredArtifact {
  sha256: string;
  sizeBytes: number;
  storageKind: StorageKind;
  storageKey: string;
}

/** What a read needs: where the bytes are, and the digest they must have. */
export type ArtifactRef = Pick<StoredArtifact, 'storageKey' | 'sha256'>;

export interface ArtifactStore {
  readonly kind: StorageKind;
  /** Stores a local file under its SHA-256 (computed by the caller); idempotent. */
  put(localFile: string, sha256: string, sizeBytes: number): Promise<StoredArtifact>;
  /**
   * Copies a stored artifact to a local file, verified on the way: bytes that do not hash to
   * `artifact.sha256` throw ArtifactIntegrityError and leave no file behind, so a corrupted or
   * truncated object is never served or deployed. A missing one throws ArtifactNotFoundError.
   */
  fetch(artifact: ArtifactRef, localFile: string): Promise<void>;
  exists(storageKey: string): Promise<boolean>;
  /** Whether a key has this store's shape (the stores' key schemes never overlap). */
  owns(storageKey: string): boolean;
  /** Removes a stored artifact; one already gone is not an error. */
  delete(storageKey: string): Promise<void>;
}

/** The path of an artifact inside a store, by digest (the fs store's key, the S3 key's tail). */
export function contentPath(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid artifact digest');
  return `sha256/${sha256.slice(0, 2)}/${sha256}.tar.gz`;
}

/** The stored bytes are not the bytes that were recorded: never serve them. */
export class ArtifactIntegrityError extends Error {
  constructor(
    readonly storageKey: string,
    detail: string,
  ) {
    super(`artifact ${storageKey} failed its integrity check: ${detail}`);
    this.name = 'ArtifactIntegrityError';
  }
}

export class ArtifactNotFoundError extends Error {
  constructor(readonly storageKey: string) {
    super(`artifact ${storageKey} is missing from the artifact store`);
    this.name = 'ArtifactNotFoundError';
  }
}
