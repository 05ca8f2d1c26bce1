import path from 'node:path';
import type { AiEngine } from '../ai/engine.js';
import type { ArtifactRef, ArtifactStore } from '../artifacts/artifact-store.js';
import { extractTarball } from '../artifacts/tarball.js';
import { AppError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { makeScratchDir } from '../pipeline/leftovers.js';
import type { Build, BuildsRepository } from '../repositories/builds.repo.js';
import type { EventsRepository } from '../repositories/events.repo.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import type {
  RecommendationScope,
  RecommendationsRepository,
} from '../repositories/recommendations.repo.js';
import type { UsageRepository } from '../repositories/usage.repo.js';
import type { Version, VersionsRepository } from '../repositories/versions.repo.js';
import { removeTree } from '../workspace/remove-tree.js';
import type { PageChecker } from './browser-check.js';
import { adviseWithEngine } from './engine-advice.js';
import {
  BROWSER_KINDS,
  kindsChecked,
  type CheckReport,
  type Recommendation,
  type StoredRecommendation,
} from './recommendation.js';
import {
  buildWarnings,
  measureOutput,
  measureSources,
  pageErrorsItem,
  recommend,
  unmetAsks,
  type Signals,
} from './signals.js';
import { auditFindings } from './vulnerabilities.js';

export interface RecommendationsDeps {
  recommendations: RecommendationsRepository;
  projects: ProjectsRepository;
  builds: BuildsRepository;
  versions: VersionsRepository;
  events: EventsRepository;
  artifactStore: ArtifactStore;
  pageChecker: PageChecker;
  /** Ranks and words the answer of the routes, when it can (never in the pipeline). */
  engine: AiEngine;
  usage: UsageRepository;
  engineTimeoutMs: number;
  logger: Logger;
  dataDir: string;
  bundleBudgetBytes: number;
}

/** What the routes answer: a version's recommendations and what was checked to find them. */
export interface RecommendationReport {
  projectId: string;
  versionId: string | null;
  buildId: string | null;
  recommendations: StoredRecommendation[];
  checks: CheckReport;
}

/** Where the measured files of a version are; undefined when there is nothing to read. */
export interface VersionFiles {
  outputDir?: string | undefined;
  /** What packaging leaves out of the output directory (a site built in the project root). */
  outputExclude?: (rel: string) => boolean;
  sourceDir?: string | undefined;
  sourceExclude?: (rel: string) => boolean;
  /** Stored artifacts that exist but could not be fetched or unpacked. */
  unreadable?: { output: boolean; sources: boolean };
  plan?: unknown;
}

const allChecks = (status: string): CheckReport => ({
  html: status,
  bundle: status,
  build: status,
  prompt: status,
  code: status,
  browser: status,
  engine: status,
});

/**
 * Recommendations grounded in what the worker measured. The recommend stage stores the cheap
 * static ones while a build's workspace still exists; the routes measure a version again from
 * its stored artifacts, add the browser check, and answer with everything stored for it.
 */
export class RecommendationsService {
  constructor(private readonly deps: RecommendationsDeps) {}

  /** The recommend stage: measures a build's files and stores what they call for. */
  async recordBuilt(build: Build, files: VersionFiles): Promise<Recommendation[]> {
    const { signals, checks } = await this.measure(build.id, files);
    const items = recommend(signals, this.deps.bundleBudgetBytes);
    await this.deps.recommendations.replace(scopeOf(build), kindsChecked(checks), items);
    return items;
  }

  /** For the build view: what is stored for the build's version. */
  listForVersion(versionId: string): Promise<StoredRecommendation[]> {
    return this.deps.recommendations.listForVersion(versionId);
  }

  /** The project's current version, measured now. Someone else's project is NOT_FOUND. */
  async forProject(projectId: string, userId: string): Promise<RecommendationReport> {
    const project = await this.deps.projects.getOwned(projectId, userId);
    if (!project)
      throw new AppError('NOT_FOUND', `No project ${projectId}.`, {
        hint: 'Check the projectId and userId: a project is visible only to the user who owns it.',
      });
    const version = project.currentVersionId
      ? await this.deps.versions.get(projectId, project.currentVersionId)
      : undefined;
    if (!version) {
      return {
        projectId,
        versionId: null,
        buildId: null,
        recommendations: [],
        checks: allChecks('skipped: the project has no built version yet'),
      };
    }
    return this.measureVersion(version, userId);
  }

  /** A build's version, measured now. Someone else's build is NOT_FOUND. */
  async forBuild(buildId: string, userId: string): Promise<RecommendationReport> {
    const build = await this.deps.builds.get(buildId);
    if (!build || build.userId !== userId)
      throw new AppError('NOT_FOUND', `No build ${buildId}.`, {
        hint: 'Check the buildId and userId: a build is visible only to the user who started it.',
      });
    const version = await this.deps.versions.get(build.projectId, build.versionId);
    if (build.status !== 'succeeded' || !version) {
      return {
        projectId: build.projectId,
        versionId: build.versionId,
        buildId,
        recommendations: await this.listForVersion(build.versionId),
        checks: allChecks(`skipped: the build has not succeeded (it is ${build.status})`),
      };
    }
    return this.measureVersion(version, userId, buildId);
  }

