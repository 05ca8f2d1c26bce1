import type { AiEngine, BuildPlan, EngineUsage } from '../ai/engine.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Precompressed } from '../artifacts/compressed-siblings.js';
import type { CompressionCache } from '../artifacts/compression-cache.js';
import type { SpaceLimits } from '../build/classify.js';
import type { DetectedFramework, PackageJson, PackageManager } from '../build/detect.js';
import type { Toolchain } from '../build/toolchain.js';
import type { EarlyWalk, TreeWalker } from '../build/tree-walker.js';
import type { Deployed, Deployer } from '../deploy/deployer.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsRecorder } from '../observability/recorder.js';
import type { Redactor } from '../observability/redact.js';
import type { ArtifactsRepository, ArtifactRow } from '../repositories/artifacts.repo.js';
import type { Build, BuildsRepository } from '../repositories/builds.repo.js';
import type { EventsRepository } from '../repositories/events.repo.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import type { UsageRepository } from '../repositories/usage.repo.js';
import type { VersionMeta, VersionsRepository } from '../repositories/versions.repo.js';
import type { QuotaService } from '../services/quota.service.js';
import type { ReleaseService } from '../services/release.service.js';
import type { RecommendationsService } from '../recommendations/recommendations.service.js';
import type { IdentityPool } from '../sandbox/identity-pool.js';
import type { RunResult, RunSpec, Sandbox, SandboxIdentity } from '../sandbox/sandbox.js';
import type { Workspace, WorkspaceLimits } from '../workspace/workspace.js';
import type { BuildEventLog } from './event-log.js';
import type { FixSettings } from './fix-loop.js';
import type { StageName } from './stage-names.js';
import type { WebhookDelivery } from '../webhooks/delivery.js';
import type { WarmNode } from '../sandbox/warm-node.js';
import type { Command } from './scripts.js';
import type { SpareBundler, WarmBundler } from './warm-bundler.js';
import type { SupplyChecks } from '../supply/supply-checks.js';

/** Everything the stages use, built once per process by the container. */
export interface PipelineDeps {
  builds: BuildsRepository;
  projects: ProjectsRepository;
  versions: VersionsRepository;
  usage: UsageRepository;
  /** AI-time reservations before engine calls and their settlement after. */
  quota: QuotaService;
  /** Makes a built version live (the record stage), in one transaction. */
  releases: ReleaseService;
  /** Measures a built version and stores its recommendations (the recommend stage). */
  recommendations: RecommendationsService;
  events: EventsRepository;
  artifacts: ArtifactsRepository;
  bus: EventBus;
  engine: AiEngine;
  sandbox: Sandbox;
  /** Where each build gets the uid its processes run as. */
  identities: IdentityPool;
  toolchain: Toolchain;
  artifactStore: ArtifactStore;
  /** Compressed copies of site files a user's builds share (compression-cache.ts). */
  compressionCache?: CompressionCache;
  deployer: Deployer;
  logger: Logger;
  redact: Redactor;
  /** Stage times, build outcomes and the like, for /metrics. */
  metrics: MetricsRecorder;
  /** Runs the webhook.deliver jobs, which share the workers of the build jobs. */
  webhooks: Pick<WebhookDelivery, 'deliver'>;
  /** Registry verification of new dependencies and the audit of installed ones. */
  supply: SupplyChecks;
  /** Walks cached dependency trees on a thread of their own (tree-walker.ts). */
  dependencyTrees: TreeWalker;
  /** Keeps a bundler started ahead for the next build (warm-bundler.ts); none when off. */
  warmBundler?: WarmBundler;
  /**
   * Tests only, never set from config or a request: runs after a stage's work and before the
   * stage is saved as done, the moment a worker that dies leaves an effect committed and its
   * stage unmarked. Fault tests throw here to make the queue run the job again.
   */
  afterStageWork?: (stage: StageName, buildId: string) => Promise<void>;
  settings: {
    dataDir: string;
    installTimeoutMs: number;
    buildTimeoutMs: number;
    installAllowScripts: string[];
    npmRegistry: string | undefined;
    /** CA bundle for the registry's TLS, visible read-only to installs. */
    npmCaFile: string | undefined;
    keepWorkspaces: boolean;
    workspaceLimits: Partial<WorkspaceLimits>;
    /** The space one build may use (BUILD_DISK_LIMIT_MB, SANDBOX_TMP_MB, the per-file cap). */
    space: SpaceLimits;
    /**
     * The uid installs run as when the worker is root. Installs run no project code, and one
     * owner keeps the shared package-manager stores writable for every install.
     */
    installIdentity: SandboxIdentity | undefined;
    fix: FixSettings;
  };
}

