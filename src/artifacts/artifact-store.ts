/** Content-addressed storage of build outputs and source snapshots. */
export interface StoredArtifact {
  sha256: string;
  sizeBytes: number;
  storageKind: 'fs' | 's3';
  storageKey: string;
}

export interface ArtifactStore {
  readonly kind: 'fs' | 's3';
  /** Stores a local file under its SHA-256 (computed by the caller); idempotent. */
  put(localFile: string, sha256: string, sizeBytes: number): Promise<StoredArtifact>;
  /** Copies a stored artifact to a local file. */
  fetch(storageKey: string, localFile: string): Promise<void>;
  exists(storageKey: string): Promise<boolean>;
}