  /**
   * Unpacks a version's stored output and sources, measures them, runs the browser check, and
   * lets the engine rank and word the answer.
   */
  private async measureVersion(version: Version, userId: string, buildId = version.buildId) {
    const scope = { projectId: version.projectId, versionId: version.id, buildId };
    const dir = await makeScratchDir(this.deps.dataDir, 'rec');
    try {
      const output = path.join(dir, 'output');
      const sources = path.join(dir, 'sources');
      const sourceArtifact = await this.deps.versions.sourceArtifact(version.id);
      const outputState = await this.unpack(version.artifact ?? undefined, output);
      const sourceState = await this.unpack(sourceArtifact ?? undefined, sources);
      const files: VersionFiles = {
        outputDir: outputState === 'ok' ? output : undefined,
        sourceDir: sourceState === 'ok' ? sources : undefined,
        unreadable: { output: outputState === 'failed', sources: sourceState === 'failed' },
        plan: (await this.deps.versions.meta(version.id)).plan,
      };
      const { signals, checks } = await this.measure(buildId, files);
      const items = recommend(signals, this.deps.bundleBudgetBytes);
      await this.deps.recommendations.replace(scope, kindsChecked(checks), items);
      const browser = files.outputDir
        ? await this.browserCheck(scope, files.outputDir)
        : 'skipped: no built output to open';
      const advice = await this.advise(version, userId);
      return {
        ...scope,
        recommendations: advice.items,
        checks: { ...checks, browser, engine: advice.status },
      };
    } finally {
      await removeTree(dir);
    }
  }

  /** The static signals of whatever `files` holds; each part says whether it ran. */
  private async measure(buildId: string | null, files: VersionFiles) {
    const signals: Signals = {};
    const checks = allChecks('ran');
    if (files.outputDir) signals.output = await measureOutput(files.outputDir, files.outputExclude);
    else
      checks.html = checks.bundle = files.unreadable?.output
        ? 'failed: the stored output could not be read'
        : 'skipped: no built output';
    if (files.sourceDir) signals.code = await measureSources(files.sourceDir, files.sourceExclude);
    else
      checks.code = files.unreadable?.sources
        ? 'failed: the stored sources could not be read'
        : 'skipped: no stored sources';
    if (buildId) {
      signals.warnings = buildWarnings(await this.deps.events.warningCandidates(buildId));
      signals.vulnerable = auditFindings(await this.deps.events.latestData(buildId, 'audit.done'));
    } else checks.build = 'skipped: no build of this version';
    if (files.plan) signals.unmet = unmetAsks(files.plan);
    else checks.prompt = 'skipped: no stored plan';
    return { signals, checks };
  }

  private async browserCheck(scope: RecommendationScope, siteDir: string): Promise<string> {
    const outcome = await this.deps.pageChecker.check(siteDir);
    if (outcome.status !== 'ran') return `${outcome.status}: ${outcome.reason}`;
    const item = pageErrorsItem(outcome.errors, outcome.blockedRequests);
    await this.deps.recommendations.replace(scope, BROWSER_KINDS, item ? [item] : []);
    return 'ran';
  }

  /** The stored items, ranked and worded by the engine when it can; measured facts unchanged. */
  private async advise(version: Version, userId: string) {
    const { engine, usage, logger } = this.deps;
    const items = await this.listForVersion(version.id);
    return adviseWithEngine(
      engine,
      { prompt: version.prompt ?? '', items },
      {
        timeoutMs: this.deps.engineTimeoutMs,
        onUsage: (u) =>
          usage.record({ userId, projectId: version.projectId }, engine.name, 'recommend', u),
        onError: (err) =>
          logger.warn({ err, versionId: version.id }, 'engine advice on recommendations left out'),
      },
    );
  }

  /** Fetches and unpacks a stored artifact; 'failed' (and a log line) when it cannot. */
  private async unpack(artifact: ArtifactRef | undefined, dest: string) {
    if (!artifact) return 'none';
    const { storageKey } = artifact;
    const file = `${dest}.tar.gz`;
    try {
      // Verified as it is read: a corrupted artifact is never measured.
      await this.deps.artifactStore.fetch(artifact, file);
      await extractTarball(file, dest);
      return 'ok';
    } catch (err) {
      this.deps.logger.warn({ err, storageKey }, 'could not unpack an artifact to recommend on');
      return 'failed';
    }
  }
}

function scopeOf(build: Build): RecommendationScope {
  return { projectId: build.projectId, versionId: build.versionId, buildId: build.id };
}
