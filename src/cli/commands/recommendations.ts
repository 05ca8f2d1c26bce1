import { enc, need, printJson, UsageError, type CommandContext } from './shared.js';

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

/**
 * `sheen recommendations <projectId> [--build <buildId>]`: measured next steps for the
 * project's current version, or for the version a build made.
 */
export async function recommendations(ctx: CommandContext, args: string[], buildId?: string) {
  const projectId = need(args[0], 'project id: sheen recommendations <projectId> [--build ID]');
  const report = buildId
    ? await ctx.client.json<ReportView>('POST', '/v1/build-recommendations', {
        userId: ctx.userId,
        buildId,
      })
    : await ctx.client.json<ReportView>('POST', `/v1/recommendations/${enc(projectId)}`, {
        userId: ctx.userId,
      });
  if (report.projectId !== projectId.toUpperCase())
    throw new UsageError(`build ${buildId ?? ''} belongs to project ${report.projectId}`);
  if (ctx.json) return (printJson(ctx, report), 0);
  const { out } = ctx;
  if (!report.versionId) out.write('No built version yet.\n');
  else
    out.write(`Version ${report.versionId}${report.buildId ? ` (build ${report.buildId})` : ''}\n`);
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
}
