import { z } from 'zod';
import type { Queryable } from '../db/db.js';
import { AppError } from '../errors.js';
import { idSchema } from '../ids.js';
import type { DeploymentReportsRepository } from '../repositories/deployments.repo.js';
import type { ProjectEventsRepository } from '../repositories/project-events.repo.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import { verifyWebhook, type VerifyFailure } from '../webhooks/signing.js';
import type { Transaction } from './release.service.js';

/** What a provider (Cloudflare, the main app) reports about a deployment. */
export const deploymentReportSchema = z.object({
  type: z.literal('deployment.status'),
  data: z
    .object({
      deploymentId: idSchema.optional(),
      providerDeploymentId: z.string().min(1).max(200).optional(),
      status: z.enum(['active', 'failed']),
      url: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .optional(),
      error: z.string().max(2000).optional(),
    })
    .refine((d) => d.deploymentId !== undefined || d.providerDeploymentId !== undefined, {
      message: 'needs deploymentId or providerDeploymentId',
    }),
});
export type DeploymentReport = z.infer<typeof deploymentReportSchema>;

export interface InboundDeps {
  transaction: Transaction;
  reports: DeploymentReportsRepository;
  projects: ProjectsRepository;
  projectEvents: ProjectEventsRepository;
  /** INBOUND_WEBHOOK_SECRET (several while rotating). */
  secrets: readonly string[];
  toleranceSeconds: number;
}

export interface InboundResult {
  id: string;
  duplicate: boolean;
  deploymentId: string | null;
  status: string | null;
  changed: boolean;
}

const REASONS: Record<VerifyFailure, string> = {
  missing: 'webhook-id, webhook-timestamp and webhook-signature headers are required',
  timestamp: 'webhook-timestamp is too far from now',
  signature: 'no webhook-signature matches',
};

/**
 * Inbound deployment status (POST /v1/webhook), signed as Standard Webhooks with
 * INBOUND_WEBHOOK_SECRET. Applied once per webhook-id: the id is stored in the transaction
 * that applies the change, so a replay finds it and changes nothing.
 */
export class InboundWebhooksService {
  constructor(private readonly deps: InboundDeps) {}

  /** Throws WEBHOOK_SIGNATURE_INVALID unless the message is signed with a current secret. */
  verify(headers: Record<string, string | string[] | undefined>, body: Buffer | undefined): string {
    // Nothing can be verified without a secret: refused like a bad signature, not a 5xx.
    if (this.deps.secrets.length === 0) {
      throw new AppError('WEBHOOK_SIGNATURE_INVALID', 'Inbound webhooks are not configured.', {
        hint: 'The operator sets INBOUND_WEBHOOK_SECRET to accept them.',
      });
    }
    const result = verifyWebhook(this.deps.secrets, headers, body ?? Buffer.alloc(0), {
      toleranceSeconds: this.deps.toleranceSeconds,
    });
    if (!result.ok) throw new AppError('WEBHOOK_SIGNATURE_INVALID', REASONS[result.reason]);
    return result.id;
  }

  async apply(id: string, report: DeploymentReport): Promise<InboundResult> {
    return this.deps.transaction(async (tx) => {
      const ref = report.data.deploymentId ?? report.data.providerDeploymentId ?? null;
      if (!(await this.deps.reports.remember(tx, id, report.type, ref))) {
        return { id, duplicate: true, deploymentId: null, status: null, changed: false };
      }
      return this.applyReport(tx, id, report);
    });
  }

  private async applyReport(
    tx: Queryable,
    id: string,
    report: DeploymentReport,
  ): Promise<InboundResult> {
    const { data } = report;
    const found = await this.deps.reports.lock(tx, data);
    // Throwing rolls the stored id back too: the sender may retry once the deployment exists.
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such deployment.', {
        hint: 'Send the deploymentId the worker reported, or the provider deployment id it stored.',
      });
    }
    const result = { id, duplicate: false, deploymentId: found.id, status: data.status };
    if (found.status === data.status) return { ...result, changed: false };
    if (found.status !== 'pending') {
      throw new AppError('CONFLICT', `Deployment ${found.id} is ${found.status}, not pending.`, {
        hint: 'Only a pending deployment becomes active or failed by a status report.',
      });
    }
    await this.deps.reports.settle(tx, found, data.status, data.url);
    if (data.status === 'active' && found.environment === 'production') {
      await this.deps.projects.setPublishedVersion(tx, found.projectId, found.versionId);
    }
    const project = await this.deps.projects.get(found.projectId, tx);
    await this.deps.projectEvents.append(tx, {
      projectId: found.projectId,
      userId: project?.userId ?? '',
      type: 'deployment.updated',
      versionId: found.versionId,
      data: {
        deploymentId: found.id,
        environment: found.environment,
        from: found.status,
        status: data.status,
        ...(data.url ? { url: data.url } : {}),
        ...(data.error ? { error: data.error } : {}),
        inboundId: id,
      },
    });
    return { ...result, changed: true };
  }
}
