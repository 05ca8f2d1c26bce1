import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ORIGINS,
  SEVERITIES,
  type StoredRecommendation,
} from '../../recommendations/recommendation.js';
import type {
  RecommendationReport,
  RecommendationsService,
} from '../../recommendations/recommendations.service.js';
import { ulidString, userIdString } from '../schemas.js';

export const recommendationSchema = z.object({
  id: z.string(),
  kind: z
    .string()
    .describe(
      'Stable machine id: html.lang, html.title, html.meta-description, html.img-alt, html.viewport, ' +
        'bundle.size, build.warnings, build.vulnerable-dependency, page.errors, prompt.unmet, code.strict, code.tests; ' +
        'engine ideas are idea.<name>.',
    ),
  severity: z
    .enum(SEVERITIES)
    .describe(
      'info < low < medium < high. high: visitors are hurt now (errors on the page, unusable on ' +
        'phones, twice the bundle budget); medium: noticeably worse (no title, images without ' +
        'alt, over budget, an ask of the prompt not built); low: worth doing; info: for the record.',
    ),
  origin: z
    .enum(ORIGINS)
    .describe("'measured': found by the worker's checks; 'idea': an engine's suggestion."),
  title: z.string(),
  detail: z.string(),
  evidence: z
    .record(z.string(), z.unknown())
    .describe('The measured facts, e.g. {files: ["index.html"], missing: "lang"}.'),
  action: z.string().describe('What to do, in a sentence.'),
});

const checkStatus = z.string().describe('"ran", or "skipped: <reason>" or "failed: <reason>".');

const reportSchema = z.object({
  projectId: z.string(),
  versionId: z.string().nullable(),
  buildId: z.string().nullable(),
  recommendations: z.array(recommendationSchema),
  checks: z
    .object({
      html: checkStatus,
      bundle: checkStatus,
      build: checkStatus,
      prompt: checkStatus,
      code: checkStatus,
      browser: checkStatus.describe(
        'The page opened in headless Chromium: "skipped: chromium not installed (...)" where it is absent.',
      ),
      engine: checkStatus.describe(
        "The engine's ranking and wording, and its ideas; skipped by engines that cannot (offline).",
      ),
    })
    .describe('Which checks ran for this answer, and why any did not.'),
});

export function recommendationJson(r: StoredRecommendation): z.infer<typeof recommendationSchema> {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    origin: r.origin,
    title: r.title,
    detail: r.detail,
    evidence: r.evidence,
    action: r.action,
  };
}

const reportJson = (report: RecommendationReport) => ({
  ...report,
  recommendations: report.recommendations.map(recommendationJson),
});

const ownerBody = z.object({ userId: userIdString });

/**
 * Recommendations, measured on demand: the stored static checks of a version again, plus its
 * front page opened in a real browser. A project or build of someone else answers 404.
 */
export const recommendationRoutes =
  (service: RecommendationsService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/recommendations/:projectId',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['recommendations'],
          summary:
            "Next steps for the project's current version, grounded in measured signals (HTML, bundle size, build warnings, sources, a browser run).",
          params: z.object({ projectId: ulidString('must be a project id (26-character ULID)') }),
          body: ownerBody,
          response: { 200: reportSchema },
        },
      },
      async (request) =>
        reportJson(await service.forProject(request.params.projectId, request.body.userId)),
    );

    app.post(
      '/v1/build-recommendations',
      {
        config: { auth: 'app' },
        schema: {
          tags: ['recommendations'],
          summary: "Next steps for a build's version, measured like the project route.",
          body: ownerBody.extend({
            buildId: ulidString('must be a build id (26-character ULID)'),
          }),
          response: { 200: reportSchema },
        },
      },
      async (request) =>
        reportJson(await service.forBuild(request.body.buildId, request.body.userId)),
    );
  };
