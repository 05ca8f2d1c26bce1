import {
  expectedRecords,
  newChallengeToken,
  type DnsCheckResult,
  type DnsRecord,
  type DomainVerifier,
} from '../domains/dns-check.js';
import { AppError } from '../errors.js';
import type { Domain, DomainStatus, DomainsRepository } from '../repositories/domains.repo.js';
import { DomainTakenError } from '../repositories/domains.repo.js';
import type { ProjectEventsRepository } from '../repositories/project-events.repo.js';
import type { ProjectsRepository } from '../repositories/projects.repo.js';
import { notFound, type Transaction } from './release.service.js';

export interface DomainsServiceDeps {
  transaction: Transaction;
  projects: ProjectsRepository;
  domains: DomainsRepository;
  projectEvents: ProjectEventsRepository;
  verifier: DomainVerifier;
  /** The host name a custom domain's CNAME must point at (DOMAIN_CNAME_TARGET). */
  cnameTarget: string;
}

export interface DomainView {
  domain: string;
  status: DomainStatus;
  records: DnsRecord[];
  checkedAt: Date | null;
  verifiedAt: Date | null;
  error: string | null;
}

export function domainView(d: Domain): DomainView {
  return {
    domain: d.domain,
    status: d.status,
    records: expectedRecords(d.domain, d.token, d.cnameTarget),
    checkedAt: d.checkedAt,
    verifiedAt: d.verifiedAt,
    error: d.error,
  };
}

// Outcomes that say nothing about the records (the resolver did not answer): a domain that
// was verified keeps serving rather than going dark on a DNS hiccup.
const INCONCLUSIVE = new Set(['TIMEOUT', 'DNS_ERROR']);

/**
 * Custom domains of a project: claim a name (one project per domain), prove control of it
 * over DNS, drop it. `domain` arguments are already normalised (lower-case, punycode).
 */
export class DomainsService {
  constructor(private readonly deps: DomainsServiceDeps) {}

  /** Claims a domain; claiming one the project already holds returns it unchanged. */
  async add(
    projectId: string,
    userId: string,
    domain: string,
  ): Promise<{ view: DomainView; created: boolean }> {
    try {
      return await this.deps.transaction(async (tx) => {
        if (!(await this.deps.projects.lockOwned(tx, projectId, userId))) throw notFound(projectId);
        const existing = await this.deps.domains.byName(domain, tx);
        if (existing && existing.projectId === projectId)
          return { view: domainView(existing), created: false };
        if (existing) throw new DomainTakenError(domain);
        const added = await this.deps.domains.add(tx, {
          projectId,
          domain,
          token: newChallengeToken(),
          cnameTarget: this.deps.cnameTarget,
        });
        await this.deps.projectEvents.append(tx, {
          projectId,
          userId,
          type: 'domain.added',
          data: { domain },
        });
        return { view: domainView(added), created: true };
      });
    } catch (err) {
      if (err instanceof DomainTakenError) throw taken(domain);
      throw err;
    }
  }

  async list(projectId: string, userId: string): Promise<DomainView[]> {
    if (!(await this.deps.projects.getOwned(projectId, userId))) throw notFound(projectId);
    return (await this.deps.domains.list(projectId)).map(domainView);
  }

  /** Looks the records up now and records what was found; answers the domain as it stands. */
  async verify(projectId: string, userId: string, domain: string): Promise<DomainView> {
    const found = await this.owned(projectId, userId, domain);
    const check = await this.deps.verifier.verify(found.domain, found.token, found.cnameTarget);
    return this.deps.transaction(async (tx) => {
      const current = await this.deps.domains.byName(domain, tx);
      if (!current || current.projectId !== projectId) throw domainNotFound(domain);
      const status = nextStatus(current.status, check);
      const saved = await this.deps.domains.recordCheck(tx, current.id, {
        status,
        code: check.code,
        error: check.error,
        checkedAt: check.checkedAt,
      });
      if (status !== current.status) {
        await this.deps.projectEvents.append(tx, {
          projectId,
          userId,
          type: status === 'verified' ? 'domain.verified' : 'domain.failed',
          data: { domain, code: check.code, error: check.error },
        });
      }
      return domainView(saved);
    });
  }

  async remove(projectId: string, userId: string, domain: string): Promise<void> {
    await this.deps.transaction(async (tx) => {
      if (!(await this.deps.projects.lockOwned(tx, projectId, userId))) throw notFound(projectId);
      const current = await this.deps.domains.byName(domain, tx);
      if (!current || current.projectId !== projectId) throw domainNotFound(domain);
      await this.deps.domains.remove(tx, current.id);
      await this.deps.projectEvents.append(tx, {
        projectId,
        userId,
        type: 'domain.removed',
        data: { domain },
      });
    });
  }

  private async owned(projectId: string, userId: string, domain: string): Promise<Domain> {
    if (!(await this.deps.projects.getOwned(projectId, userId))) throw notFound(projectId);
    const found = await this.deps.domains.byName(domain);
    if (!found || found.projectId !== projectId) throw domainNotFound(domain);
    return found;
  }
}

function nextStatus(current: DomainStatus, check: DnsCheckResult): DomainStatus {
  if (check.verified) return 'verified';
  if (INCONCLUSIVE.has(check.code) && current === 'verified') return 'verified';
  return 'failed';
}

function taken(domain: string): AppError {
  return new AppError('DOMAIN_TAKEN', `${domain} is already attached to another project.`);
}

function domainNotFound(domain: string): AppError {
  return new AppError('NOT_FOUND', `No domain ${domain} on this project.`, {
    hint: 'Add it first with POST /projects/:projectId/domains.',
  });
}
