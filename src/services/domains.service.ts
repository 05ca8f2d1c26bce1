import {
  expectedRecords,
  newChallengeToken,
  type DnsCheckResult,
  type DnsRecord,
  type DomainVerifier,
} from '../domains/dns-check.js';
import type { HostedDomains, HostedDomainState } from '../domains/hosted-domains.js';
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
  /** The deployer's own domains (Cloudflare Pages), attached beside the claim here. */
  hosted?: HostedDomains | undefined;
}

export interface DomainView {
  domain: string;
  status: DomainStatus;
  records: DnsRecord[];
  checkedAt: Date | null;
  verifiedAt: Date | null;
  error: string | null;
  /** What the hosting provider says of the domain (with DEPLOYER=cloudflare-pages). */
  hosting?: HostedDomainState | null;
}

export function domainView(d: Domain, hosting?: HostedDomainState | null): DomainView {
  return {
    ...(hosting === undefined ? {} : { hosting }),
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

  /**
   * Claims a domain; claiming one the project already holds returns it unchanged. With a
   * hosting provider the domain is attached there too, after the claim (so two projects never
   * race for it at the provider); a claim the provider refuses is withdrawn.
   */
  async add(
    projectId: string,
    userId: string,
    domain: string,
  ): Promise<{ view: DomainView; created: boolean }> {
    // Owned before the provider hears of the project (it may create a Pages project for it).
    if (this.deps.hosted && !(await this.deps.projects.getOwned(projectId, userId)))
      throw notFound(projectId);
    const cnameTarget = this.deps.hosted
      ? await this.hosted('accept', () => this.deps.hosted?.cnameTarget(projectId))
      : this.deps.cnameTarget;
    const claimed = await this.claim(projectId, userId, domain, cnameTarget ?? '');
    if (!this.deps.hosted) return claimed;
    try {
      await this.hosted('attach', () => this.deps.hosted?.attach(projectId, domain));
    } catch (err) {
      if (claimed.created) await this.withdraw(projectId, userId, domain);
      throw err;
    }
    return claimed;
  }

  private async claim(
    projectId: string,
    userId: string,
    domain: string,
    cnameTarget: string,
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
          cnameTarget,
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

  /** Drops a claim the provider refused; the event log says so after its `domain.added`. */
  private async withdraw(projectId: string, userId: string, domain: string): Promise<void> {
    await this.deps.transaction(async (tx) => {
      const current = await this.deps.domains.byName(domain, tx);
      if (current?.projectId !== projectId) return;
      await this.deps.domains.remove(tx, current.id);
      await this.deps.projectEvents.append(tx, {
        projectId,
        userId,
        type: 'domain.removed',
        data: { domain, reason: 'refused by the hosting provider' },
      });
    });
  }

  /** A provider call; its failure reaches the client as a retryable 503, its detail the log. */
  private async hosted<T>(
    step: 'accept' | 'attach' | 'detach',
    call: () => Promise<T> | undefined,
  ): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      throw new AppError('SERVICE_UNAVAILABLE', `Cloudflare Pages did not ${step} the domain.`, {
        cause: err,
        retryable: true,
        hint: 'Try again shortly; nothing was changed.',
      });
    }
  }

  async list(projectId: string, userId: string): Promise<DomainView[]> {
    if (!(await this.deps.projects.getOwned(projectId, userId))) throw notFound(projectId);
    return (await this.deps.domains.list(projectId)).map((d) => domainView(d));
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

  /** With a hosting provider, detaches there first: a failure leaves the claim to retry. */
  async remove(projectId: string, userId: string, domain: string): Promise<void> {
    if (this.deps.hosted) {
      await this.owned(projectId, userId, domain);
      await this.hosted('detach', () => this.deps.hosted?.detach(projectId, domain));
    }
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
