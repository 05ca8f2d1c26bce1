import path from 'node:path';
import { ArtifactLimitError, packDirectory } from '../artifacts/tarball.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { AppError } from '../errors.js';
import { unpackArchive, type UnpackLimits } from '../import/unpack.js';
import { makeScratchDir } from '../pipeline/leftovers.js';
import { isNotSource } from '../pipeline/stages/sources.js';
import type { ArtifactsRepository } from '../repositories/artifacts.repo.js';
import { removeTree } from '../workspace/remove-tree.js';
import type { BuildService } from './build.service.js';

export interface ImportInput {
  userId: string;
  name?: string;
  /** The archive exactly as uploaded (its size is bounded by IMPORT_MAX_BYTES already). */
  archive: Buffer;
  /** The uploaded file's name, for the version's description only. */
  fileName?: string;
}

export interface ImportServiceDeps {
  builds: BuildService;
  artifactStore: ArtifactStore;
  artifacts: ArtifactsRepository;
  dataDir: string;
  limits: UnpackLimits;
}

/**
 * Turns an uploaded archive into version 1 of a new project: it is unpacked under the
 * hostile-input rules (import/entry-guard.ts) into a scratch folder of DATA_DIR, its files are
 * stored as the version's sources, and the build goes through the queue like any other. No
 * file of the archive is run here: the pipeline runs them, in the sandbox.
 */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  async importProject(input: ImportInput) {
    const { deps } = this;
    const workDir = await makeScratchDir(deps.dataDir, 'import');
    try {
      const unpacked = await unpackArchive(input.archive, workDir, deps.limits);
      const packed = await this.pack(unpacked.root, path.join(workDir, 'source.tar.gz'));
      const stored = await deps.artifactStore.put(packed.file, packed.sha256, packed.sizeBytes);
      const artifact = await deps.artifacts.record(stored);
      const folder = path.relative(path.join(workDir, 'files'), unpacked.root);
      const label = input.fileName ? `Imported from ${input.fileName}` : 'Imported project';
      return await deps.builds.create({
        userId: input.userId,
        prompt: label,
        name: input.name ?? (folder || 'Imported project'),
        imported: {
          sourceArtifactId: artifact.id,
          meta: { archive: unpacked.kind, files: unpacked.entries, bytes: unpacked.bytes },
        },
      });
    } finally {
      await removeTree(workDir);
    }
  }

  private async pack(root: string, file: string) {
    try {
      const packed = await packDirectory(root, file, isNotSource, {
        maxBytes: this.deps.limits.maxUnpackedBytes * 2,
      });
      return { file, ...packed };
    } catch (err) {
      if (!(err instanceof ArtifactLimitError)) throw err;
      throw new AppError('IMPORT_TOO_LARGE', err.describe('The imported project'));
    }
  }
}
