import { isIP } from 'node:net';
import { ULID_LOWER_SOURCE } from '../ids.js';
import type { DeploymentsRepository } from '../repositories/deployments.repo.js';
import type { DomainsRepository } from '../repositories/domains.repo.js';

/** What a request's Host names: a build's preview, a published site, or a site that is not there. */
export type Site =
  | { kind: 'preview'; buildId: string }
  | { kind: 'production'; buildId: string; projectId: string }
  | { kind: 'missing' };

export interface SitesDeps {
  deployments: DeploymentsRepository;
  domains: DomainsRepository;
  /** PREVIEW_HOST_SUFFIX: previews and production sites are its subdomains. */
  hostSuffix: string;
  /** Host names that are the API itself (PUBLIC_URL's host), never a site. */
  apiHosts: readonly string[];
}

const PREVIEW_LABEL = new RegExp(`^build-(${ULID_LOWER_SOURCE})$`);

/**
 * Resolves a Host header to the site it asks for. Under the preview suffix, `build-<id>` is a
 * preview and any other label a project's production host; any other name is a custom
 * domain if one was claimed, served only once verified and published. Every other host
 * (IP addresses, localhost, the API's own name) is the API: `undefined`.
 */
export class SitesService {
  private readonly suffix: string;

  constructor(private readonly deps: SitesDeps) {
    this.suffix = `.${deps.hostSuffix.toLowerCase()}`;
  }

  /** False when the Host names the API itself: no site lookup is needed (the common case). */
  mayBeSite(hostHeader: string | undefined): boolean {
    const host = hostName(hostHeader);
    return host !== undefined && !this.isApiHost(host);
  }

  async resolve(hostHeader: string | undefined): Promise<Site | undefined> {
    const host = hostName(hostHeader);
    if (!host || this.isApiHost(host)) return undefined;
    if (host.endsWith(this.suffix)) return this.underSuffix(host.slice(0, -this.suffix.length));
    const domain = await this.deps.domains.byName(host);
    if (!domain) return undefined;
    const live =
      domain.status === 'verified' && (await this.deps.deployments.productionByDomain(host));
    return live && live.buildId
      ? { kind: 'production', buildId: live.buildId, projectId: live.projectId }
      : { kind: 'missing' };
  }

  private async underSuffix(label: string): Promise<Site> {
    const preview = PREVIEW_LABEL.exec(label);
    if (preview) return { kind: 'preview', buildId: (preview[1] as string).toUpperCase() };
    if (!/^[a-z0-9-]{1,63}$/.test(label)) return { kind: 'missing' };
    const live = await this.deps.deployments.productionBySlug(label);
    return live && live.buildId
      ? { kind: 'production', buildId: live.buildId, projectId: live.projectId }
      : { kind: 'missing' };
  }

  private isApiHost(host: string): boolean {
    return (
      isIP(host) !== 0 ||
      host === 'localhost' ||
      host === this.deps.hostSuffix.toLowerCase() ||
      this.deps.apiHosts.includes(host)
    );
  }
}

/** The host name of a Host header: lower-case, without port, brackets or a trailing dot. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  let host = header.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 1 ? host.slice(1, end) : undefined;
  }
  host = host.replace(/:\d*$/, '').replace(/\.$/, '');
  return host === '' ? undefined : host;
}
