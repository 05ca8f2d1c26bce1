import type { ArtifactRef, ArtifactStore, StoredArtifact } from './artifact-store.js';

/**
 * Writes to the configured store and reads each artifact from the store its key belongs to,
 * so artifacts recorded before ARTIFACT_STORE changed (fs to s3) still serve, roll back and
 * expire where they are.
 */
export class RoutedArtifactStore implements ArtifactStore {
  readonly kind: ArtifactStore['kind'];

  constructor(
    private readonly primary: ArtifactStore,
    private readonly others: readonly ArtifactStore[],
  ) {
    this.kind = primary.kind;
  }

  put(localFile: string, sha256: string, sizeBytes: number): Promise<StoredArtifact> {
    return this.primary.put(localFile, sha256, sizeBytes);
  }

  fetch(artifact: ArtifactRef, localFile: string): Promise<void> {
    return this.storeFor(artifact.storageKey).fetch(artifact, localFile);
  }

  exists(storageKey: string): Promise<boolean> {
    return this.storeFor(storageKey).exists(storageKey);
  }

  delete(storageKey: string): Promise<void> {
    return this.storeFor(storageKey).delete(storageKey);
  }

  owns(storageKey: string): boolean {
    return [this.primary, ...this.others].some((s) => s.owns(storageKey));
  }

  private storeFor(storageKey: string): ArtifactStore {
    const store = [this.primary, ...this.others].find((s) => s.owns(storageKey));
    // An s3 key with no bucket configured: say so rather than "invalid key".
    if (!store) throw new Error(`no configured artifact store holds ${storageKey}`);
    return store;
  }
}
