import { enc, need, noMore, printJson, UsageError, type Command } from './shared.js';

interface RecommendationView {
  kind: string;
  severity: string;
  origin: string;
  title: string;
  detail: string;
  action: string;
  evidence: Record<string, unknown>;
}

interface ReportView {
  projectId: string;
  versionId: string | null;
  buildId: string | null;
  recommendations: RecommendationView[];
  checks: Record<string, string>;
}

export const recommendations: Command = {
  name: 'recommendations',
  summary: "measured next steps for a project's current version, or for a build's version",
  usage: ['recommendations <projectId> [--build <buildId>]'],
  options: {
    build: {
      type: 'string',
      value: 'ID',
      description: 'the version this build made, not the current one',
    },
  },
  async run(ctx, args) {
    const projectId = need(
      args.positionals[0],
      'project id: sheen recommendations <projectId> [--build ID]',
    );
    noMore(args, 1, 'recommendations');
    const buildId = typeof args.values.build === 'string' ? args.values.build : undefined;
    const client = await ctx.client();
    const report = buildId
      ? await client.json<ReportView>('POST', '/v1/build-recommendations', {
          userId: ctx.userId,
          buildId,
        })
      : await client.json<ReportView>('POST', `/v1/recommendations/${enc(projectId)}`, {
          userId: ctx.userId,
        });
    if (report.projectId !== projectId.toUpperCase())
      throw new UsageError(`build ${buildId ?? ''} belongs to project ${report.projectId}`);
    if (ctx.json) return (printJson(ctx, report), 0);
    const { out } = ctx;
    if (!report.versionId) out.write('No built version yet.\n');
    else
      out.write(
        `Version ${report.versionId}${report.buildId ? ` (build ${report.buildId})` : ''}\n`,
      );
    if (report.versionId && report.recommendations.length === 0)
      out.write('Nothing to recommend: every check that ran passed.\n');
    for (const r of report.recommendations) {
      const mark = r.origin === 'idea' ? ' (idea)' : '';
      out.write(`\n[${r.severity}] ${r.title}${mark}  ${r.kind}\n  ${r.detail}\n  → ${r.action}\n`);
    }
    const notRun = Object.entries(report.checks).filter(([, status]) => status !== 'ran');
    if (notRun.length > 0) out.write('\n');
    for (const [check, status] of notRun) out.write(`${check}: ${status}\n`);
    return 0;
  },
};