/** What stages learn and hand on to later stages. */
export interface PipelineState {
  plan?: BuildPlan;
  packageJson?: PackageJson;
  manager?: PackageManager;
  framework?: DetectedFramework;
  /**
   * The shared dependency tree linked into the workspace, if any (read-only in the sandbox):
   * one this build's install found as it was stored (its digest checked) or stored itself.
   */
  dependencyDir?: string;
  outputDir?: string;
  artifact?: ArtifactRow;
  deployed?: Deployed;
  previewUrl?: string;
  /** Digests of the files generation started from (an update: its parent's), by path. */
  startingFiles?: Map<string, string>;
  /** A fix changed package.json: the next install may update the lockfile. */
  dependenciesChanged?: boolean;
  /** The parent version's package.json (null: none), what new dependencies are diffed against. */
  previousPackageJson?: PackageJson | null;
  /** The engine conversation of this project (Claude CLI session), resumed by updates. */
  sessionId?: string;
  /** Milliseconds during which an install/validate/build process ran (for overhead figures). */
  processMs: number;
  /**
   * No process runs, and the last to end ran to its end (not cancelled): the sandbox measured
   * the workspace against the disk limit then, so packaging need not measure it again.
   */
  diskMeasured?: boolean;
  /**
   * The walk of the tree the last build linked, started with this run; the install uses it
   * (once) if it links that tree.
   */
  earlyTreeWalk?: EarlyWalk;
  usage: EngineUsage[];
  /** The output's text files compressed while the type check ran (package.ts, compressAhead). */
  compressedAhead?: Promise<{ root: string; compressed: Precompressed } | undefined>;
  /** The spare bundler this run took when it started, until its bundle uses or stops it. */
  spare?: SpareBundler;
  /**
   * The bundle command running (set when it starts) or run from the linked tree: the next
   * build's spare is started for it.
   */
  bundleCommand?: Command;
  /** The version's metadata as this run read it (versionMeta), its plan kept current. */
  meta?: VersionMeta;
}

export interface BuildRun {
  deps: PipelineDeps;
  build: Build;
  workspace: Workspace;
  log: BuildEventLog;
  signal: AbortSignal;
  state: PipelineState;
  /** The uid/gid every process of this build runs as (undefined: the worker's own). */
  identity: SandboxIdentity | undefined;
  /** The sandbox with this build's identity bound, for code that runs its own processes. */
  sandbox: Sandbox;
  /**
   * Runs a command in the sandbox for this build, streaming its output as log events. It
   * stops on the run's signal, or on `spec.signal` when given (a stage run alongside another).
   * With `warm` (a process that adopted the workspace), `node spec.args…` runs there, or as
   * usual when it cannot take it.
   */
  exec(
    stage: string,
    spec: Omit<RunSpec, 'workspace' | 'cwd' | 'onOutput'> & { cwd?: string },
    warm?: WarmNode,
  ): Promise<RunResult>;
}

/**
 * The version's metadata (how it was asked for, imported or not, its plan), read once per run:
 * several stages of every build need it, and only the plan stage changes it (plan.ts).
 */
export async function versionMeta(run: BuildRun): Promise<VersionMeta> {
  run.state.meta ??= await run.deps.versions.meta(run.build.versionId);
  return run.state.meta;
}

/** Saves part of the version's metadata, and into the run's copy when it has read one. */
export async function saveVersionMeta(run: BuildRun, meta: VersionMeta): Promise<void> {
  await run.deps.versions.saveMeta(run.build.versionId, meta);
  if (run.state.meta) run.state.meta = { ...run.state.meta, ...meta };
}
